import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeAccount, makeOrganisation, signIn, type Harness } from '../../../test/support/harness.ts';
import { verifyAuditChain } from './audit.ts';
import { canonicalJson } from './canonical.ts';

let h: Harness;
let admin: string;
let org: string;

beforeAll(async () => {
  h = await createHarness();
  org = await makeOrganisation(h, { name: '山西省公共资源交易中心' });
  admin = (await signIn(h, (await makeAccount(h, { organisationId: org, roles: [{ code: 'system_admin', scope: 'province' }] })).username)).token;
});
afterAll(async () => {
  await h?.close();
});

const count = async (table: 'org.organisations' | 'audit.audit_log') =>
  Number((await h.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

function createOrg(name: string) {
  return h.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: bearer(admin), payload: { name, kind: 'other', regionCode: '140000' } });
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(new Date('2026-01-01T00:00:00Z'))).toBe('"2026-01-01T00:00:00.000Z"');
  });
});

describe('audit trail', () => {
  it('writes the change and its audit row together', async () => {
    const res = await createOrg('审计测试机构');
    expect(res.statusCode).toBe(201);
    const row = await h.deps.db.selectFrom('audit.audit_log').selectAll().where('target_id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: 'org.organisation.create', result: 'success', actor_username: expect.any(String), client_ip: '127.0.0.1' });
    expect(row.after_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a failing audit write leaves no change behind', async () => {
    await sql`CREATE FUNCTION public.fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store failure'; END $$`.execute(h.deps.db);
    await sql`CREATE TRIGGER fail_audit BEFORE INSERT ON audit.audit_log FOR EACH ROW WHEN (NEW.action = 'org.organisation.create') EXECUTE FUNCTION public.fail_audit()`.execute(h.deps.db);
    try {
      const [orgs, audits] = [await count('org.organisations'), await count('audit.audit_log')];
      const res = await createOrg('不应存在的机构');
      expect(res.statusCode).toBe(500);
      expect(res.json().detail).toMatch(/[\u4e00-\u9fa5]/);
      expect(res.body).not.toContain('audit store failure');
      expect(await count('org.organisations')).toBe(orgs);
      expect(await count('audit.audit_log')).toBe(audits);
    } finally {
      await sql`DROP TRIGGER fail_audit ON audit.audit_log`.execute(h.deps.db);
      await sql`DROP FUNCTION public.fail_audit()`.execute(h.deps.db);
    }
  });

  it('a change failing at commit leaves no audit row behind', async () => {
    await sql`CREATE FUNCTION public.fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'deferred check failed'; END $$`.execute(h.deps.db);
    await sql`CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON org.organisations DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.name = '提交时失败的机构') EXECUTE FUNCTION public.fail_at_commit()`.execute(h.deps.db);
    try {
      const [orgs, audits] = [await count('org.organisations'), await count('audit.audit_log')];
      const res = await createOrg('提交时失败的机构');
      expect(res.statusCode).toBe(500);
      expect(await count('org.organisations')).toBe(orgs);
      expect(await count('audit.audit_log')).toBe(audits);
    } finally {
      await sql`DROP TRIGGER fail_at_commit ON org.organisations`.execute(h.deps.db);
      await sql`DROP FUNCTION public.fail_at_commit()`.execute(h.deps.db);
    }
  });

  it('refuses update, delete and truncate at the database level', async () => {
    await expect(sql`UPDATE audit.audit_log SET result = 'failure' WHERE seq = 1`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit.audit_log WHERE seq = 1`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit.audit_log`.execute(h.deps.db)).rejects.toThrow(/append-only/);
  });

  it('chains rows in order even when requests race', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => createOrg(`并发机构${i}`)));
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(await verifyAuditChain(h.deps.db)).toMatchObject({ ok: true });
  });

  it('detects a row changed behind the triggers and a deleted row', async () => {
    for (let i = 0; i < 3; i++) await createOrg(`篡改测试${i}`);
    const clean = await verifyAuditChain(h.deps.db);
    expect(clean.ok).toBe(true);
    const victim = clean.lastSeq - 1;
    await sql`ALTER TABLE audit.audit_log DISABLE TRIGGER audit_log_append_only`.execute(h.deps.db);
    try {
      await sql`UPDATE audit.audit_log SET actor_username = 'someone-else' WHERE seq = ${victim}`.execute(h.deps.db);
      expect(await verifyAuditChain(h.deps.db)).toMatchObject({ ok: false, firstBroken: { seq: victim, reason: 'hash_mismatch' } });
      await sql`DELETE FROM audit.audit_log WHERE seq = ${victim}`.execute(h.deps.db);
      expect(await verifyAuditChain(h.deps.db)).toMatchObject({ ok: false, firstBroken: { seq: victim, reason: 'gap' } });
    } finally {
      await sql`ALTER TABLE audit.audit_log ENABLE TRIGGER audit_log_append_only`.execute(h.deps.db);
    }
  });
});
