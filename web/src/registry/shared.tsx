// Shared pieces of the market-entity screens: Chinese labels of the registry's enums, the region
// table for pickers (the same GB/T 2260 file the server ships, so the public registration page
// needs no signed-in call), and small display helpers.
import { useEffect, useState } from 'react';
import { Tag } from 'antd';
import regionFile from '../../../src/modules/org/data/regions-14.json';
import { fetchObjectUrl } from '../api';
import { buildTree, type SelectTreeNode, type TreeNode } from '../hooks';
import type {
  EntityKind,
  EntityRole,
  EntityStatus,
  KeyPersonRole,
  QualificationState,
  Region,
  Verdict,
  VersionKind,
  VersionStatus,
} from '../types';

export const ENTITY_KIND_LABELS: Record<EntityKind, string> = { organisation: '法人及其他组织', person: '自然人' };

export const ENTITY_ROLE_LABELS: Record<EntityRole, string> = {
  tenderer: '招标人',
  agency: '招标代理机构',
  bidder: '投标人',
  supplier: '供应商',
  purchaser: '采购人',
  auction_bidder: '竞买人',
  transferor: '出让人/转让方',
};

export const ENTITY_STATUS_LABELS: Record<EntityStatus, string> = { registering: '注册中', active: '已生效', suspended: '已暂停' };
export const ENTITY_STATUS_COLORS: Record<EntityStatus, string> = { registering: 'blue', active: 'green', suspended: 'orange' };

export const VERSION_STATUS_LABELS: Record<VersionStatus, string> = {
  draft: '草稿',
  submitted: '待审核',
  approved: '已通过',
  rejected: '已退回',
  superseded: '已被替代',
};
export const VERSION_STATUS_COLORS: Record<VersionStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'success',
  rejected: 'error',
  superseded: 'default',
};

export const VERSION_KIND_LABELS: Record<VersionKind, string> = { registration: '注册', change: '变更' };

export const KEY_PERSON_ROLE_LABELS: Record<KeyPersonRole, string> = {
  project_manager: '项目负责人（项目经理）',
  technical_lead: '技术负责人',
  safety_officer: '安全负责人',
  other: '其他',
};

export const QUALIFICATION_STATE_LABELS: Record<QualificationState, string> = {
  not_yet_valid: '未生效',
  valid: '有效',
  expiring: '即将到期',
  expired: '已过期',
};
const QUALIFICATION_STATE_COLORS: Record<QualificationState, string> = {
  not_yet_valid: 'default',
  valid: 'green',
  expiring: 'orange',
  expired: 'red',
};

export const VERDICT_LABELS: Record<Verdict, string> = { match: '一致', mismatch: '不一致', confusable: '易混字符', unread: '未识别' };
export const VERDICT_COLORS: Record<Verdict, string> = { match: 'green', mismatch: 'red', confusable: 'orange', unread: 'default' };

export function QualificationStateTag({ state }: { state: QualificationState }) {
  return <Tag color={QUALIFICATION_STATE_COLORS[state]}>{QUALIFICATION_STATE_LABELS[state]}</Tag>;
}

export function EntityStatusTag({ status }: { status: EntityStatus }) {
  return <Tag color={ENTITY_STATUS_COLORS[status]}>{ENTITY_STATUS_LABELS[status]}</Tag>;
}

export function VersionStatusTag({ status }: { status: VersionStatus }) {
  return <Tag color={VERSION_STATUS_COLORS[status]}>{VERSION_STATUS_LABELS[status]}</Tag>;
}

export function RoleTags({ roles }: { roles: EntityRole[] }) {
  if (roles.length === 0) return <>—</>;
  return (
    <>
      {roles.map((r) => (
        <Tag key={r}>{ENTITY_ROLE_LABELS[r]}</Tag>
      ))}
    </>
  );
}

/** GB 32100 shape (the check digit is the server's to verify). */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
export const ID_NUMBER_PATTERN = /^\d{17}[\dX]$/;
export const PHONE_PATTERN = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

const REGIONS = (regionFile as { regions: Region[] }).regions;
const REGION_NAMES = new Map(REGIONS.map((r) => [r.code, r.name]));

/** Whether a USCC was issued in a Shanxi region the table knows (then the server takes that region). */
export function isShanxiUscc(uscc: string): boolean {
  const code = uscc.slice(2, 8);
  return code.startsWith('14') && REGION_NAMES.has(code);
}

export function regionName(code: string): string {
  return REGION_NAMES.get(code) ?? code;
}

/** Shanxi's regions (province, cities, counties) as TreeSelect data. */
export const REGION_TREE: SelectTreeNode[] = (() => {
  const toSelect = (node: TreeNode<Region>): SelectTreeNode => ({
    value: node.code,
    title: `${node.name}（${node.code}）`,
    ...(node.children ? { children: node.children.map(toSelect) } : {}),
  });
  return buildTree(REGIONS, (r) => r.code, (r) => r.parentCode ?? null).map(toSelect);
})();

/** A protected image (licence scan) as an object URL, revoked when the path changes or on unmount. */
export function useObjectUrl(path: string | null): { url: string | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  useEffect(() => {
    if (!path) {
      setState({ url: null, error: null });
      return;
    }
    const controller = new AbortController();
    let created: string | null = null;
    setState({ url: null, error: null });
    fetchObjectUrl(path, controller.signal)
      .then((url) => {
        created = url;
        if (controller.signal.aborted) URL.revokeObjectURL(url);
        else setState({ url, error: null });
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setState({ url: null, error: cause instanceof Error ? cause.message : '图片加载失败' });
      });
    return () => {
      controller.abort();
      if (created) URL.revokeObjectURL(created);
    };
  }, [path]);
  return state;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
