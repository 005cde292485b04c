// The credit archive as its subject sees it: a market entity's own users read every record
// about their entity (published or not), the bans in force today with their reasons, their
// score, and file objections and repair requests themselves — the steps staff otherwise file
// on a subject's behalf. The subject is the signed-in account's entity, never a parameter.

import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { entitySubject } from '../registry/registry.facts.ts';
import { loadCategories } from './credit.categories.ts';
import * as repo from './credit.repository.ts';
import { ALL_CATEGORIES, chinaDate, disclosureRule, scoreOf } from './credit.rules.ts';
import { subjectKeyOf, type Actor } from './credit.service.ts';
import { objectionOn, repairOn, type ObjectionInput, type RepairInput } from './credit.steps.ts';

async function ownSubject(deps: Deps, actor: Actor) {
  if (actor.principal.entityId === null) throw forbidden('此功能仅供市场主体用户使用');
  const subject = await entitySubject(deps, actor.principal.entityId);
  return { subject, key: subjectKeyOf(deps, subject) };
}

export interface BanInForce {
  recordId: string;
  title: string;
  from: string;
  to: string;
  reason: string;
}

export async function ownArchive(deps: Deps, actor: Actor) {
  const { subject, key } = await ownSubject(deps, actor);
  const today = chinaDate(actor.now);
  const records = await repo.recordsOfSubject(deps.db, subject.kind, key, null);
  const { objections, repairs } = await repo.stepsOf(
    deps.db,
    records.map((r) => r.id),
  );
  const score = scoreOf(
    records.map((r) => ({ id: r.id, type: r.type, severity: r.severity, status: r.status, decisionDate: r.decision_date, months: r.disclosure_months ?? disclosureRule(r.severity).defaultMonths })),
    today,
  );
  const tree = loadRegionTree();
  const categories = loadCategories();
  const bans: BanInForce[] = records
    .filter((r) => r.ban_from !== null && r.ban_from <= today && r.ban_to! >= today && (r.status === 'effective' || r.status === 'under_objection'))
    .map((r) => {
      const scope = r.ban_categories!.includes(ALL_CATEGORIES) ? '全部交易' : r.ban_categories!.map((c) => categories.get(c)?.name ?? c).join('、');
      return { recordId: r.id, title: r.title, from: r.ban_from!, to: r.ban_to!, reason: `${r.ban_from} 至 ${r.ban_to} 禁止在${tree.fullName(r.ban_region_code!) || r.ban_region_code}参与${scope}（${r.legal_basis}）` };
    });
  return { subject, records, objections, repairs, score: { ...score, titles: new Map(records.map((r) => [r.id, r.title])) }, bans };
}

/** A record about the caller's own entity (404 for any other: existence is not disclosed). */
async function ownRecord(deps: Deps, actor: Actor, recordId: string): Promise<repo.RecordRow> {
  const { subject, key } = await ownSubject(deps, actor);
  const record = await repo.findRecord(deps.db, recordId);
  if (!record || record.subject_kind !== subject.kind || record.subject_key !== key) throw notFound('信用记录');
  return record;
}

export async function fileOwnObjection(deps: Deps, actor: Actor, recordId: string, input: Omit<ObjectionInput, 'onBehalfOf'>): Promise<repo.ObjectionRow> {
  const record = await ownRecord(deps, actor, recordId);
  return objectionOn(deps, actor, record, { ...input, onBehalfOf: record.subject_name });
}

export async function requestOwnRepair(deps: Deps, actor: Actor, recordId: string, input: RepairInput): Promise<repo.RepairRow> {
  return repairOn(deps, actor, await ownRecord(deps, actor, recordId), input);
}
