// Use cases of the coding module: issue a deal code or a lot code inside the caller's
// transaction (the acceptance of a project, the creation of its lots), and say what a code
// belongs to. Issuing writes no audit row of its own: the acceptance that issues the code is
// the user's action and is audited (and appended to the deal's event stream) by its module.

import type { Kysely } from 'kysely';
import type { Principal } from '../../platform/auth/principal.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { accountDisplayNames } from '../identity/identity.accounts.ts';
import { inRegionScope, regionScope } from '../org/org.region-scope.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import * as repo from './coding.repository.ts';
import { buildDealCode, isCodeKind, issueDay, lotCode, MAX_DAILY_SERIAL, MAX_LOT_SERIAL, parseAnyCode, parseDealCode, type CodeKind } from './coding.rules.ts';

export type Actor = RequestContext & { principal: Principal };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TITLE = 300;
const MAX_CATEGORY = 60;

export interface IssueDealCodeInput {
  kind: CodeKind;
  /** The record the code is issued for (e.g. the tender project). */
  subjectId: string;
  title: string;
  /** GB/T 2260 region of the deal: decides who may read the code's details. */
  regionCode: string;
  /** Trading category of the deal (e.g. 施工, 货物), as the owning module names it. */
  category: string;
  issuedBy: string | null;
  /** When the code is issued (the injected clock): its China-time day is part of the code. */
  at: Date;
}

function requireTransaction(trx: Kysely<DB>, what: string): void {
  if (!trx.isTransaction) throw new Error(`${what} must run inside the caller's transaction, so the code commits with what it is issued for`);
}

function checkText(field: string, value: string, max: number, name: string): string {
  const t = value.trim();
  if (t.length === 0) throw invalid(field, 'required', `${name}不能为空`);
  if (t.length > max) throw invalid(field, 'maxLength', `${name}不能超过 ${max} 个字符`);
  return t;
}

function checkAt(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new Error('issue time must be a valid Date');
}

/**
 * Issues the next unified deal code of the platform's China-time day and records what it is for.
 * `trx` must be the transaction that accepts the project: the code is then issued only if the
 * acceptance commits, and a rolled-back acceptance uses up no serial. Concurrent issues wait for
 * each other on the day's counter until their transactions end, so keep the rest of the
 * transaction short after this call.
 */
export async function issueDealCode(trx: Kysely<DB>, deps: Pick<Deps, 'config'>, input: IssueDealCodeInput): Promise<string> {
  requireTransaction(trx, 'issueDealCode');
  checkAt(input.at);
  if (!isCodeKind(input.kind)) throw invalid('kind', 'exists', `未知的赋码对象类型：${String(input.kind)}`);
  if (!UUID.test(input.subjectId)) throw invalid('subjectId', 'format', '赋码对象编号必须是 UUID');
  const title = checkText('title', input.title, MAX_TITLE, '项目名称');
  const category = checkText('category', input.category, MAX_CATEGORY, '交易类别');
  if (!loadRegionTree().get(input.regionCode)) throw invalid('regionCode', 'exists', '行政区划代码不存在');

  const platformUscc = deps.config.codingUscc;
  const day = issueDay(input.at);
  const serial = await repo.takeDailySerial(trx, platformUscc, day, MAX_DAILY_SERIAL);
  if (serial === null) {
    throw new AppError('conflict', `${day} 的交易标识码流水号已用尽（每日最多 ${MAX_DAILY_SERIAL} 个），请次日再受理`, {
      errors: [{ field: 'at', rule: 'daily_serial_exhausted', message: `当日流水号已达上限 ${MAX_DAILY_SERIAL}` }],
    });
  }
  const code = buildDealCode(platformUscc, day, serial);
  await repo.insertCode(trx, {
    code,
    platform_uscc: platformUscc,
    day,
    serial,
    kind: input.kind,
    subject_id: input.subjectId,
    title,
    region_code: input.regionCode,
    category,
    issued_at: input.at,
    issued_by: input.issuedBy,
  });
  return code;
}

export interface IssueLotCodeInput {
  /** The deal (tender project) code, stored form or with hyphens. */
  dealCode: string;
  /** The lot record the code is issued for. */
  subjectId: string;
  title: string;
  at: Date;
}

/**
 * Issues the next lot code of a deal (001, 002, … without gaps). Run it in the transaction that
 * creates the lot; lots of one deal are numbered one at a time (the deal's row is locked).
 */
export async function issueLotCode(trx: Kysely<DB>, input: IssueLotCodeInput): Promise<string> {
  requireTransaction(trx, 'issueLotCode');
  checkAt(input.at);
  const parsed = parseDealCode(input.dealCode);
  if (!parsed.ok) throw invalid('dealCode', parsed.rule, parsed.message);
  if (!UUID.test(input.subjectId)) throw invalid('subjectId', 'format', '标段编号必须是 UUID');
  const title = checkText('title', input.title, MAX_TITLE, '标段名称');
  const deal = await repo.lockCode(trx, parsed.value.code);
  if (!deal) throw notFound('交易标识码');
  const serial = (await repo.lastLotSerial(trx, deal.code)) + 1;
  if (serial > MAX_LOT_SERIAL) throw new AppError('conflict', `一个项目最多划分 ${MAX_LOT_SERIAL} 个标段`, { errors: [{ field: 'dealCode', rule: 'lot_serial_exhausted', message: `标段数已达上限 ${MAX_LOT_SERIAL}` }] });
  const code = lotCode(deal.code, serial);
  await repo.insertLot(trx, { lot_code: code, deal_code: deal.code, serial, subject_id: input.subjectId, title, issued_at: input.at });
  return code;
}

export type CodeLookup = { kind: 'deal'; deal: repo.CodeRow; lot: null } | { kind: 'lot'; deal: repo.CodeRow; lot: repo.LotRow };

/**
 * What a code typed by a person belongs to: a deal, or a lot and its deal. A malformed code or a
 * wrong check character is a 400 naming the rule; a well-formed code never issued here is null.
 */
export async function lookupCode(deps: Pick<Deps, 'db'>, text: string): Promise<CodeLookup | null> {
  const parsed = parseAnyCode(text);
  if (!parsed.ok) throw invalid('code', parsed.rule, parsed.message);
  if (parsed.value.kind === 'deal') {
    const deal = await repo.findCode(deps.db, parsed.value.deal.code);
    return deal ? { kind: 'deal', deal, lot: null } : null;
  }
  const lot = await repo.findLot(deps.db, parsed.value.lot.lotCode);
  if (!lot) return null;
  const deal = await repo.findCode(deps.db, lot.deal_code);
  if (!deal) throw new Error(`lot ${lot.lot_code} without its deal`);
  return { kind: 'lot', deal, lot };
}

export interface CodeDetails {
  found: CodeLookup;
  lots: repo.LotRow[];
  issuerName: string | null;
}

/**
 * The full record of a code for staff: only within the caller's data scope for
 * `coding.code.read` (by the deal's region; `own`/`organisation` scope: codes the caller issued).
 * Outside it the answer is the same 404 as for a code never issued.
 */
export async function codeDetails(deps: Deps, actor: Actor, text: string): Promise<CodeDetails> {
  const scope = regionScope(actor.principal, 'coding.code.read');
  const found = await lookupCode(deps, text);
  if (!found || !inRegionScope(scope, { region_code: found.deal.region_code, created_by: found.deal.issued_by })) throw notFound('交易标识码');
  const lots = await repo.lotsOf(deps.db, found.deal.code);
  const names = found.deal.issued_by ? await accountDisplayNames(deps, [found.deal.issued_by]) : new Map<string, string>();
  return { found, lots, issuerName: found.deal.issued_by ? (names.get(found.deal.issued_by) ?? null) : null };
}
