// A province entity as a city node keeps it (migration 0027): the reference copy the city's own
// deal records point at. The province's registry stays the only record of truth — nothing is
// registered, edited or reviewed on a city (registry.directory.ts: atProvince) — but a bid, a
// sealing key or a tender project on the city needs a row to reference, the entity's approved
// profile (the bid-security account, the qualifications a bid may cite, the key personnel) and
// its status, read on the city's own transaction. So at each sign-in of the entity's user on the
// city, the province sends the entity and its approved version (entityReference) and the city
// rewrites its copy (storeEntityReference) in the same transaction that opens the session.
//
// Personal values travel opened, inside the sealed envelope only, and are sealed again under the
// city's own key: the province's key never leaves the province. Between sign-ins the city asks
// the province again for every copy older than GGZY_REFERENCE_REFRESH_MINUTES
// (identity.references.ts, run every minute by `serve`), so a suspension or an approved change at
// the province reaches the city's deals within that time. Only a copy that changed is rewritten
// and audited.

import { Type, type Static } from '@sinclair/typebox';
import { Instant, Nullable, Uuid, oneOf } from '../../platform/federation/federation.schemas.ts';
import type { Kysely } from 'kysely';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import { sealSm4 } from '../../platform/crypto/sm4.ts';
import type { Keys } from '../../platform/crypto/keys.ts';
import type { DB } from '../../platform/db/schema.ts';
import { conflict } from '../../platform/errors.ts';
import { maskIdNumber } from '../../platform/validation/ids.ts';
import { openEntityIdNumber } from './registry.facts.ts';
import { openValue, sealValue } from './registry.profile.ts';
import * as repo from './registry.repository.ts';
import { ENTITY_ROLES, KEY_PERSON_ROLES } from './registry.rules.ts';
import { entityIdIndex } from './registry.service.ts';
import type { ProfileWith } from './registry.tables.ts';

type Db = Kysely<DB>;

/** A personal value on its way from the province to a city: opened, with its masked copy. */
export interface OpenedValue {
  value: string;
  masked: string;
}

/** The same profile with each personal value passed through `f`. */
export function mapProfile<A, B>(p: ProfileWith<A>, f: (v: A) => B): ProfileWith<B> {
  return {
    ...p,
    legalRepresentative: p.legalRepresentative && { ...p.legalRepresentative, idNumber: p.legalRepresentative.idNumber === null ? null : f(p.legalRepresentative.idNumber) },
    contacts: p.contacts.map((c) => ({ ...c, phone: f(c.phone) })),
    bankAccount: p.bankAccount && { ...p.bankAccount, number: f(p.bankAccount.number) },
    keyPersonnel: p.keyPersonnel.map((k) => ({ ...k, idNumber: f(k.idNumber) })),
  };
}

// ---- the shape a city accepts (checked: a damaged answer is an outage, not a wrong copy) ----

const Text = Type.String({ maxLength: 2000 });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const Opened = Type.Object({ value: Type.String({ minLength: 1, maxLength: 100 }), masked: Type.String({ maxLength: 100 }) }, { additionalProperties: false });

const ProfileSchema = Type.Object({
  name: Type.String({ minLength: 2, maxLength: 100 }),
  regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
  roles: Type.Array(oneOf(ENTITY_ROLES)),
  entityType: Nullable(Text),
  registeredCapitalWanYuan: Nullable(Type.Number()),
  establishedOn: Nullable(Day),
  address: Text,
  businessScope: Nullable(Text),
  legalRepresentative: Nullable(Type.Object({ name: Text, idNumber: Nullable(Opened) })),
  contacts: Type.Array(Type.Object({ name: Text, phone: Opened, email: Nullable(Text) })),
  bankAccount: Nullable(Type.Object({ bankName: Text, accountName: Text, number: Opened })),
  qualifications: Type.Array(Type.Object({ id: Uuid, category: Text, grade: Text, number: Text, issuer: Text, validFrom: Day, validTo: Day })),
  certificates: Type.Array(
    Type.Object({
      id: Uuid,
      kind: Text,
      number: Text,
      issuer: Text,
      validTo: Nullable(Day),
      file: Nullable(Type.Object({ digest: Text, mediaType: Text, size: Type.Integer({ minimum: 0 }), name: Text })),
    }),
  ),
  keyPersonnel: Type.Array(
    Type.Object({ id: Uuid, name: Text, role: oneOf(KEY_PERSON_ROLES), idNumber: Opened, certificateKind: Text, certificateNumber: Text, certificateValidTo: Nullable(Day) }),
  ),
});

export const EntityReference = Type.Object({
  entity: Type.Object({
    id: Uuid,
    kind: oneOf(['organisation', 'person'] as const),
    uscc: Nullable(Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' })),
    idNumber: Nullable(Type.String({ pattern: '^[0-9]{17}[0-9X]$' })),
    name: Type.String({ minLength: 2, maxLength: 100 }),
    regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
    status: oneOf(['active', 'suspended'] as const),
    statusReason: Nullable(Text),
    roles: Type.Array(oneOf(ENTITY_ROLES)),
    createdAt: Instant,
    approvedAt: Instant,
  }),
  version: Type.Object({ id: Uuid, number: Type.Integer({ minimum: 1 }), createdBy: Uuid, createdAt: Instant, submittedAt: Instant, reviewedAt: Instant, reviewedBy: Nullable(Uuid), data: ProfileSchema }),
});
export type EntityReferenceT = Static<typeof EntityReference>;

// ---- the province's side ----

/**
 * What a city keeps of the province's entity `entityId`: the entity and its approved version,
 * personal values opened (they travel inside the sealed envelope only). An entity still
 * registering has nothing a city could use: refused, pointing to the province.
 */
export async function entityReference(db: Db, keys: Keys, entityId: string): Promise<EntityReferenceT> {
  const e = await repo.findEntity(db, entityId);
  if (!e) throw new Error(`entity ${entityId} of an account does not exist`);
  if (e.home_node !== null) throw new Error(`entity ${entityId} is itself a reference copy of node ${e.home_node}`);
  if (e.status === 'registering' || e.current_version_id === null || e.approved_at === null) {
    throw conflict('主体注册尚未审核通过：请先登录省级平台完成注册，审核通过后即可在全省各市节点登录', 'entity', 'registering');
  }
  const v = (await repo.findVersion(db, e.current_version_id))!;
  return {
    entity: {
      id: e.id,
      kind: e.kind,
      uscc: e.uscc,
      idNumber: e.kind === 'person' ? openEntityIdNumber(keys, e) : null,
      name: e.name,
      regionCode: e.region_code,
      status: e.status,
      statusReason: e.status_reason,
      roles: e.roles,
      createdAt: e.created_at.toISOString(),
      approvedAt: e.approved_at.toISOString(),
    },
    version: {
      id: v.id,
      number: v.number,
      createdBy: v.created_by,
      createdAt: v.created_at.toISOString(),
      submittedAt: v.submitted_at!.toISOString(),
      reviewedAt: v.reviewed_at!.toISOString(),
      reviewedBy: v.reviewed_by,
      data: mapProfile(v.data, (s) => ({ value: openValue(keys.master, e.id, s), masked: s.masked })),
    },
  };
}

/** The reference copy of `entityId`, or null when the province holds no approved entity of its own under that id. */
export async function entityReferenceOrNull(db: Db, keys: Keys, entityId: string): Promise<EntityReferenceT | null> {
  const e = await repo.findEntity(db, entityId);
  return e && e.home_node === null && e.status !== 'registering' ? entityReference(db, keys, entityId) : null;
}

// ---- the city's side ----

/**
 * Writes (or rewrites) the city's copy of a province entity inside the caller's transaction:
 * the entity row, its approved version sealed under this node's key, and the projections. A
 * local record under the same id or code (a city never registers, so only data loaded by hand
 * could make one) is a conflict, never overwritten.
 */
export async function storeEntityReference(trx: Db, keys: Keys, ref: EntityReferenceT, homeNode: string, audit: AuditContext): Promise<'created' | 'changed' | 'unchanged'> {
  const { entity: e, version: v } = ref;
  const now = audit.at;
  const held = await repo.lockEntity(trx, e.id);
  const localRecord = () => conflict(`本节点存在与省级市场主体「${e.name}」相同标识的本地主体记录，无法同步；请联系系统管理员核对`, 'entity', 'local_record');
  if (held && held.home_node !== homeNode) throw localRecord();
  // An approved version is never edited at the province: same version and same entity facts, nothing to rewrite.
  if (held && held.current_version_id === v.id && held.status === e.status && held.status_reason === e.statusReason && held.name === e.name && held.region_code === e.regionCode && held.roles.join() === e.roles.join()) {
    await repo.updateEntity(trx, e.id, { refreshed_at: now });
    return 'unchanged';
  }
  const data = mapProfile(v.data, (o) => sealValue(keys.master, e.id, o.value, o.masked));
  if (!held) {
    await repo
      .insertEntity(trx, {
        id: e.id,
        kind: e.kind,
        uscc: e.uscc,
        id_number_index: e.idNumber === null ? null : entityIdIndex({ keys }, e.idNumber),
        id_number_enc: e.idNumber === null ? null : sealSm4(keys.master, e.idNumber, `registry:${e.id}:id_number`),
        id_number_masked: e.idNumber === null ? null : maskIdNumber(e.idNumber),
        name: e.name,
        region_code: e.regionCode,
        // Written as registering first: the row must exist before the version that references it.
        status: 'registering',
        status_reason: null,
        roles: e.roles,
        current_version_id: null,
        registered_by: null,
        created_at: new Date(e.createdAt),
        updated_at: now,
        approved_at: null,
        home_node: homeNode,
        refreshed_at: now,
      })
      .catch((err: unknown) => {
        throw repo.isUniqueViolation(err, 'entities_uscc') || repo.isUniqueViolation(err, 'entities_id_number') ? localRecord() : err;
      });
  }
  const stored = JSON.stringify(data);
  await trx
    .insertInto('registry.entity_versions')
    .values({
      id: v.id,
      entity_id: e.id,
      number: v.number,
      status: 'approved',
      data: stored,
      licence: null,
      ocr: null,
      ocr_error: null,
      base_version_id: null,
      created_by: v.createdBy,
      created_at: new Date(v.createdAt),
      updated_at: now,
      submitted_by: null,
      submitted_at: new Date(v.submittedAt),
      reviewed_by: v.reviewedBy,
      reviewed_at: new Date(v.reviewedAt),
      review_reason: null,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ data: stored, status: 'approved', updated_at: now }).where('registry.entity_versions.entity_id', '=', e.id))
    .execute();
  if (held?.current_version_id && held.current_version_id !== v.id) await repo.moveVersion(trx, held.current_version_id, 'approved', { status: 'superseded', updated_at: now });
  await repo.updateEntity(trx, e.id, {
    name: e.name,
    region_code: e.regionCode,
    roles: e.roles,
    status: e.status,
    status_reason: e.statusReason,
    current_version_id: v.id,
    approved_at: new Date(e.approvedAt),
    refreshed_at: now,
    updated_at: now,
  });
  await repo.projectProfile(trx, e.id, data);
  await appendAudit(trx, audit, {
    action: 'registry.reference.refresh',
    targetType: 'entity',
    targetId: e.id,
    detail: { node: homeNode, versionId: v.id, number: v.number, status: e.status, first: held === undefined },
  });
  return held ? 'changed' : 'created';
}
