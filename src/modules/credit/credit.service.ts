// Use cases of the credit library: records (one or an import), the participation check every
// procedure calls, the public disclosure and the subject's archive. Objections and repair are in
// credit.steps.ts. Check scope → guard → one transaction with its audit rows.

import crypto from 'node:crypto';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import { recordDenied } from '../../platform/audit/denied.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { blindIndex, openSm4, sealSm4 } from '../../platform/crypto/sm4.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, invalid, notFound, type FieldError } from '../../platform/errors.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import { checkUscc, maskIdNumber } from '../../platform/validation/ids.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { getPersonnel } from '../org/org.service.ts';
import { loadCategories } from './credit.categories.ts';
import { checkedSubjectKey, checkRecord, USCC_MESSAGES, type CheckedSubject, type RecordInput } from './credit.checks.ts';
import { csvRecord, CsvError, parseCsv, readHeader } from './credit.csv.ts';
import * as repo from './credit.repository.ts';
import { ALL_CATEGORIES, banBlocks, chinaDate, disclosureRule, scoreOf, type RecordStatus, type RecordType, type Score } from './credit.rules.ts';
import { MAX_IMPORT_ROWS, RecordCreate } from './credit.schemas.ts';
import { schemaErrors } from './credit.schema-check.ts';
import { creditScope, recordInScope, regionIssuable, scopeClause, type CreditPermission } from './credit.scope.ts';

export type Actor = RequestContext & { principal: Principal };

const ID_INDEX_SCOPE = 'credit.subject.id_number';

/** The subject key stored in credit.records: the USCC, or the keyed blind index of the ID number. */
export function subjectKeyOf(deps: Deps, subject: CheckedSubject): string {
  return subject.kind === 'organisation' ? subject.uscc : blindIndex(deps.keys.master, subject.idNumber, ID_INDEX_SCOPE);
}

/** The record if the caller's scope for `permission` reaches it; 404 otherwise (existence is not disclosed). */
export async function recordFor(deps: Deps, actor: Actor, id: string, permission: CreditPermission): Promise<repo.RecordRow> {
  const scope = creditScope(actor.principal, permission);
  const row = await repo.findRecord(deps.db, id);
  if (!row || !recordInScope(scope, row)) throw notFound('信用记录');
  return row;
}

// ---- create ----

function rowOf(deps: Deps, by: { createdBy: string | null; now: Date }, input: RecordInput, checked: Extract<ReturnType<typeof checkRecord>, { ok: true }>['value']): repo.RecordInsert {
  const id = crypto.randomUUID();
  const s = checked.subject;
  return {
    id,
    subject_kind: s.kind,
    subject_key: subjectKeyOf(deps, s),
    subject_name: input.subjectName,
    id_number_enc: s.kind === 'person' ? sealSm4(deps.keys.master, s.idNumber, `credit:${id}:id_number`) : null,
    id_number_masked: s.kind === 'person' ? maskIdNumber(s.idNumber) : null,
    participant_role: input.role,
    type: input.type,
    severity: checked.severity,
    title: input.title,
    facts: input.facts,
    legal_basis: input.legalBasis,
    source_department: input.sourceDepartment,
    region_code: input.regionCode,
    decision_number: input.decisionNumber,
    decision_date: input.decisionDate,
    evidence: JSON.stringify(input.evidence ?? []),
    effective_from: input.effectiveFrom,
    effective_to: input.effectiveTo ?? null,
    status: 'effective',
    disclosure_months: checked.disclosureMonths,
    disclosure_to: checked.disclosureTo,
    ban_categories: input.ban ? input.ban.categories : null,
    ban_region_code: input.ban?.regionCode ?? null,
    ban_from: input.ban?.from ?? null,
    ban_to: input.ban?.to ?? null,
    not_repairable_reason: input.notRepairableReason ?? null,
    created_by: by.createdBy,
    created_at: by.now,
    updated_at: by.now,
  };
}

/** What an audit row may hold of a record: no ID number, sealed or masked. */
function auditable(row: repo.RecordInsert): Record<string, unknown> {
  const { id_number_enc: _enc, id_number_masked: _masked, ...rest } = row;
  return rest;
}

export async function createRecord(deps: Deps, actor: Actor, input: RecordInput): Promise<repo.RecordRow> {
  const scope = creditScope(actor.principal, 'credit.record.write');
  const checked = checkRecord(input, actor.now, chinaDate(actor.now));
  if (!checked.ok) throw new AppError('validation_failed', checked.errors[0]!.message, { errors: checked.errors });
  if (!regionIssuable(scope, actor.principal, input.regionCode)) {
    await recordDenied(deps.db, actor, { permission: 'credit.record.write', regionCode: input.regionCode });
    throw new AppError('forbidden', '您只能登记本区域发布的信用记录', { errors: [{ field: 'regionCode', rule: 'in_scope', message: '发布区划不在您的数据范围内' }] });
  }
  return writeRecord(deps, auditContext(actor), rowOf(deps, { createdBy: actor.principal.accountId, now: actor.now }, input, checked.value));
}

async function writeRecord(deps: Deps, audit: AuditContext, row: repo.RecordInsert): Promise<repo.RecordRow> {
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRecord(trx, row);
    await appendAudit(trx, audit, {
      action: 'credit.record.create',
      targetType: 'credit_record',
      targetId: row.id,
      after: auditable(row),
      detail: { type: row.type, severity: row.severity, regionCode: row.region_code, ban: row.ban_from !== null },
    });
  });
  return (await repo.findRecord(deps.db, row.id))!;
}

/**
 * A record written without a request (demo data): the same checks as through the API, no
 * caller and so no data scope; audited under `audit` (e.g. seed-demo). Throws on a bad record.
 */
export async function createRecordDirect(deps: Deps, input: RecordInput, audit: AuditContext): Promise<repo.RecordRow> {
  const checked = checkRecord(input, audit.at, chinaDate(audit.at));
  if (!checked.ok) throw new Error(`invalid credit record: ${checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  return writeRecord(deps, audit, rowOf(deps, { createdBy: null, now: audit.at }, input, checked.value));
}

/** Whether the subject already has a record with this decision number (idempotent seeding). */
export async function hasRecordWithDecision(deps: Deps, uscc: string, decisionNumber: string): Promise<boolean> {
  const records = await repo.recordsOfSubject(deps.db, 'organisation', uscc, null);
  return records.some((r) => r.decision_number === decisionNumber);
}

// ---- import ----

export interface ImportLineProblem {
  line: number;
  field: string;
  rule: string;
  message: string;
}

function importFailed(report: ImportLineProblem[]): AppError {
  const lines = new Set(report.map((r) => r.line)).size;
  return new AppError('validation_failed', `导入数据有 ${lines} 行不符合要求，未写入任何记录`, {
    errors: report.map((r) => ({ field: r.field, rule: r.rule, message: `第 ${r.line} 行：${r.message}` })),
    extra: { report },
  });
}

/** Lines of an import as JSON records, numbered as the caller sees them. */
function importLines(input: { records?: Record<string, unknown>[] | undefined; csv?: string | undefined }): { line: number; value: Record<string, unknown> }[] {
  if ((input.records === undefined) === (input.csv === undefined)) throw invalid('records', 'one_of', '请提供 records（JSON 数组）或 csv（CSV 文本）中的一项');
  if (input.records) return input.records.map((value, i) => ({ line: i + 1, value }));
  let rows;
  try {
    rows = parseCsv(input.csv!);
  } catch (e) {
    if (e instanceof CsvError) throw importFailed([{ line: e.line, field: 'csv', rule: 'csv_syntax', message: e.message }]);
    throw e;
  }
  const [header, ...data] = rows;
  if (!header) throw invalid('csv', 'header', 'CSV 文本缺少表头行');
  const { columns, problems } = readHeader(header.cells);
  if (problems.length > 0) throw importFailed(problems.map((p) => ({ line: header.line, ...p })));
  if (data.length === 0) throw invalid('csv', 'minItems', 'CSV 文本没有数据行');
  if (data.length > MAX_IMPORT_ROWS) throw invalid('csv', 'maxItems', `一次最多导入 ${MAX_IMPORT_ROWS} 行`);
  return data.map((row) => {
    if (row.cells.length !== header.cells.length) return { line: row.line, value: { __cells: row.cells.length } };
    return { line: row.line, value: csvRecord(columns, row.cells) };
  });
}

/**
 * Every line is checked (schema, then the record rules, then the caller's scope) and reported;
 * when any line is bad nothing is written. Otherwise all records are written in one transaction
 * with one audit row each.
 */
export async function importRecords(deps: Deps, actor: Actor, input: { records?: Record<string, unknown>[] | undefined; csv?: string | undefined }): Promise<string[]> {
  const scope = creditScope(actor.principal, 'credit.record.write');
  const lines = importLines(input);
  const today = chinaDate(actor.now);
  const report: ImportLineProblem[] = [];
  const rows: repo.RecordInsert[] = [];
  for (const { line, value } of lines) {
    const push = (errors: FieldError[]) => report.push(...errors.map((e) => ({ line, ...e })));
    if ('__cells' in value) {
      push([{ field: 'csv', rule: 'column_count', message: '该行的列数与表头不一致' }]);
      continue;
    }
    const shape = schemaErrors(RecordCreate, value);
    if (shape.length > 0) {
      push(shape);
      continue;
    }
    const record = value as unknown as RecordInput;
    const checked = checkRecord(record, actor.now, today);
    if (!checked.ok) {
      push(checked.errors);
      continue;
    }
    if (!regionIssuable(scope, actor.principal, record.regionCode)) {
      push([{ field: 'regionCode', rule: 'in_scope', message: '发布区划不在您的数据范围内' }]);
      continue;
    }
    rows.push(rowOf(deps, { createdBy: actor.principal.accountId, now: actor.now }, record, checked.value));
  }
  if (report.length > 0) throw importFailed(report);
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRecordsBulk(trx, rows);
    for (const row of rows) {
      await appendAudit(trx, auditContext(actor), {
        action: 'credit.record.import',
        targetType: 'credit_record',
        targetId: row.id,
        after: auditable(row),
        detail: { type: row.type, severity: row.severity, regionCode: row.region_code, lines: rows.length },
      });
    }
  });
  return rows.map((r) => r.id);
}

// ---- read ----

export interface RecordListQuery {
  type?: RecordType | undefined;
  status?: RecordStatus | undefined;
  regionCode?: string | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
}

export async function listRecords(deps: Deps, actor: Actor, query: RecordListQuery) {
  const scope = creditScope(actor.principal, 'credit.record.read');
  if (query.regionCode && !loadRegionTree().get(query.regionCode)) throw invalid('regionCode', 'exists', `行政区划代码 ${query.regionCode} 不存在`);
  return repo.listRecords(deps.db, {
    scope: scopeClause(scope),
    type: query.type,
    status: query.status,
    regionCodes: query.regionCode ? loadRegionTree().subtree(query.regionCode) : undefined,
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
}

// ---- participation ----

export interface ParticipationQuery {
  subject: { uscc?: string | undefined } | { idNumber?: string | undefined };
  /** A trading category code (credit.categories). */
  category: string;
  /** GB/T 2260 code of the deal's region. */
  regionCode: string;
  at: Date;
}

export interface Blocking {
  recordId: string;
  title: string;
  severity: repo.RecordRow['severity'];
  basis: string;
  until: string;
  reason: string;
}

/**
 * May the subject take part in a deal of `category` in `regionCode` at instant `at`? The one
 * check every procedure (registration, bidding, award) calls. A ban blocks on every calendar day
 * (CST) of its period, both ends included; revoked and repaired records never block.
 */
export async function checkParticipation(deps: Pick<Deps, 'db' | 'keys'>, query: ParticipationQuery): Promise<{ allowed: boolean; blocking: Blocking[] }> {
  const subject = checkedSubjectKey(query.subject as { uscc?: string; idNumber?: string }, query.at, 'subject.');
  const categories = loadCategories();
  const category = categories.get(query.category);
  if (!category || query.category === ALL_CATEGORIES) throw invalid('category', 'exists', `交易类别 ${query.category} 不存在`);
  const tree = loadRegionTree();
  if (!tree.get(query.regionCode)) throw invalid('regionCode', 'exists', `行政区划代码 ${query.regionCode} 不存在`);
  const day = chinaDate(query.at);
  const key = subject.kind === 'organisation' ? subject.uscc : blindIndex(deps.keys.master, subject.idNumber, ID_INDEX_SCOPE);
  const bans = await repo.liveBans(deps.db, key, day);
  const within = (code: string, root: string) => tree.isWithin(code, root);
  const blocking: Blocking[] = [];
  for (const b of bans) {
    const ban = { status: b.status, categories: b.ban_categories!, regionCode: b.ban_region_code!, from: b.ban_from!, to: b.ban_to! };
    if (!banBlocks(ban, query.category, query.regionCode, day, within)) continue;
    const scopeName = ban.categories.includes(ALL_CATEGORIES) ? '全部交易' : ban.categories.map((c) => categories.get(c)?.name ?? c).join('、');
    blocking.push({
      recordId: b.id,
      title: b.title,
      severity: b.severity,
      basis: b.legal_basis,
      until: ban.to,
      reason: `${ban.from} 至 ${ban.to} 禁止在${tree.fullName(ban.regionCode) || ban.regionCode}参与${scopeName}`,
    });
  }
  blocking.sort((a, b) => (a.until < b.until ? 1 : a.until > b.until ? -1 : a.recordId.localeCompare(b.recordId)));
  return { allowed: blocking.length === 0, blocking };
}

// ---- public disclosure ----

export async function publicCredit(deps: Deps, query: { uscc?: string | undefined; name?: string | undefined }, now: Date): Promise<repo.RecordRow[]> {
  if ((query.uscc === undefined) === (query.name === undefined)) throw invalid('uscc', 'one_of', '请按统一社会信用代码或名称中的一项查询');
  const day = chinaDate(now);
  if (query.uscc !== undefined) {
    const r = checkUscc(query.uscc.trim());
    if (!r.ok) throw invalid('uscc', r.rule, USCC_MESSAGES[r.rule]);
    return repo.disclosedRecords(deps.db, { uscc: r.normalized }, day, 200);
  }
  return repo.disclosedRecords(deps.db, { name: query.name! }, day, 200);
}

// ---- archive ----

export interface ArchiveView {
  subject: CheckedSubject;
  name: string | null;
  records: repo.RecordRow[];
  objections: repo.ObjectionRow[];
  repairs: repo.RepairRow[];
  score: Score & { titles: Map<string, string> };
}

/**
 * Everything the caller's scope shows of one subject: records, objections, repair requests, and
 * the score. The score is computed from the subject's records the caller can see, so that a
 * figure never reveals records the caller may not read.
 */
export async function subjectArchive(deps: Deps, actor: Actor, key: { uscc?: string | undefined; idNumber?: string | undefined }): Promise<ArchiveView> {
  const scope = creditScope(actor.principal, 'credit.record.read');
  const subject = checkedSubjectKey(key, actor.now);
  const records = await repo.recordsOfSubject(deps.db, subject.kind, subjectKeyOf(deps, subject), scopeClause(scope));
  const { objections, repairs } = await repo.stepsOf(
    deps.db,
    records.map((r) => r.id),
  );
  const score = scoreOf(
    records.map((r) => ({ id: r.id, type: r.type, severity: r.severity, status: r.status, decisionDate: r.decision_date, months: r.disclosure_months ?? disclosureRule(r.severity).defaultMonths })),
    chinaDate(actor.now),
  );
  return { subject, name: records[0]?.subject_name ?? null, records, objections, repairs, score: { ...score, titles: new Map(records.map((r) => [r.id, r.title])) } };
}

/**
 * A staff member's credit archive (信用档案 of 从业人员): the records about a person of the
 * personnel library, for a caller who may see both that person and credit records. The ID
 * number is opened here and stays in memory.
 */
export async function personnelArchive(deps: Deps, actor: Actor, personnelId: string): Promise<{ person: { name: string; idNumberMasked: string }; archive: ArchiveView }> {
  const person = await getPersonnel(deps, actor, personnelId);
  const idNumber = openSm4(deps.keys.master, person.id_number_enc, `personnel:${person.id}:id_number`).toString('utf8');
  return { person: { name: person.name, idNumberMasked: person.id_number_masked }, archive: await subjectArchive(deps, actor, { idNumber }) };
}
