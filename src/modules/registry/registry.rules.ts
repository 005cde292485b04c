// Pure rules of the market-entity registry: kinds, roles, the version workflow, qualification
// validity, and what changed between two versions. No I/O, no clock: "today" is passed in as a
// calendar day in China Standard Time (DOMAIN.md §0). Every number is configuration with its
// default and a test at its boundary (registry.rules.test.ts).

import { addDays, daysBetween } from '../credit/credit.rules.ts';

export const ENTITY_KINDS = ['organisation', 'person'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** What an entity does on the platform (one entity may hold several). */
export const ENTITY_ROLES = ['tenderer', 'agency', 'bidder', 'supplier', 'purchaser', 'auction_bidder', 'transferor'] as const;
export type EntityRole = (typeof ENTITY_ROLES)[number];
export const ENTITY_ROLE_NAMES: Record<EntityRole, string> = {
  tenderer: '招标人',
  agency: '招标代理机构',
  bidder: '投标人',
  supplier: '供应商',
  purchaser: '采购人',
  auction_bidder: '竞买人',
  transferor: '出让人/转让方',
};

export const ENTITY_STATUSES = ['registering', 'active', 'suspended'] as const;
export type EntityStatus = (typeof ENTITY_STATUSES)[number];

export const VERSION_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'superseded'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
export const REVIEW_OUTCOMES = ['approved', 'rejected'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** 项目负责人（项目经理）, 技术负责人, 安全负责人, 其他. */
export const KEY_PERSON_ROLES = ['project_manager', 'technical_lead', 'safety_officer', 'other'] as const;
export type KeyPersonRole = (typeof KEY_PERSON_ROLES)[number];

export interface RegistryRules {
  /** A qualification is flagged this many days before its last valid day (inclusive). */
  qualificationWarnDays: number;
  /** Largest licence or attachment upload, in bytes. */
  maxUploadBytes: number;
}

export const DEFAULT_REGISTRY_RULES: RegistryRules = {
  qualificationWarnDays: 30,
  maxUploadBytes: 10 * 1024 * 1024,
};

// ---- workflow ----

/** Versions the entity's users may still edit, and those staff may decide. */
export function isOpen(status: VersionStatus): boolean {
  return status === 'draft' || status === 'submitted';
}

export type Transition = 'save' | 'submit' | 'withdraw' | 'decide';

/** Whether a version in `status` allows `step`; the refusal names why. */
export function allows(status: VersionStatus, step: Transition): { ok: true } | { ok: false; message: string } {
  switch (step) {
    case 'save':
    case 'submit':
      return status === 'draft' ? { ok: true } : { ok: false, message: status === 'submitted' ? '已提交审核，审核完成前不能修改；如需修改请先撤回' : '该版本已审核，不能再修改' };
    case 'withdraw':
      return status === 'submitted' ? { ok: true } : { ok: false, message: '只有待审核的申请可以撤回' };
    case 'decide':
      return status === 'submitted' ? { ok: true } : { ok: false, message: status === 'draft' ? '该申请尚未提交（或已撤回），不能审核' : '该申请已审核' };
    default: {
      const never: never = step;
      throw new Error(String(never));
    }
  }
}

// ---- qualifications ----

export type QualificationState = 'not_yet_valid' | 'valid' | 'expiring' | 'expired';

/**
 * A qualification's state on `today`: both ends of its validity count; it is flagged as
 * expiring from `qualificationWarnDays` days before its last day, and expired the day after.
 */
export function qualificationState(validFrom: string, validTo: string, today: string, rules: RegistryRules = DEFAULT_REGISTRY_RULES): QualificationState {
  if (today < validFrom) return 'not_yet_valid';
  if (today > validTo) return 'expired';
  return daysBetween(today, validTo) <= rules.qualificationWarnDays ? 'expiring' : 'valid';
}

/** Whether a qualification may back a bid on `today` (expiring ones still may). */
export function qualificationUsable(state: QualificationState): boolean {
  return state === 'valid' || state === 'expiring';
}

/** The first day a qualification ending on `validTo` is flagged. */
export function warnFrom(validTo: string, rules: RegistryRules = DEFAULT_REGISTRY_RULES): string {
  return addDays(validTo, -rules.qualificationWarnDays);
}

// ---- region ----

/**
 * The region a USCC was issued in (its characters 3–8, GB/T 2260), when it is a Shanxi code;
 * otherwise the registration names its region itself.
 */
export function regionOfUscc(uscc: string, exists: (code: string) => boolean): string | null {
  const code = uscc.slice(2, 8);
  return code.startsWith('14') && exists(code) ? code : null;
}
