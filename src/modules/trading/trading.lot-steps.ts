// What every step after the opening shares: finding a lot the caller may act on, locking it for
// a step that the lot state machine allows, the parties named in the deal's documents, signed
// PDFs in the blob store, lot notices, and finishing the project when its last lot is done.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { renderPdf, type DocumentInput } from '../../platform/documents/pdf.ts';
import { signDocument, type DocumentSignature } from '../../platform/documents/signature.ts';
import type { TenderParties } from '../../platform/documents/templates/common.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { entityParty } from '../registry/registry.facts.ts';
import { projectFor, type Actor, type ProjectNeed } from './trading.access.ts';
import * as notices from './trading.notices.repository.ts';
import * as repo from './trading.projects.repository.ts';
import type { LotRow, ProjectRow } from './trading.repository.ts';
import { LOT_FINAL, lotStep, projectStep, type LotAction } from './trading.rules.ts';

export interface LotInProject {
  project: ProjectRow;
  lot: LotRow;
}

/** The lot and its project, if the caller may do `need` with the project (404 otherwise). */
export async function lotFor(deps: Deps, actor: Actor, lotId: string, need: ProjectNeed): Promise<LotInProject> {
  const lot = await repo.findLot(deps.db, lotId);
  if (!lot || lot.lot_code === null) throw notFound('标段');
  const project = await projectFor(deps.db, actor, lot.project_id, need);
  return { project, lot };
}

/** Refuses a step the lot's state does not allow now (409, rule `state`), naming where it stands. */
export function guardLot(lot: LotRow, action: LotAction): LotRow['status'] {
  const s = lotStep(lot.status, action);
  if (!s.ok) throw conflict(s.message, 'status', 'state');
  return s.to;
}

/**
 * Locks the lot's project (every step of a deal locks it first, so steps of one deal queue) and
 * checks the step against the lot's state as it is now.
 */
export async function lockedLot(trx: Kysely<DB>, lotId: string, action: LotAction): Promise<LotInProject & { to: LotRow['status'] }> {
  const lot = (await repo.findLot(trx, lotId))!;
  const project = (await repo.lockProject(trx, lot.project_id))!;
  const current = (await repo.findLot(trx, lotId))!;
  return { project, lot: current, to: guardLot(current, action) };
}

export async function moveLot(trx: Kysely<DB>, lot: LotRow, to: LotRow['status'], at: Date, reason: string | null = null): Promise<LotRow> {
  const moved = await repo.updateLot(trx, lot.id, lot.status, { status: to, status_reason: reason, updated_at: at });
  if (!moved) throw conflict('标段状态已变化，请刷新后重试', 'status', 'stale');
  return moved;
}

export async function partiesOf(db: Kysely<DB>, project: ProjectRow, lot: LotRow): Promise<TenderParties> {
  const [tenderer, agency] = await Promise.all([entityParty(db, project.tenderer_entity_id), project.agency_entity_id ? entityParty(db, project.agency_entity_id) : undefined]);
  return {
    dealCode: project.deal_code!,
    lotCode: lot.lot_code!,
    projectName: project.name,
    lotName: lot.name,
    tendererName: tenderer?.name ?? '',
    ...(agency ? { agencyName: agency.name } : {}),
  };
}

export interface SignedFile {
  digest: string;
  size: number;
  signature: DocumentSignature;
}

/** Renders the document, stores the PDF by its SM3 digest and signs it with the platform's SM2 key. */
export async function signedPdf(deps: Deps, doc: DocumentInput): Promise<SignedFile & { bytes: Buffer }> {
  const bytes = await renderPdf(doc);
  const stored = await deps.blobs.put(bytes);
  const signature = signDocument(bytes, deps.keys.platformSm2);
  if (signature.sm3 !== stored.digest) throw new Error('blob store digest is not the SM3 of the document');
  return { ...stored, signature, bytes };
}

/** Publishes a lot's notice (candidates, result, contract, failure) with its signed PDF. */
export async function publishLotNotice(
  trx: Kysely<DB>,
  n: { project: ProjectRow; lot: LotRow; kind: 'candidates' | 'result' | 'contract' | 'failure'; title: string; body: string; file: SignedFile; by: string; at: Date; createdAt: Date },
): Promise<notices.PublicNotice> {
  const row = {
    id: crypto.randomUUID(),
    project_id: n.project.id,
    deal_code: n.project.deal_code!,
    lot_id: n.lot.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    status: 'published' as const,
    review_reason: null,
    corrects_id: null,
    document_digest: n.file.digest,
    signature: JSON.stringify(n.file.signature),
    publish_at: n.at,
    published_at: n.at,
    created_by: n.by,
    created_at: n.createdAt,
    reviewed_by: null,
    reviewed_at: null,
  };
  await notices.insertNotice(trx, row);
  return notices.publicNotice(row, n.lot.lot_code);
}

/** When every lot of the project is closed or failed, the project is finished (in the caller's transaction). */
export async function finishProjectIfDone(trx: Kysely<DB>, actor: Actor, project: ProjectRow): Promise<boolean> {
  const lots = await repo.lotsOf(trx, [project.id]);
  if (!lots.every((l) => LOT_FINAL.has(l.status))) return false;
  if (!projectStep(project.status, 'finish').ok) return false;
  await repo.updateProject(trx, project.id, project.status, { status: 'finished', updated_at: actor.now });
  await appendAudit(trx, auditContext(actor), { action: 'trading.project.finish', targetType: 'tender_project', targetId: project.id, detail: { lots: lots.map((l) => ({ lotId: l.id, status: l.status })) } });
  return true;
}

/**
 * Who appears in the deal's timeline for an expert's act: the panel is anonymous to bidders and
 * the tenderer until the result is published, so events name the seat, never the person (the
 * audit row keeps the account).
 */
export function panelSeatActor(seat: number): { accountId: null; name: string } {
  return { accountId: null, name: `评标委员会成员（${seat} 号席位）` };
}
