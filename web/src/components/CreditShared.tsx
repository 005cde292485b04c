// Shared pieces of the credit screens: Chinese labels of the API's enums, the category code table
// and rule parameters read from the server, the evidence list, and calendar days in CST.
import { useEffect, useMemo, useState } from 'react';
import { Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { ApiError, api, errorText } from '../api';
import { fieldPath } from '../formErrors';
// The server's own category table and rule defaults (data and a module without dependencies): an
// entity account may not read /credit/categories or /credit/rules, yet its archive names both.
import categoryFile from '../../../src/modules/credit/data/categories.json';
import { ALL_CATEGORIES, DEFAULT_RULES } from '../../../src/modules/credit/credit.rules';
import type {
  CreditBan,
  CreditRecordStatus,
  CreditRecordType,
  CreditRules,
  EvidenceRef,
  NotRepairableReason,
  ObjectionStatus,
  ParticipantRole,
  RepairStatus,
  Severity,
  SubjectKind,
  TradingCategoryTable,
} from '../types';

export const SUBJECT_KIND_LABELS: Record<SubjectKind, string> = { organisation: '法人或其他组织', person: '自然人' };

export const RECORD_TYPE_LABELS: Record<CreditRecordType, string> = {
  violation: '违法违规',
  blacklist: '列入黑名单',
  blacklist_removal: '移出黑名单',
  reward: '表彰奖励',
  performance: '合同履约',
  social: '社会信用',
};

export const SEVERITY_LABELS: Record<Severity, string> = { minor: '轻微', ordinary: '一般', serious: '严重' };
export const SEVERITY_COLORS: Record<Severity, string> = { minor: 'default', ordinary: 'orange', serious: 'red' };

export const RECORD_STATUS_LABELS: Record<CreditRecordStatus, string> = {
  effective: '生效中',
  under_objection: '异议处理中',
  revoked: '已撤销',
  repaired: '已修复',
};
export const RECORD_STATUS_COLORS: Record<CreditRecordStatus, string> = {
  effective: 'blue',
  under_objection: 'orange',
  revoked: 'default',
  repaired: 'green',
};

export const ROLE_LABELS: Record<ParticipantRole, string> = {
  tenderer: '招标人',
  bidder: '投标人',
  agency: '招标代理机构',
  supplier: '供应商',
  purchaser: '采购人',
  auction_bidder: '竞买人',
  expert: '评标专家',
  staff: '从业人员',
};

export const NOT_REPAIRABLE_LABELS: Record<NotRepairableReason, string> = {
  collusion: '串通投标',
  qualification_lending: '出借、借用资质被责令停业或吊销',
};

export const OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = { pending: '待处理', upheld: '异议成立', dismissed: '异议不成立' };
/** The same states as the subject reads them on its own archive. */
export const OWN_OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = { pending: '异议处理中', upheld: '异议成立', dismissed: '异议不成立' };
export const OBJECTION_STATUS_COLORS: Record<ObjectionStatus, string> = { pending: 'orange', upheld: 'green', dismissed: 'default' };

export const REPAIR_STATUS_LABELS: Record<RepairStatus, string> = { pending: '待审核', approved: '准予修复', rejected: '不予修复' };
export const REPAIR_STATUS_COLORS: Record<RepairStatus, string> = { pending: 'orange', approved: 'green', rejected: 'default' };

/** Types that carry a severity and may carry a ban, be objected to and be repaired. */
export function isAdverse(type: CreditRecordType | undefined): boolean {
  return type === 'violation' || type === 'blacklist';
}

/** GB 11643 shape (the check digit is the server's to verify). */
export const ID_NUMBER_PATTERN = /^\d{17}[\dX]$/;
export const ID_NUMBER_MESSAGE = '身份证号为 18 位，末位可为数字或 X';

const cstDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's calendar day in China Standard Time (`YYYY-MM-DD`), whatever the browser's zone. */
export function todayCst(): string {
  return cstDay.format(new Date());
}

/** Same day N months later, the last day of a shorter month (dayjs: 01-31 + 1 → 02-28), as the server counts. */
export function addMonths(day: string, months: number): string {
  return dayjs(day).add(months, 'month').format('YYYY-MM-DD');
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** The category table and rules as the server ships them, for screens whose user may not read them. */
const BUNDLED_CATEGORIES: TradingCategoryTable = { version: categoryFile.version, allCode: ALL_CATEGORIES, items: categoryFile.categories };
const BUNDLED_RULES: CreditRules = {
  disclosure: DEFAULT_RULES.disclosure,
  objectionDays: DEFAULT_RULES.objectionDays,
  objectionDecisionDays: DEFAULT_RULES.objectionDecisionDays,
  repairMinMonths: DEFAULT_RULES.repairMinMonths,
  score: { base: DEFAULT_RULES.score.base, grades: DEFAULT_RULES.score.grades, fallbackGrade: DEFAULT_RULES.score.fallbackGrade },
};

/**
 * The category code table and the rule parameters: read once per screen from the server
 * (`server`, staff), or the copy shipped with the workbench (`bundled`, entity accounts, which
 * hold no credit.record.read).
 */
export function useCreditReference(source: 'server' | 'bundled' = 'server') {
  const [categories, setCategories] = useState<TradingCategoryTable | null>(source === 'bundled' ? BUNDLED_CATEGORIES : null);
  const [rules, setRules] = useState<CreditRules | null>(source === 'bundled' ? BUNDLED_RULES : null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (source === 'bundled') return;
    let live = true;
    Promise.all([api.get<TradingCategoryTable>('/api/v1/credit/categories'), api.get<CreditRules>('/api/v1/credit/rules')])
      .then(([c, r]) => {
        if (!live) return;
        setCategories(c);
        setRules(r);
      })
      .catch((cause: unknown) => {
        if (live) setError(errorText(cause));
      });
    return () => {
      live = false;
    };
  }, [source]);
  return useMemo(() => {
    const names = new Map((categories?.items ?? []).map((c) => [c.code, c.name]));
    const allCode = categories?.allCode ?? '*';
    return {
      categories,
      rules,
      error,
      allCode,
      /** Options of a ban's categories: every category, or all of them at once. */
      categoryOptions: [{ value: allCode, label: '全部交易类别' }, ...(categories?.items ?? []).map((c) => ({ value: c.code, label: c.name }))],
      categoryName: (code: string) => (code === allCode ? '全部交易类别' : (names.get(code) ?? code)),
    };
  }, [categories, rules, error]);
}

export type CreditReference = ReturnType<typeof useCreditReference>;

/** 「2026-03-01 至 2027-02-28 禁止在山西省 太原市参与政府采购、工程建设」 */
export function banText(ban: CreditBan, categoryName: (code: string) => string): string {
  return `${ban.from} 至 ${ban.to} 禁止在${ban.regionName}参与${ban.categories.map(categoryName).join('、')}`;
}

export function StatusTag({ status }: { status: CreditRecordStatus }) {
  return <Tag color={RECORD_STATUS_COLORS[status]}>{RECORD_STATUS_LABELS[status]}</Tag>;
}

export function SeverityTag({ severity }: { severity: Severity | null }) {
  if (!severity) return <>—</>;
  return <Tag color={SEVERITY_COLORS[severity]}>{SEVERITY_LABELS[severity]}</Tag>;
}

/** Evidence references as a compact list: name, size, and the full SM3 digest to compare with. */
export function EvidenceList({ items }: { items: EvidenceRef[] }) {
  if (items.length === 0) return <Typography.Text type="secondary">无</Typography.Text>;
  return (
    <ul className="evidence-list">
      {items.map((e, i) => (
        <li key={`${e.sm3Digest}-${i}`}>
          <span>{e.name}</span> <Typography.Text type="secondary">（{formatBytes(e.size)}）</Typography.Text>
          <div className="mono evidence-digest" title="SM3 摘要">
            SM3：{e.sm3Digest}
          </div>
        </li>
      ))}
    </ul>
  );
}

/**
 * Rewrites the field names of a problem+json error to the form fields that show them, so that a
 * message on a part of a value (`ban.from`, `evidence.0.sm3Digest`) lands on a visible field.
 */
export function renameFields(error: unknown, rename: (field: string) => string): unknown {
  if (!(error instanceof ApiError)) return error;
  const problem: Record<string, unknown> = { ...error.problem };
  if (error.errors.length > 0) problem.errors = error.errors.map((e) => ({ ...e, field: rename(e.field) }));
  if (error.field) problem.field = rename(error.field);
  return new ApiError(error.status, problem);
}

/** `evidence.2.sm3Digest` → `evidence` (the picker shows the whole list); other names unchanged. */
export function evidenceField(field: string): string {
  return fieldPath(field)[0] === 'evidence' ? 'evidence' : fieldPath(field).join('.');
}
