// Reading a project's notice, documents, clarifications and objections — with who may see what —
// the agency's tenderer lookup, the "my projects" filter and the parties' names.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, type Harness } from '../../../test/support/harness.ts';
import { activeEntity, projectBody, publishedProject, staffAccount, travel, type Published, type Signed } from './trading.test-support.ts';

let h: Harness;
let staff: Signed;
let owner: Awaited<ReturnType<typeof activeEntity>>;
let agency: Awaited<ReturnType<typeof activeEntity>>;
let bidder: Awaited<ReturnType<typeof activeEntity>>;
let other: Awaited<ReturnType<typeof activeEntity>>;
let p: Published;

const get = (url: string, token: string) => h.app.inject({ method: 'GET', url, headers: bearer(token) });

beforeAll(async () => {
  h = await createHarness();
  staff = await staffAccount(h, '140100');
  owner = await activeEntity(h, 60, ['tenderer']);
  agency = await activeEntity(h, 61, ['agency']);
  bidder = await activeEntity(h, 62, ['bidder']);
  other = await activeEntity(h, 63, ['bidder']);
  p = await publishedProject(h, 60, { owner, centre: staff });
});
afterAll(async () => h.close());

describe('a project’s papers', () => {
  it('shows the published notice and documents to bidders, and the parties’ names', async () => {
    const n = (await get(`/api/v1/trading/projects/${p.id}/notice`, bidder.token)).json<{ tender: { status: string; body: string }; documents: { fileName: string; sm3: string }[]; notices: { kind: string }[] }>();
    expect(n.tender).toMatchObject({ status: 'published', body: '本招标项目已由有关部门批准建设，现对该项目进行公开招标。' });
    expect(n.documents.map((d) => d.fileName)).toEqual(['招标文件.pdf']);
    expect(n.notices.map((x) => x.kind)).toEqual(['tender']);
    const project = (await get(`/api/v1/trading/projects/${p.id}`, bidder.token)).json<{ tendererName: string; agencyName: string | null }>();
    expect(project).toMatchObject({ tendererName: owner.name, agencyName: null });
  });

  it('lists clarifications with their text, and objections without the objector to the tenderer', async () => {
    await travel(h, '2026-03-04T01:00:00.000Z', staff, owner, agency, bidder, other);
    await h.app.inject({ method: 'POST', url: `/api/v1/trading/projects/${p.id}/clarifications`, headers: bearer(owner.token), payload: { title: '第一号澄清', body: '工程量清单第 3 项单位更正为立方米。' } });
    const c = (await get(`/api/v1/trading/projects/${p.id}/clarifications`, bidder.token)).json<{ items: { number: number; body: string }[] }>();
    expect(c.items).toEqual([expect.objectContaining({ number: 1, body: '工程量清单第 3 项单位更正为立方米。' })]);

    await get(`/api/v1/trading/projects/${p.id}/documents/${p.documentId}`, bidder.token);
    const filed = await h.app.inject({ method: 'POST', url: `/api/v1/trading/projects/${p.id}/objections`, headers: bearer(bidder.token), payload: { content: '招标文件第三章资格条件设置了与项目无关的业绩要求。' } });
    expect(filed.statusCode).toBe(201);
    const toOwner = (await get(`/api/v1/trading/projects/${p.id}/objections`, owner.token)).json<{ items: { entityId: string | null; content: string }[] }>();
    expect(toOwner.items).toEqual([expect.objectContaining({ entityId: null, content: '招标文件第三章资格条件设置了与项目无关的业绩要求。' })]);
    expect((await get(`/api/v1/trading/projects/${p.id}/objections`, staff.token)).json<{ items: { entityId: string }[] }>().items[0]!.entityId).toBe(bidder.entityId);
    expect((await get(`/api/v1/trading/projects/${p.id}/objections`, bidder.token)).json<{ items: unknown[] }>().items).toHaveLength(1);
    expect((await get(`/api/v1/trading/projects/${p.id}/objections`, other.token)).json<{ items: unknown[] }>().items).toHaveLength(0);
  });
});

describe('an agency', () => {
  it('finds an active tenderer by USCC, registers for it, and lists only its own projects', async () => {
    expect((await get(`/api/v1/trading/tenderers?uscc=${bidder.uscc}`, agency.token)).statusCode).toBe(404);
    expect((await get(`/api/v1/trading/tenderers?uscc=${owner.uscc}`, staff.token)).statusCode).toBe(403);
    const t = (await get(`/api/v1/trading/tenderers?uscc=${owner.uscc}`, agency.token)).json<{ id: string; name: string }>();
    expect(t).toMatchObject({ id: owner.entityId, name: owner.name });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/trading/projects', headers: bearer(agency.token), payload: projectBody(64, { tendererEntityId: t.id }) });
    expect(res.json()).toMatchObject({ tendererName: owner.name, agencyName: agency.name });
    const mine = (await get('/api/v1/trading/projects?mine=true', agency.token)).json<{ total: number }>();
    expect(mine.total).toBe(1);
    // Without the filter, an entity that may also bid would see every published project.
    expect((await get('/api/v1/trading/projects?mine=true', owner.token)).json<{ total: number }>().total).toBe(2);
  });
});
