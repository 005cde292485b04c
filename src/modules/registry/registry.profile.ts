// An entity's profile between the API and storage: the checks a schema cannot express (ID
// check digits, dates, the region table, duplicates), sealing of personal values, the views
// (clear for the entity itself and for an audited reveal, masked for everyone else), and what
// changed from one version to the next.

import crypto from 'node:crypto';
import { blindIndex, openSm4, sealSm4 } from '../../platform/crypto/sm4.ts';
import type { FieldError } from '../../platform/errors.ts';
import { checkIdNumber, maskBankAccount, maskIdNumber, maskPhone } from '../../platform/validation/ids.ts';
import { ID_MESSAGES } from '../credit/credit.checks.ts';
import { isCalendarDate } from '../credit/credit.rules.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { ENTITY_ROLE_NAMES, qualificationState, type EntityKind, type RegistryRules } from './registry.rules.ts';
import type { ProfileInputT } from './registry.schemas.ts';
import type { SealedValue, StoredProfile } from './registry.tables.ts';

const PII_INDEX_SCOPE = 'registry.pii';

function aadOf(entityId: string): string {
  return `registry:${entityId}:pii`;
}

export function sealValue(key: Buffer, entityId: string, value: string, masked: string): SealedValue {
  return { enc: sealSm4(key, value, aadOf(entityId)), masked, digest: blindIndex(key, value, PII_INDEX_SCOPE) };
}

export function openValue(key: Buffer, entityId: string, value: SealedValue): string {
  return openSm4(key, value.enc, aadOf(entityId)).toString('utf8');
}

// ---- checks ----

function checkDay(errors: FieldError[], field: string, day: string | undefined): boolean {
  if (day === undefined) return false;
  if (isCalendarDate(day)) return true;
  errors.push({ field, rule: 'format', message: `${field} 应为有效日期（YYYY-MM-DD）` });
  return false;
}

function checkId(errors: FieldError[], field: string, id: string, now: Date): string | undefined {
  const r = checkIdNumber(id.trim().toUpperCase(), now);
  if (r.ok) return r.normalized;
  errors.push({ field, rule: r.rule, message: ID_MESSAGES[r.rule] });
  return undefined;
}

/** Every problem of a profile for an entity of `kind`, on the calendar day `today` (CST). */
export function checkProfile(input: ProfileInputT, kind: EntityKind, now: Date, today: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!loadRegionTree().get(input.regionCode)) errors.push({ field: 'regionCode', rule: 'exists', message: `行政区划代码 ${input.regionCode} 不存在` });
  if (kind === 'organisation') {
    if (!input.legalRepresentative) errors.push({ field: 'legalRepresentative', rule: 'required', message: '请填写法定代表人（负责人）' });
    if (input.entityType === undefined) errors.push({ field: 'entityType', rule: 'required', message: '请填写主体类型（如：有限责任公司）' });
    if (input.establishedOn === undefined) errors.push({ field: 'establishedOn', rule: 'required', message: '请填写成立日期' });
  } else {
    if (input.legalRepresentative) errors.push({ field: 'legalRepresentative', rule: 'person', message: '自然人主体无需填写法定代表人' });
    if (input.keyPersonnel.length > 0) errors.push({ field: 'keyPersonnel', rule: 'person', message: '自然人主体无需填写主要人员' });
  }
  if (checkDay(errors, 'establishedOn', input.establishedOn) && input.establishedOn! > today) {
    errors.push({ field: 'establishedOn', rule: 'not_future', message: '成立日期不能晚于今天' });
  }
  if (input.legalRepresentative?.idNumber !== undefined) checkId(errors, 'legalRepresentative.idNumber', input.legalRepresentative.idNumber, now);
  const qualificationNumbers = new Set<string>();
  input.qualifications.forEach((q, i) => {
    const f = `qualifications.${i}`;
    if (checkDay(errors, `${f}.validFrom`, q.validFrom) && checkDay(errors, `${f}.validTo`, q.validTo) && q.validTo < q.validFrom) {
      errors.push({ field: `${f}.validTo`, rule: 'not_before_from', message: '资质有效期截止日期不能早于起始日期' });
    }
    const key = `${q.category}\u0000${q.number}`;
    if (qualificationNumbers.has(key)) errors.push({ field: `${f}.number`, rule: 'unique', message: `资质证书 ${q.number} 重复填写` });
    qualificationNumbers.add(key);
  });
  input.certificates.forEach((c, i) => checkDay(errors, `certificates.${i}.validTo`, c.validTo));
  const people = new Set<string>();
  input.keyPersonnel.forEach((p, i) => {
    const f = `keyPersonnel.${i}`;
    const id = checkId(errors, `${f}.idNumber`, p.idNumber, now);
    if (id !== undefined) {
      if (people.has(id)) errors.push({ field: `${f}.idNumber`, rule: 'unique', message: `人员 ${p.name} 的身份证号重复填写` });
      people.add(id);
    }
    checkDay(errors, `${f}.certificateValidTo`, p.certificateValidTo);
  });
  return errors;
}

// ---- storage ----

/**
 * The stored form of a checked profile. Items keep the id they had in `previous` (so a
 * qualification is the same row across versions); an unknown or missing id gets a new one.
 */
export function storeProfile(key: Buffer, entityId: string, input: ProfileInputT, previous: StoredProfile | null): StoredProfile {
  /** An item's id: the one it names if `previous` has it, else that of the previous item with the same natural key, else a new one. */
  const idOf = (given: string | undefined, naturalKey: string, earlier: { id: string; key: string }[]) =>
    (given !== undefined && earlier.some((e) => e.id === given) ? given : earlier.find((e) => e.key === naturalKey)?.id) ?? crypto.randomUUID();
  const id = (v: string) => v.trim().toUpperCase();
  const known = {
    q: (previous?.qualifications ?? []).map((q) => ({ id: q.id, key: `${q.category}\u0000${q.number}` })),
    c: (previous?.certificates ?? []).map((c) => ({ id: c.id, key: `${c.kind}\u0000${c.number}` })),
    p: (previous?.keyPersonnel ?? []).map((p) => ({ id: p.id, key: p.idNumber.digest })),
  };
  return {
    name: input.name,
    regionCode: input.regionCode,
    roles: [...input.roles].sort(),
    entityType: input.entityType ?? null,
    registeredCapitalWanYuan: input.registeredCapitalWanYuan ?? null,
    establishedOn: input.establishedOn ?? null,
    address: input.address,
    businessScope: input.businessScope ?? null,
    legalRepresentative: input.legalRepresentative
      ? {
          name: input.legalRepresentative.name,
          idNumber: input.legalRepresentative.idNumber ? sealValue(key, entityId, id(input.legalRepresentative.idNumber), maskIdNumber(id(input.legalRepresentative.idNumber))) : null,
        }
      : null,
    contacts: input.contacts.map((c) => ({ name: c.name, phone: sealValue(key, entityId, c.phone, maskPhone(c.phone)), email: c.email ?? null })),
    bankAccount: input.bankAccount
      ? { bankName: input.bankAccount.bankName, accountName: input.bankAccount.accountName, number: sealValue(key, entityId, input.bankAccount.number, maskBankAccount(input.bankAccount.number)) }
      : null,
    qualifications: input.qualifications.map((q) => ({ id: idOf(q.id, `${q.category}\u0000${q.number}`, known.q), category: q.category, grade: q.grade, number: q.number, issuer: q.issuer, validFrom: q.validFrom, validTo: q.validTo })),
    certificates: input.certificates.map((c) => ({ id: idOf(c.id, `${c.kind}\u0000${c.number}`, known.c), kind: c.kind, number: c.number, issuer: c.issuer, validTo: c.validTo ?? null, file: c.file ?? null })),
    keyPersonnel: input.keyPersonnel.map((p) => ({
      id: idOf(p.id, blindIndex(key, id(p.idNumber), PII_INDEX_SCOPE), known.p),
      name: p.name,
      role: p.role,
      idNumber: sealValue(key, entityId, id(p.idNumber), maskIdNumber(id(p.idNumber))),
      certificateKind: p.certificateKind,
      certificateNumber: p.certificateNumber,
      certificateValidTo: p.certificateValidTo ?? null,
    })),
  };
}

/** The blank profile a registration starts from. */
export function blankProfile(name: string, regionCode: string): StoredProfile {
  return {
    name,
    regionCode,
    roles: [],
    entityType: null,
    registeredCapitalWanYuan: null,
    establishedOn: null,
    address: '',
    businessScope: null,
    legalRepresentative: null,
    contacts: [],
    bankAccount: null,
    qualifications: [],
    certificates: [],
    keyPersonnel: [],
  };
}

// ---- views ----

export type Disclosure = { clear: true; key: Buffer; entityId: string } | { clear: false };

export function profileView(p: StoredProfile, disclosure: Disclosure, today: string, rules?: RegistryRules) {
  const show = (v: SealedValue) => (disclosure.clear ? openValue(disclosure.key, disclosure.entityId, v) : v.masked);
  return {
    name: p.name,
    regionCode: p.regionCode,
    regionName: loadRegionTree().fullName(p.regionCode),
    roles: p.roles,
    entityType: p.entityType,
    registeredCapitalWanYuan: p.registeredCapitalWanYuan,
    establishedOn: p.establishedOn,
    address: p.address,
    businessScope: p.businessScope,
    legalRepresentative: p.legalRepresentative ? { name: p.legalRepresentative.name, idNumber: p.legalRepresentative.idNumber ? show(p.legalRepresentative.idNumber) : null } : null,
    contacts: p.contacts.map((c) => ({ name: c.name, phone: show(c.phone), email: c.email })),
    bankAccount: p.bankAccount ? { bankName: p.bankAccount.bankName, accountName: p.bankAccount.accountName, number: show(p.bankAccount.number) } : null,
    qualifications: p.qualifications.map((q) => ({ ...q, state: qualificationState(q.validFrom, q.validTo, today, rules) })),
    certificates: p.certificates,
    keyPersonnel: p.keyPersonnel.map((k) => ({ ...k, idNumber: show(k.idNumber) })),
    masked: !disclosure.clear,
  };
}

// ---- what changed ----

export interface Change {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
}

const LABELS: Record<string, string> = {
  name: '名称',
  regionCode: '注册地区划',
  roles: '主体角色',
  entityType: '主体类型',
  registeredCapitalWanYuan: '注册资本（万元）',
  establishedOn: '成立日期',
  address: '住所',
  businessScope: '经营范围',
  legalRepresentative: '法定代表人',
  contacts: '联系人',
  bankAccount: '基本账户',
  qualifications: '资质',
  certificates: '证书',
  keyPersonnel: '主要人员',
};

function scalar(v: string | number | null): string | null {
  return v === null || v === '' ? null : String(v);
}

/** Items of two lists compared by id: how many were added, removed and changed (or null if none). */
function listDelta<T extends { id: string }>(before: T[], after: T[], same: (a: T, b: T) => boolean): string | null {
  const old = new Map(before.map((x) => [x.id, x]));
  const added = after.filter((x) => !old.has(x.id)).length;
  const kept = new Set(after.map((x) => x.id));
  const removed = before.filter((x) => !kept.has(x.id)).length;
  const changed = after.filter((x) => old.has(x.id) && !same(old.get(x.id)!, x)).length;
  if (added + removed + changed === 0) return null;
  return [added ? `新增 ${added} 项` : '', changed ? `修改 ${changed} 项` : '', removed ? `删除 ${removed} 项` : ''].filter(Boolean).join('，');
}

/** Sealed values compare by their keyed digest: no need to open them. */
function sealedKey(v: SealedValue | null): string | null {
  return v?.digest ?? null;
}

/**
 * What `after` changes in `before` (null: a first registration, every filled field is new).
 * Personal values show masked; lists show how many items were added, changed, removed.
 */
export function changesBetween(before: StoredProfile | null, after: StoredProfile): Change[] {
  const out: Change[] = [];
  const b = before ?? blankProfile('', '');
  const push = (field: string, was: string | null, now: string | null) => {
    if (was !== now) out.push({ field, label: LABELS[field] ?? field, before: was, after: now });
  };
  push('name', scalar(b.name), scalar(after.name));
  push('regionCode', scalar(b.regionCode) && loadRegionTree().fullName(b.regionCode), loadRegionTree().fullName(after.regionCode));
  push('roles', scalar(b.roles.map((r) => ENTITY_ROLE_NAMES[r]).join('、')), scalar(after.roles.map((r) => ENTITY_ROLE_NAMES[r]).join('、')));
  for (const f of ['entityType', 'registeredCapitalWanYuan', 'establishedOn', 'address', 'businessScope'] as const) push(f, scalar(b[f]), scalar(after[f]));
  const rep = (r: StoredProfile['legalRepresentative']) => (r ? `${r.name}${r.idNumber ? `（${r.idNumber.masked}）` : ''}` : null);
  if (b.legalRepresentative?.name !== after.legalRepresentative?.name || sealedKey(b.legalRepresentative?.idNumber ?? null) !== sealedKey(after.legalRepresentative?.idNumber ?? null)) {
    out.push({ field: 'legalRepresentative', label: LABELS.legalRepresentative!, before: rep(b.legalRepresentative), after: rep(after.legalRepresentative) });
  }
  const contacts = (cs: StoredProfile['contacts']) => cs.map((c) => `${c.name}|${c.phone.digest}|${c.email ?? ''}`).join(';');
  if (contacts(b.contacts) !== contacts(after.contacts)) {
    const show = (cs: StoredProfile['contacts']) => scalar(cs.map((c) => `${c.name} ${c.phone.masked}`).join('；'));
    out.push({ field: 'contacts', label: LABELS.contacts!, before: show(b.contacts), after: show(after.contacts) });
  }
  const bank = (a: StoredProfile['bankAccount']) => (a ? `${a.bankName}|${a.accountName}|${a.number.digest}` : null);
  if (bank(b.bankAccount) !== bank(after.bankAccount)) {
    const show = (a: StoredProfile['bankAccount']) => (a ? `${a.bankName} ${a.accountName} ${a.number.masked}` : null);
    out.push({ field: 'bankAccount', label: LABELS.bankAccount!, before: show(b.bankAccount), after: show(after.bankAccount) });
  }
  const json = (x: unknown) => JSON.stringify(x);
  const q = listDelta(b.qualifications, after.qualifications, (x, y) => json(x) === json(y));
  if (q) out.push({ field: 'qualifications', label: LABELS.qualifications!, before: null, after: q });
  const c = listDelta(b.certificates, after.certificates, (x, y) => json(x) === json(y));
  if (c) out.push({ field: 'certificates', label: LABELS.certificates!, before: null, after: c });
  const personKey = (p: StoredProfile['keyPersonnel'][number]) => json({ ...p, idNumber: p.idNumber.digest });
  const k = listDelta(b.keyPersonnel, after.keyPersonnel, (x, y) => personKey(x) === personKey(y));
  if (k) out.push({ field: 'keyPersonnel', label: LABELS.keyPersonnel!, before: null, after: k });
  return out;
}
