// Use cases of a market entity and its own users: self-registration, the profile draft, the
// licence and attachments, submission for review, withdrawal, and the entity's own view and
// history. Staff's side (search, review, reveal, expiry) is registry.review.ts. Each write is
// one transaction with its audit row; the entity row is locked first, so two users of one
// entity cannot interleave their edits.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { blindIndex, sealSm4 } from '../../platform/crypto/sm4.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, forbidden, invalid } from '../../platform/errors.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import { checkIdNumber, checkUscc, maskIdNumber } from '../../platform/validation/ids.ts';
import { ID_MESSAGES, USCC_MESSAGES } from '../credit/credit.checks.ts';
import { chinaDate } from '../credit/credit.rules.ts';
import { insertEntityAccount, prepareEntityAccount } from '../identity/identity.entity-accounts.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { blankProfile, changesBetween, checkProfile, storeProfile } from './registry.profile.ts';
import * as repo from './registry.repository.ts';
import { allows, DEFAULT_REGISTRY_RULES, regionOfUscc, type EntityKind } from './registry.rules.ts';
import type { ProfileInputT } from './registry.schemas.ts';
import type { FileRef, LicenceRef, StoredProfile } from './registry.tables.ts';
import { cityRegistrationRefusal } from './registry.province.ts';

export type Actor = RequestContext & { principal: Principal };

/** Scope of the blind index of a natural person's ID number in the registry. */
const ENTITY_ID_INDEX_SCOPE = 'registry.entity.id_number';

export function entityIdIndex(deps: Pick<Deps, 'keys'>, idNumber: string): string {
  return blindIndex(deps.keys.master, idNumber, ENTITY_ID_INDEX_SCOPE);
}

/** The entity a market entity's account acts for; 403 for staff. */
export function ownEntityId(actor: Actor): string {
  if (actor.principal.entityId === null) throw forbidden('此功能仅供市场主体用户使用');
  return actor.principal.entityId;
}

function stale(): AppError {
  return conflict('该申请的状态已变化，请刷新后重试', 'status', 'stale');
}

/** The 409 that points a second registration of one code to the existing entity. */
function alreadyRegistered(existing: repo.EntityRow): AppError {
  const day = chinaDate(existing.created_at);
  const detail =
    existing.kind === 'organisation'
      ? `统一社会信用代码 ${existing.uscc} 已于 ${day} 注册（主体：${existing.name}），同一主体在全省只需注册一次、各地通用；如需使用，请联系该主体的账号管理人，或持营业执照到交易中心办理`
      : `该身份证号已于 ${day} 注册为自然人主体，同一主体在全省只需注册一次；如需找回账号，请持身份证到交易中心办理`;
  return new AppError('conflict', detail, {
    errors: [{ field: existing.kind === 'organisation' ? 'entity.uscc' : 'entity.idNumber', rule: 'registered', message: detail }],
    extra: { existing: { entityId: existing.id, name: existing.kind === 'organisation' ? existing.name : null, registeredOn: day } },
  });
}

// ---- registration ----

export interface RegistrationInput {
  username: string;
  password: string;
  displayName: string;
  entity: { kind: EntityKind; uscc?: string | undefined; idNumber?: string | undefined; name: string; regionCode?: string | undefined };
}

type EntityKey = { kind: 'organisation'; uscc: string } | { kind: 'person'; idNumber: string };

function checkedKey(entity: RegistrationInput['entity'], now: Date): EntityKey {
  if (entity.kind === 'organisation') {
    if (entity.idNumber !== undefined) throw invalid('entity.idNumber', 'organisation', '法人及其他组织请填写统一社会信用代码，不填身份证号');
    if (entity.uscc === undefined) throw invalid('entity.uscc', 'required', '请填写统一社会信用代码');
    const r = checkUscc(entity.uscc.trim().toUpperCase());
    if (!r.ok) throw invalid('entity.uscc', r.rule, USCC_MESSAGES[r.rule]);
    return { kind: 'organisation', uscc: r.normalized };
  }
  if (entity.uscc !== undefined) throw invalid('entity.uscc', 'person', '自然人请填写身份证号，不填统一社会信用代码');
  if (entity.idNumber === undefined) throw invalid('entity.idNumber', 'required', '请填写身份证号');
  const r = checkIdNumber(entity.idNumber.trim().toUpperCase(), now);
  if (!r.ok) throw invalid('entity.idNumber', r.rule, ID_MESSAGES[r.rule]);
  return { kind: 'person', idNumber: r.normalized };
}

/**
 * Self-registration: the entity (one per code in the province, ever) with a first, blank
 * draft of its profile, and its first account, in one transaction. The entity's users then
 * complete the profile, upload the licence and submit it for review.
 */
export async function register(deps: Deps, ctx: RequestContext, input: RegistrationInput): Promise<{ accountId: string; entityId: string; username: string }> {
  const key = checkedKey(input.entity, ctx.now);
  // One registry for the province: a city node registers nobody itself (registry.province.ts).
  if (deps.config.nodeRole === 'city') throw await cityRegistrationRefusal(deps, key);
  const tree = loadRegionTree();
  const regionCode = input.entity.regionCode ?? (key.kind === 'organisation' ? regionOfUscc(key.uscc, (c) => tree.get(c) !== undefined) : null);
  if (regionCode === null) throw invalid('entity.regionCode', 'required', '请选择注册地（本省的市或县）');
  if (!tree.get(regionCode)) throw invalid('entity.regionCode', 'exists', `行政区划代码 ${regionCode} 不存在`);
  const idIndex = key.kind === 'person' ? entityIdIndex(deps, key.idNumber) : null;
  const existing = await repo.findEntityByKey(deps.db, key.kind === 'organisation' ? { uscc: key.uscc } : { idNumberIndex: idIndex! });
  if (existing) throw alreadyRegistered(existing);
  const account = await prepareEntityAccount(deps, input);
  const entityId = crypto.randomUUID();
  const versionId = crypto.randomUUID();
  const now = ctx.now;
  const audit = { ...auditContext(ctx), actorId: account.id, actorUsername: account.username };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertEntity(trx, {
        id: entityId,
        kind: key.kind,
        uscc: key.kind === 'organisation' ? key.uscc : null,
        id_number_index: idIndex,
        id_number_enc: key.kind === 'person' ? sealSm4(deps.keys.master, key.idNumber, `registry:${entityId}:id_number`) : null,
        id_number_masked: key.kind === 'person' ? maskIdNumber(key.idNumber) : null,
        name: input.entity.name,
        region_code: regionCode,
        status: 'registering',
        status_reason: null,
        roles: [],
        current_version_id: null,
        registered_by: account.id,
        created_at: now,
        updated_at: now,
        approved_at: null,
      });
      await insertEntityAccount(trx, account, entityId, audit);
      await repo.insertVersion(trx, {
        id: versionId,
        entity_id: entityId,
        number: 1,
        status: 'draft',
        data: JSON.stringify(blankProfile(input.entity.name, regionCode)),
        licence: null,
        ocr: null,
        ocr_error: null,
        base_version_id: null,
        created_by: account.id,
        created_at: now,
        updated_at: now,
        submitted_by: null,
        submitted_at: null,
        reviewed_by: null,
        reviewed_at: null,
        review_reason: null,
      });
      await appendAudit(trx, audit, {
        action: 'registry.entity.register',
        targetType: 'entity',
        targetId: entityId,
        detail: { kind: key.kind, uscc: key.kind === 'organisation' ? key.uscc : null, regionCode, accountId: account.id },
      });
    });
  } catch (e) {
    if (repo.isUniqueViolation(e, 'entities_uscc') || repo.isUniqueViolation(e, 'entities_id_number')) {
      const raced = await repo.findEntityByKey(deps.db, key.kind === 'organisation' ? { uscc: key.uscc } : { idNumberIndex: idIndex! });
      if (raced) throw alreadyRegistered(raced);
    }
    throw e;
  }
  return { accountId: account.id, entityId, username: account.username };
}

// ---- the entity's own view ----

export async function myEntity(deps: Deps, actor: Actor) {
  const entityId = ownEntityId(actor);
  const entity = (await repo.findEntity(deps.db, entityId))!;
  const [current, open, latest] = await Promise.all([
    entity.current_version_id ? repo.findVersion(deps.db, entity.current_version_id) : undefined,
    repo.openVersion(deps.db, entityId),
    repo.latestVersion(deps.db, entityId),
  ]);
  const lastRejected = latest?.status === 'rejected' ? latest : undefined;
  return { entity, current, open, lastRejected };
}

export async function myVersions(deps: Deps, actor: Actor): Promise<repo.VersionRow[]> {
  return repo.versionsOf(deps.db, ownEntityId(actor));
}

/**
 * The version being drafted, under the entity's row lock. With none, a new draft starts from
 * the newest version (a rejected submission is corrected rather than retyped; after an
 * approval a change starts from the approved profile), keeping its licence and OCR.
 */
async function draftFor(trx: Kysely<DB>, actor: Actor, entity: repo.EntityRow): Promise<repo.VersionRow> {
  const open = await repo.openVersion(trx, entity.id);
  if (open) {
    const step = allows(open.status, 'save');
    if (!step.ok) throw conflict(step.message, 'status', 'submitted');
    return open;
  }
  const latest = (await repo.latestVersion(trx, entity.id))!;
  const row: repo.VersionInsert = {
    id: crypto.randomUUID(),
    entity_id: entity.id,
    number: latest.number + 1,
    status: 'draft',
    data: JSON.stringify(latest.data),
    licence: latest.licence === null ? null : JSON.stringify(latest.licence),
    ocr: latest.ocr === null ? null : JSON.stringify(latest.ocr),
    ocr_error: latest.ocr_error,
    base_version_id: entity.current_version_id,
    created_by: actor.principal.accountId,
    created_at: actor.now,
    updated_at: actor.now,
    submitted_by: null,
    submitted_at: null,
    reviewed_by: null,
    reviewed_at: null,
    review_reason: null,
  };
  await repo.insertVersion(trx, row);
  return (await repo.findVersion(trx, row.id))!;
}

async function lockOwnEntity(trx: Kysely<DB>, actor: Actor): Promise<repo.EntityRow> {
  const entity = await repo.lockEntity(trx, ownEntityId(actor));
  if (!entity) throw forbidden();
  if (entity.status === 'suspended') throw new AppError('forbidden', `主体已被暂停（${entity.status_reason}），不能修改信息，请联系交易中心`);
  return entity;
}

/** Saves the whole profile into the draft (creating one when none is open). */
export async function saveDraft(deps: Deps, actor: Actor, input: ProfileInputT): Promise<repo.VersionRow> {
  const entityId = ownEntityId(actor);
  const entity = (await repo.findEntity(deps.db, entityId))!;
  const errors = checkProfile(input, entity.kind, actor.now, chinaDate(actor.now));
  if (entity.kind === 'person' && input.name !== entity.name) errors.push({ field: 'name', rule: 'person_name', message: '自然人主体的名称应为本人姓名，与注册时一致' });
  const files = input.certificates.flatMap((c, i) => (c.file ? [{ i, file: c.file }] : []));
  for (const { i, file } of files) {
    if (!(await deps.blobs.has(file.digest))) errors.push({ field: `certificates.${i}.file`, rule: 'uploaded', message: `附件 ${file.name} 未上传或已失效，请重新上传` });
  }
  if (errors.length > 0) throw new AppError('validation_failed', errors[0]!.message, { errors });
  return deps.db.transaction().execute(async (trx) => {
    const locked = await lockOwnEntity(trx, actor);
    const draft = await draftFor(trx, actor, locked);
    const data = storeProfile(deps.keys.master, entityId, input, draft.data);
    const saved = await repo.moveVersion(trx, draft.id, 'draft', { data: JSON.stringify(data), updated_at: actor.now });
    if (!saved) throw stale();
    await appendAudit(trx, auditContext(actor), {
      action: 'registry.version.save',
      targetType: 'entity',
      targetId: entityId,
      detail: { versionId: draft.id, number: draft.number, changed: changesBetween(draft.data, data).map((c) => c.field) },
    });
    return saved;
  });
}

/** Puts an uploaded licence and its reading into the draft (creating one when none is open). */
export async function saveLicence(deps: Deps, actor: Actor, licence: LicenceRef, ocr: object | null, ocrError: string | null): Promise<repo.VersionRow> {
  return deps.db.transaction().execute(async (trx) => {
    const entity = await lockOwnEntity(trx, actor);
    const draft = await draftFor(trx, actor, entity);
    const saved = await repo.moveVersion(trx, draft.id, 'draft', {
      licence: JSON.stringify(licence),
      ocr: ocr === null ? null : JSON.stringify(ocr),
      ocr_error: ocrError,
      updated_at: actor.now,
    });
    if (!saved) throw stale();
    await appendAudit(trx, auditContext(actor), {
      action: 'registry.version.licence',
      targetType: 'entity',
      targetId: entity.id,
      detail: { versionId: draft.id, digest: licence.digest, size: licence.size, read: ocr !== null },
    });
    return saved;
  });
}

const ATTACHMENT_TYPES: Record<string, string> = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG' };

/** Magic bytes of the accepted types: the declared media type must match the content. */
export function sniffMediaType(data: Buffer): string | null {
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

/** An attachment (certificate scan) into the blob store; the profile then refers to it by digest. */
export async function uploadAttachment(deps: Deps, actor: Actor, data: Buffer, declaredType: string, name: string): Promise<FileRef> {
  const entityId = ownEntityId(actor);
  if (data.length === 0) throw invalid('body', 'minLength', '上传的文件为空');
  if (data.length > DEFAULT_REGISTRY_RULES.maxUploadBytes) throw new AppError('payload_too_large', `文件不能超过 ${DEFAULT_REGISTRY_RULES.maxUploadBytes / 1024 / 1024} MB`);
  const sniffed = sniffMediaType(data);
  if (sniffed === null || !ATTACHMENT_TYPES[sniffed]) throw new AppError('unsupported_media_type', '只能上传 PDF、PNG 或 JPEG 文件');
  if (sniffed !== declaredType) throw new AppError('unsupported_media_type', `文件内容是 ${ATTACHMENT_TYPES[sniffed]}，与声明的类型 ${declaredType} 不符`);
  const stored = await deps.blobs.put(data);
  await deps.db.transaction().execute((trx) =>
    appendAudit(trx, auditContext(actor), { action: 'registry.file.upload', targetType: 'entity', targetId: entityId, detail: { digest: stored.digest, size: stored.size, mediaType: sniffed } }),
  );
  return { digest: stored.digest, size: stored.size, mediaType: sniffed, name };
}

/** What a submission needs beyond a saved profile; each problem names its field. */
function completeness(entity: repo.EntityRow, draft: repo.VersionRow): { field: string; rule: string; message: string }[] {
  const p: StoredProfile = draft.data;
  const problems = [];
  if (p.roles.length === 0 || p.contacts.length === 0 || p.address === '') problems.push({ field: 'profile', rule: 'saved', message: '请先填写并保存主体信息（主体角色、住所、联系人）' });
  if (entity.kind === 'organisation' && draft.licence === null) problems.push({ field: 'licence', rule: 'required', message: '请上传营业执照（或登记证书）图片' });
  return problems;
}

export async function submitDraft(deps: Deps, actor: Actor): Promise<repo.VersionRow> {
  return deps.db.transaction().execute(async (trx) => {
    const entity = await lockOwnEntity(trx, actor);
    const open = await repo.openVersion(trx, entity.id);
    if (!open) throw conflict('没有待提交的草稿：请先修改并保存主体信息', 'status', 'no_draft');
    const step = allows(open.status, 'submit');
    if (!step.ok) throw conflict(step.message, 'status', open.status);
    const problems = completeness(entity, open);
    if (problems.length > 0) throw new AppError('validation_failed', problems[0]!.message, { errors: problems });
    const base = open.base_version_id ? await repo.findVersion(trx, open.base_version_id) : undefined;
    const changes = changesBetween(base?.data ?? null, open.data);
    if (base && changes.length === 0 && open.licence?.digest === base.licence?.digest) throw conflict('与当前已审核的信息相比没有任何变化，无需提交', 'profile', 'unchanged');
    const moved = await repo.moveVersion(trx, open.id, 'draft', { status: 'submitted', submitted_by: actor.principal.accountId, submitted_at: actor.now, updated_at: actor.now });
    if (!moved) throw stale();
    await appendAudit(trx, auditContext(actor), {
      action: 'registry.version.submit',
      targetType: 'entity',
      targetId: entity.id,
      detail: { versionId: open.id, number: open.number, type: base ? 'change' : 'registration', changed: changes.map((c) => c.field) },
    });
    return moved;
  });
}

export async function withdrawSubmission(deps: Deps, actor: Actor): Promise<repo.VersionRow> {
  return deps.db.transaction().execute(async (trx) => {
    const entity = await lockOwnEntity(trx, actor);
    const open = await repo.openVersion(trx, entity.id);
    const step = open ? allows(open.status, 'withdraw') : { ok: false as const, message: '没有待审核的申请' };
    if (!open || !step.ok) throw conflict(step.ok ? '没有待审核的申请' : step.message, 'status', 'not_submitted');
    const moved = await repo.moveVersion(trx, open.id, 'submitted', { status: 'draft', submitted_by: null, submitted_at: null, updated_at: actor.now });
    if (!moved) throw stale();
    await appendAudit(trx, auditContext(actor), { action: 'registry.version.withdraw', targetType: 'entity', targetId: entity.id, detail: { versionId: open.id, number: open.number } });
    return moved;
  });
}
