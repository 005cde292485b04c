// Factories of the trading integration tests (not a test file itself): active market entities
// with accounts, and tender projects put straight into a given state, so a test of one step does
// not have to replay every step before it.

import crypto from 'node:crypto';
import { cliAuditContext } from '../identity/identity.bootstrap.ts';
import { approveProfileDirect } from '../registry/registry.seed.ts';
import { profileBody } from '../registry/registry.fixtures.ts';
import type { ProfileInputT } from '../registry/registry.schemas.ts';
import { registerOrganisation, type Registered } from '../registry/registry.test-support.ts';
import { makeOrganisation, signedInAs, signIn, type Harness } from '../../../test/support/harness.ts';
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

/** A signed-in account a test keeps using across jumps of the clock. */
export interface Signed {
  username: string;
  token: string;
}

/** A signed-in staff member of a trading centre (or supervision department) of a region. */
export async function staffAccount(h: Harness, regionCode: string, role: 'centre_staff' | 'supervisor' = 'centre_staff'): Promise<Signed> {
  const organisationId = await makeOrganisation(h, { regionCode, kind: role === 'centre_staff' ? 'trading_centre' : 'supervision' });
  const a = await signedInAs(h, { organisationId, roles: [{ code: role, scope: 'region' }] });
  return { username: a.username, token: a.token };
}

export async function staffOf(h: Harness, regionCode: string, role: 'centre_staff' | 'supervisor' = 'centre_staff'): Promise<string> {
  return (await staffAccount(h, regionCode, role)).token;
}

/**
 * Puts the platform clock at `to` with fresh sessions for `who`: a jump of days would end every
 * session (30-minute idle timeout), so each account signs in again just before `to` (a staff
 * sign-in moves the clock on by a TOTP step) and the clock is then set exactly.
 */
export async function travel(h: Harness, to: string | number | Date, ...who: Signed[]): Promise<void> {
  const target = new Date(to).getTime();
  h.clock.set(target - 10 * 60_000);
  for (const w of who) w.token = (await signIn(h, w.username)).token;
  h.clock.set(target);
}

/** A registration body for tender project n with the given lots (prices in yuan). */
export function projectBody(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `太原市小店区道路改造工程${n}`,
    investmentCode: '2603-140105-04-01-000123',
    category: 'construction_works',
    tenderMethod: 'open',
    regionCode: '140105',
    supervisingDepartment: '太原市小店区住房和城乡建设局',
    fundingSource: '财政资金',
    description: '道路改造及附属工程施工',
    lots: [
      { name: '第一标段（道路工程）', kind: 'construction', estimatedPrice: '12000000.00' },
      { name: '第二标段（排水工程）', kind: 'construction', estimatedPrice: '3500000.50' },
    ],
    ...overrides,
  };
}

/** 技术 60, 商务 10, 价格 30 (benchmark mean, K = 2 %): a 综合评估法 configuration as the API takes it. */
export function methodBody(): Record<string, unknown> {
  return {
    kind: 'comprehensive',
    technical: [
      { id: 't1', name: '施工组织设计', maxPoints: 40 },
      { id: 't2', name: '项目管理机构', maxPoints: 20 },
    ],
    commercial: [{ id: 'c1', name: '企业业绩', maxPoints: 10 }],
    price: { id: 'price', name: '投标报价', maxPoints: 30, formula: { kind: 'benchmark_mean', downwardCoefficientPercent: 2, trimExtremes: true, deductPerPercentAbove: 1, deductPerPercentBelow: 0.5 } },
  };
}

/**
 * The harness clock starts on Monday 2026-03-02 09:00 CST. Documents from Tuesday 3 March 09:00
 * to Tuesday 10 March 17:00; the 20-day period ends on Monday 23 March, so a Tuesday 24 March
 * 09:30 deadline is lawful.
 */
export const SCHEDULE = {
  documentsFrom: '2026-03-03T01:00:00.000Z',
  documentsUntil: '2026-03-10T09:00:00.000Z',
  bidDeadline: '2026-03-24T01:30:00.000Z',
  bidValidityDays: 90,
  decryptionMinutes: 60,
};

export interface Published {
  id: string;
  dealCode: string;
  lots: { id: string; lotCode: string }[];
  documentId: string;
  owner: Registered & { name: string };
  centre: string;
}

async function ok<T>(res: { statusCode: number; body: string; json: <U>() => U }, what: string, status = 200): Promise<T> {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json<T>();
}

/** Registers, accepts, drafts and publishes tender project n through the API. */
export async function publishedProject(h: Harness, n: number, o: { owner?: Registered & { name: string }; centre?: string | Signed; schedule?: Partial<typeof SCHEDULE>; body?: Record<string, unknown> } = {}): Promise<Published> {
  const owner = o.owner ?? (await activeEntity(h, n, ['tenderer']));
  const centreGiven = o.centre ?? (await staffOf(h, '140100'));
  const centre = typeof centreGiven === 'string' ? centreGiven : centreGiven.token;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const p = await ok<{ id: string }>(await h.app.inject({ method: 'POST', url: '/api/v1/trading/projects', headers: as(owner.token), payload: { ...projectBody(n), ...o.body } }), 'register', 201);
  await ok(await h.app.inject({ method: 'POST', url: `/api/v1/trading/projects/${p.id}/submit`, headers: as(owner.token) }), 'submit');
  const accepted = await ok<{ dealCode: string; lots: { id: string; lotCode: string }[] }>(await h.app.inject({ method: 'POST', url: `/api/v1/trading/projects/${p.id}/accept`, headers: as(centre) }), 'accept');
  const lots = accepted.lots.map((l) => ({ lotId: l.id, bidSecurity: '50000.00', evaluationMethod: methodBody() }));
  await ok(await h.app.inject({ method: 'PUT', url: `/api/v1/trading/projects/${p.id}/notice`, headers: as(owner.token), payload: { title: `${n}号项目招标公告`, body: '本招标项目已由有关部门批准建设，现对该项目进行公开招标。', schedule: { ...SCHEDULE, ...o.schedule }, lots } }), 'notice');
  const doc = await ok<{ id: string }>(
    await h.app.inject({ method: 'PUT', url: `/api/v1/trading/projects/${p.id}/documents?name=${encodeURIComponent('招标文件.pdf')}`, headers: { ...as(owner.token), 'content-type': 'application/pdf' }, payload: Buffer.from(`%PDF-1.7\n招标文件 ${n}\n%%EOF\n`) }),
    'documents',
    201,
  );
  await ok(await h.app.inject({ method: 'POST', url: `/api/v1/trading/projects/${p.id}/notice/submit`, headers: as(owner.token) }), 'submit notice');
  await ok(await h.app.inject({ method: 'POST', url: `/api/v1/trading/projects/${p.id}/notice/review`, headers: as(centre), payload: { outcome: 'approved' } }), 'publish');
  return { id: p.id, dealCode: accepted.dealCode, lots: accepted.lots, documentId: doc.id, owner, centre };
}

export interface OpenedLot extends LotFixture {
  bidders: (Registered & { name: string })[];
  /** One per bidder, in the order given: the bid id and what the opening found. */
  results: { bidId: string; outcome: 'decrypted' | 'bidder_failed' | 'platform_failed'; priceFen: number | null }[];
}

/**
 * A lot whose opening has ended: bids from `bidders` (made active as bidders n+1, n+2, …), each
 * decrypted with its price in fen unless its outcome says otherwise, the opening record in place
 * and the lot `opened`. For the steps after the opening, which read only the opening results.
 * `o.bidders` gives bidders made elsewhere (a city's reference copies of province entities).
 */
export async function openedLot(
  h: Harness,
  n: number,
  bids: { priceFen: number; outcome?: 'decrypted' | 'bidder_failed' | 'platform_failed' }[],
  o: Partial<LotFixtureOptions> & { bidders?: (Registered & { name: string })[] } = {},
): Promise<OpenedLot> {
  const now = h.clock.now();
  const lot = await biddingLot(h, n, { bidDeadline: new Date(now.getTime() - 60 * 60_000), documentsFrom: new Date(now.getTime() - 30 * 86_400_000), ...o, projectStatus: 'after_deadline', lotStatus: 'opened' });
  await h.deps.db.updateTable('trading.lots').set({ evaluation_method: JSON.stringify(methodBody()) }).where('id', '=', lot.lotId).execute();
  const bidders: (Registered & { name: string })[] = [];
  for (let i = 0; i < bids.length; i++) bidders.push(o.bidders?.[i] ?? (await activeEntity(h, n + 1 + i, ['bidder'])));
  const results = bids.map((b) => ({ bidId: crypto.randomUUID(), outcome: b.outcome ?? 'decrypted', priceFen: (b.outcome ?? 'decrypted') === 'decrypted' ? b.priceFen : null }));
  await h.deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('trading.openings')
      .values({ lot_id: lot.lotId, deal_code: lot.dealCode, lot_code: lot.lotCode, started_at: new Date(now.getTime() - 60 * 60_000), decryption_closes_at: new Date(now.getTime() - 1), ended_at: now, bids_received: bids.length, record: JSON.stringify({ bids: results.length }), document_digest: null, signature: null })
      .execute();
    for (const [i, r] of results.entries()) {
      const receivedAt = new Date(now.getTime() - 2 * 60 * 60_000 + i * 1000);
      const digest = (what: string) => crypto.createHash('sm3').update(`${what} ${r.bidId}`).digest('hex');
      const status = r.outcome === 'decrypted' ? 'decrypted' : r.outcome === 'bidder_failed' ? 'decrypt_failed_bidder' : 'decrypt_failed_platform';
      // The bid itself as the intake and the opening leave it (its envelope is not needed here).
      await trx
        .insertInto('trading.bids')
        .values({
          id: r.bidId,
          lot_id: lot.lotId,
          deal_code: lot.dealCode,
          lot_code: lot.lotCode,
          bidder_entity_id: bidders[i]!.entityId,
          attempt: 1,
          status,
          failure_reason: null,
          submitted_by: bidders[i]!.accountId,
          started_at: receivedAt,
          intake_node: 'test',
          blob_digest: digest('envelope'),
          size: 1024,
          header: JSON.stringify({}),
          commit_key: `04${digest('x')}${digest('y')}`,
          received_at: receivedAt,
          receipt: JSON.stringify({ bidId: r.bidId }),
          receipt_signature: digest('receipt'),
          fingerprint: JSON.stringify({}),
          replaced_at: null,
          withdrawn_at: null,
          decrypt_failure: null,
          decrypted_at: r.outcome === 'decrypted' ? now : null,
          plaintext_digest: r.outcome === 'decrypted' ? digest('package') : null,
          plaintext_size: r.outcome === 'decrypted' ? 512 : null,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto('trading.opening_results')
        .values({
          id: crypto.randomUUID(),
          lot_id: lot.lotId,
          deal_code: lot.dealCode,
          lot_code: lot.lotCode,
          bid_id: r.bidId,
          bidder_entity_id: bidders[i]!.entityId,
          bidder_name: bidders[i]!.name,
          outcome: r.outcome,
          received_at: receivedAt,
          price_fen: r.priceFen,
          items: r.outcome === 'decrypted' ? JSON.stringify({ durationDays: 180, qualityStandard: '合格', projectManager: `项目经理${i + 1}` }) : null,
          package_digest: r.outcome === 'decrypted' ? crypto.createHash('sm3').update(`package ${r.bidId}`).digest('hex') : null,
          decided_at: now,
        })
        .execute();
    }
  });
  return { ...lot, bidders, results };
}

/** Records that `entityId` downloaded the lot's tender documents (a bid needs it), creating a published document if the lot has none. */
export async function recordDownload(h: Pick<Harness, 'deps' | 'clock'>, lot: Pick<LotFixture, 'projectId'>, entityId: string): Promise<void> {
  const db = h.deps.db;
  const now = h.clock.now();
  let doc = await db.selectFrom('trading.documents').select('id').where('project_id', '=', lot.projectId).where('published_at', 'is not', null).executeTakeFirst();
  if (!doc) {
    const { digest, size } = await h.deps.blobs.put(Buffer.from(`%PDF-1.7\n招标文件 ${lot.projectId}\n%%EOF\n`));
    const owner = await db.selectFrom('trading.projects').select(['created_by', 'deal_code']).where('id', '=', lot.projectId).executeTakeFirstOrThrow();
    doc = { id: crypto.randomUUID() };
    await db.insertInto('trading.documents').values({ id: doc.id, project_id: lot.projectId, deal_code: owner.deal_code!, kind: 'tender_documents', file_name: '招标文件.pdf', media_type: 'application/pdf', blob_digest: digest, size, uploaded_by: owner.created_by, uploaded_at: now, published_at: now }).execute();
  }
  const account = await db.selectFrom('identity.accounts').select('id').where('entity_id', '=', entityId).executeTakeFirstOrThrow();
  const project = await db.selectFrom('trading.projects').select('deal_code').where('id', '=', lot.projectId).executeTakeFirstOrThrow();
  await db.insertInto('trading.downloads').values({ id: crypto.randomUUID(), project_id: lot.projectId, deal_code: project.deal_code!, document_id: doc.id, entity_id: entityId, account_id: account.id, client_ip: '127.0.0.1', at: now }).execute();
}

// ---- after the opening (evaluation, award, contract) ----

/**
 * An evaluation expert's account for pool expert `expertId`, opened as staff would open it and
 * then put where a first sign-in leaves it (password changed to the harness password, TOTP
 * enrolled with the harness secret), signed in.
 */
export async function expertAccount(h: Harness, expertId: string): Promise<Signed> {
  const { openExpertAccount } = await import('../identity/identity.expert-accounts.ts');
  const { hashPassword } = await import('../identity/identity.passwords.ts');
  const { sealSm4 } = await import('../../platform/crypto/sm4.ts');
  const { PASSWORD, TOTP_SECRET } = await import('../../../test/support/harness.ts');
  // An expert on two panels keeps its one account.
  const existing = await h.deps.db.selectFrom('identity.accounts').select('username').where('expert_id', '=', expertId).executeTakeFirst();
  if (existing) return { username: existing.username, token: (await signIn(h, existing.username)).token };
  const expert = await h.deps.db.selectFrom('experts.experts').select(['id', 'name']).where('id', '=', expertId).executeTakeFirstOrThrow();
  const ctx = { principal: null, clientIp: '127.0.0.1', requestId: crypto.randomUUID(), userAgent: null, now: h.clock.now() };
  const opened = await openExpertAccount(h.deps, ctx, expert, `zj${expertId.replace(/-/g, '').slice(0, 12)}`);
  await h.deps.db
    .updateTable('identity.accounts')
    .set({ password_hash: await hashPassword(PASSWORD), must_change_password: false, totp_secret_enc: sealSm4(h.deps.keys.master, TOTP_SECRET, `account:${opened.accountId}:totp`), totp_enabled: true })
    .where('id', '=', opened.accountId)
    .execute();
  return { username: opened.username, token: (await signIn(h, opened.username)).token };
}

export interface Panel {
  drawId: string;
  /** The members' pool ids, in seat order, with their signed-in expert accounts. */
  members: { expertId: string; seat: number; account: Signed }[];
}

/**
 * Draws a panel of `size` experts (specialty A01, Taiyuan) for an opened lot through the API,
 * accepts every called expert, confirms the panel and starts the evaluation; each member gets a
 * signed-in expert account.
 */
export async function evaluatingLot(h: Harness, lotId: string, staff: Signed, size = 5): Promise<Panel> {
  const { addExperts } = await import('../experts/experts.draw.test-support.ts');
  await addExperts(h, size + 3, { regionCode: '140105', specialties: ['A01'] });
  const as = { authorization: `Bearer ${staff.token}` };
  const evaluationDate = new Date(h.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const drawn = await ok<{ id: string; members: { expertId: string; state: string }[] }>(
    await h.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lotId}/panel`, headers: as, payload: { evaluationDate, needs: [{ specialtyCode: 'A01', count: size }], reserves: 2 } }),
    'panel',
    201,
  );
  for (const m of drawn.members.filter((x) => x.state === 'pending')) {
    await ok(await h.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lotId}/panel/responses`, headers: as, payload: { expertId: m.expertId, answer: 'accepted' } }), 'response');
  }
  await ok(await h.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lotId}/panel/confirm`, headers: as }), 'confirm');
  await ok(await h.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lotId}/evaluation/start`, headers: as }), 'start');
  const seats = await h.deps.db.selectFrom('trading.evaluation_scores').select(['expert_id', 'seat']).where('lot_id', '=', lotId).orderBy('seat').execute();
  const members = [];
  for (const s of seats) members.push({ expertId: s.expert_id, seat: s.seat, account: await expertAccount(h, s.expert_id) });
  return { drawId: drawn.id, members };
}

/** A complete sheet for methodBody(): every bid gets `points(bidIndex)` of each criterion's maximum share. */
export function sheetFor(bidIds: string[], fraction: (bidIndex: number) => number = () => 0.8, rejections: { bidId: string; reason: string }[] = []): { marks: Record<string, unknown>[]; rejections: { bidId: string; reason: string }[] } {
  const criteria = [
    { id: 't1', max: 40 },
    { id: 't2', max: 20 },
    { id: 'c1', max: 10 },
  ];
  return { marks: bidIds.flatMap((bidId, i) => criteria.map((c) => ({ bidId, criterionId: c.id, points: Math.round(c.max * fraction(i) * 100) / 100, ...(fraction(i) < 0.6 ? { reason: '方案深度不足，措施不具体' } : {}) }))), rejections };
}
