// Factories of the trading integration tests (not a test file itself): active market entities
// with accounts, and tender projects put straight into a given state, so a test of one step does
// not have to replay every step before it.

import crypto from 'node:crypto';
import { cliAuditContext } from '../identity/identity.bootstrap.ts';
import { approveProfileDirect } from '../registry/registry.seed.ts';
import { profileBody } from '../registry/registry.fixtures.ts';
import type { ProfileInputT } from '../registry/registry.schemas.ts';
import { registerOrganisation, type Registered } from '../registry/registry.test-support.ts';
import type { Harness } from '../../../test/support/harness.ts';
import type { LotKind, LotStatus, ProjectStatus } from './trading.tables.ts';

/** Organisation n, registered and approved, with the given roles; its user is signed in. */
export async function activeEntity(h: Harness, n: number, roles: string[], overrides: Record<string, unknown> = {}): Promise<Registered & { name: string }> {
  const who = await registerOrganisation(h, n);
  const profile = profileBody(n, { roles, qualifications: [{ category: '建筑工程施工总承包', grade: '一级', number: `D11400${String(n).padStart(4, '0')}`, issuer: '山西省住房和城乡建设厅', validFrom: '2021-04-01', validTo: '2030-03-31' }], ...overrides }) as ProfileInputT;
  await approveProfileDirect(h.deps, who.entityId, profile, cliAuditContext(h.clock.now(), 'test'));
  return { ...who, name: profile.name };
}

let serial = 0;

/** A syntactically valid-looking 33-character code for factories (not issued by the coding module). */
export function fakeDealCode(): string {
  serial += 1;
  return `12140000TEST${crypto.randomBytes(4).toString('hex').toUpperCase().replace(/[^0-9A-Z]/g, '0')}${String(serial).padStart(13, '0')}`.slice(0, 33);
}

export interface LotFixture {
  projectId: string;
  lotId: string;
  dealCode: string;
  lotCode: string;
  tenderer: Registered & { name: string };
}

export interface LotFixtureOptions {
  tenderer?: Registered & { name: string };
  regionCode?: string;
  documentsFrom?: Date;
  documentsUntil?: Date;
  bidDeadline: Date;
  decryptionMinutes?: number;
  estimatedPriceFen?: number;
  bidSecurityFen?: number;
  kind?: LotKind;
  projectStatus?: ProjectStatus;
  lotStatus?: LotStatus;
}

/** A tender project with one lot, accepted and published, taking bids until `bidDeadline`. */
export async function biddingLot(h: Harness, n: number, o: LotFixtureOptions): Promise<LotFixture> {
  const tenderer = o.tenderer ?? (await activeEntity(h, n, ['tenderer']));
  const now = h.clock.now();
  const projectId = crypto.randomUUID();
  const lotId = crypto.randomUUID();
  const dealCode = fakeDealCode();
  const lotCode = `${dealCode}001`;
  const documentsFrom = o.documentsFrom ?? now;
  await h.deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('trading.projects')
      .values({
        id: projectId,
        deal_code: dealCode,
        name: `太原市测试道路改造工程${n}`,
        investment_code: null,
        category: 'construction_works',
        tender_method: 'open',
        region_code: o.regionCode ?? '140100',
        tenderer_entity_id: tenderer.entityId,
        agency_entity_id: null,
        owner_entity_id: tenderer.entityId,
        supervising_department: '太原市住房和城乡建设局',
        funding_source: '财政资金',
        status: o.projectStatus ?? 'bidding',
        status_reason: null,
        documents_from: documentsFrom,
        documents_until: o.documentsUntil ?? new Date(Math.min(o.bidDeadline.getTime(), documentsFrom.getTime() + 5 * 86_400_000)),
        bid_deadline: o.bidDeadline,
        bid_validity_days: 90,
        decryption_minutes: o.decryptionMinutes ?? 60,
        paused_since: null,
        submitted_at: now,
        accepted_at: now,
        accepted_by: null,
        published_at: now,
        created_by: tenderer.accountId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('trading.lots')
      .values({
        id: lotId,
        project_id: projectId,
        lot_no: 1,
        lot_code: lotCode,
        name: '第一标段',
        kind: o.kind ?? 'construction',
        estimated_price_fen: o.estimatedPriceFen ?? 1_000_000_000,
        bid_security_fen: o.bidSecurityFen ?? 10_000_000,
        evaluation_method: null,
        status: o.lotStatus ?? 'bidding',
        status_reason: null,
        updated_at: now,
      })
      .execute();
  });
  return { projectId, lotId, dealCode, lotCode, tenderer };
}
