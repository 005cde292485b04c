// Shared pieces of the expert pool screen: Chinese labels, the specialty code table as TreeSelect
// data, and the mapping of server field errors onto the fields that show them.
import { useEffect, useMemo, useState } from 'react';
import { Flex, Tag, Tooltip, type FormInstance } from 'antd';
import { ApiError, api, errorText } from '../api';
import { fieldPath } from '../formErrors';
import { buildTree, type SelectTreeNode, type TreeNode } from '../hooks';
import type { ExpertRelationKind, ExpertStatus, Specialty, SpecialtyTable } from '../types';

export const EXPERT_STATUS_LABELS: Record<ExpertStatus, string> = {
  active: '在库',
  suspended: '暂停',
  removed: '除名',
};

export const EXPERT_STATUS_COLORS: Record<ExpertStatus, string> = {
  active: 'green',
  suspended: 'orange',
  removed: 'red',
};

export const RELATION_KIND_LABELS: Record<ExpertRelationKind, string> = {
  relative: '亲属单位',
  interest: '利益关系',
  former_employer: '原工作单位',
};

export const GENDER_LABELS: Record<string, string> = { male: '男', female: '女' };

/** GB 32100 shape (the check digit is the server's to verify). */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
export const USCC_MESSAGE = '统一社会信用代码为 18 位数字或大写字母';

export const DATE_FORMAT = 'YYYY-MM-DD';

/** The specialty table: categories (A…F) holding leaves (A01…). */
export function useSpecialties() {
  const [items, setItems] = useState<Specialty[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api
      .get<SpecialtyTable>('/api/v1/experts/specialties')
      .then((answer) => {
        if (live) setItems(answer.items);
      })
      .catch((cause: unknown) => {
        if (live) setError(errorText(cause));
      });
    return () => {
      live = false;
    };
  }, []);

  return useMemo(() => {
    const names = new Map(items.map((s) => [s.code, s.name]));
    const tree = buildTree(items, (s) => s.code, (s) => s.parentCode);
    const toSelect =
      (leavesOnly: boolean) =>
      (node: TreeNode<Specialty>): SelectTreeNode & { selectable?: boolean } => ({
        value: node.code,
        title: `${node.code} ${node.name}`,
        ...(leavesOnly && node.children ? { selectable: false } : {}),
        ...(node.children ? { children: node.children.map(toSelect(leavesOnly)) } : {}),
      });
    return {
      items,
      error,
      /** Categories and leaves, either may be picked (filters, the eligibility query). */
      treeData: tree.map(toSelect(false)),
      /** Only leaves can be picked (an expert's specialties). */
      leafTreeData: tree.map(toSelect(true)),
      nameOf: (code: string) => names.get(code) ?? code,
    };
  }, [items, error]);
}

/** Specialty tags with the primary one marked. */
export function SpecialtyTags({ specialties, primary }: { specialties: { code: string; name: string }[]; primary: string }) {
  if (specialties.length === 0) return <>—</>;
  return (
    <Flex wrap gap={4}>
      {specialties.map((s) =>
        s.code === primary ? (
          <Tooltip key={s.code} title="主专业">
            <Tag color="blue" style={{ marginInlineEnd: 0 }}>
              {s.name}（主）
            </Tag>
          </Tooltip>
        ) : (
          <Tag key={s.code} style={{ marginInlineEnd: 0 }}>
            {s.name}
          </Tag>
        ),
      )}
    </Flex>
  );
}

/**
 * Rewrites the field names of a problem+json error (`specialties.2`, `/from`) to the form fields
 * that show them, so a message on an array item or a split value still lands on a visible field.
 */
export function remapFieldErrors(error: unknown, rename: Record<string, string> = {}): unknown {
  if (!(error instanceof ApiError)) return error;
  const top = (field: string) => {
    const head = fieldPath(field)[0];
    const name = typeof head === 'string' ? head : field;
    return rename[name] ?? name;
  };
  const problem: Record<string, unknown> = { ...error.problem };
  if (error.errors.length > 0) problem.errors = error.errors.map((e) => ({ ...e, field: top(e.field) }));
  if (error.field) problem.field = top(error.field);
  return new ApiError(error.status, problem);
}

/** Field errors of an inline form (no FormModal): true when every message found a field. */
export function showInlineErrors(form: FormInstance, error: unknown, fields: readonly string[], rename: Record<string, string> = {}): boolean {
  const mapped = remapFieldErrors(error, rename);
  if (!(mapped instanceof ApiError)) return false;
  const list = mapped.errors.length > 0 ? mapped.errors : mapped.field ? [{ field: mapped.field, rule: '', message: mapped.detail }] : [];
  const byField = new Map<string, string[]>();
  let leftover = false;
  for (const e of list) {
    if (fields.includes(e.field)) byField.set(e.field, [...(byField.get(e.field) ?? []), e.message]);
    else leftover = true;
  }
  if (byField.size > 0) form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
  return list.length > 0 && !leftover;
}
