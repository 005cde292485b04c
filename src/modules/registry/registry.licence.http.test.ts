// The licence through HTTP with the real OCR: a form that disagrees with the licence is shown
// field by field to the entity and to the reviewer; fixed, the comparison agrees.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, type Harness } from '../../../test/support/harness.ts';
import { makeRole, tokenWithRole } from '../experts/experts.test-support.ts';
import { profileBody } from './registry.fixtures.ts';
import { licenceFor, registerOrganisation } from './registry.test-support.ts';

let h: Harness;
let reviewer: string;

beforeAll(async () => {
  h = await createHarness({ GGZY_PASSWORD_MAX_AGE_DAYS: '0' });
  const taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100' });
  await makeRole(h, 'registry_reviewer', ['registry.entity.read', 'registry.entity.review']);
  reviewer = await tokenWithRole(h, taiyuan, 'registry_reviewer', 'region');
});
afterAll(async () => {
  await h?.close();
});

type Comparison = { fields: { field: string; verdict: string; formValue: string | null; ocrValue: string | null; message: string }[]; usccCheck: { formValid: boolean; ocrValid: boolean | null }; mismatches: number };

describe('licence recognition and comparison', () => {
  it('reads the licence, flags the field that disagrees, and agrees once it is fixed', async () => {
    const who = await registerOrganisation(h, 60);
    const put = (body: Record<string, unknown>) => h.app.inject({ method: 'PUT', url: '/api/v1/registry/me/draft', headers: bearer(who.token), payload: body });
    expect((await put(profileBody(60, { registeredCapitalWanYuan: 500 }))).statusCode).toBe(200);
    const up = await h.app.inject({ method: 'PUT', url: '/api/v1/registry/me/draft/licence', headers: { ...bearer(who.token), 'content-type': 'image/png' }, payload: await licenceFor(60) });
    expect(up.statusCode, up.body).toBe(200);
    const read = up.json<{ comparison: Comparison; ocr: { engine: string }; ocrError: string | null }>();
    expect(read.ocrError).toBeNull();
    expect(read.ocr.engine).toContain('PP-OCR');
    const verdict = (c: Comparison, field: string) => c.fields.find((f) => f.field === field)!;
    expect(verdict(read.comparison, 'registeredCapitalWanYuan')).toMatchObject({ verdict: 'mismatch', formValue: '500', ocrValue: '5000' });
    for (const field of ['name', 'uscc', 'legalRepresentative', 'establishedOn']) expect(verdict(read.comparison, field).verdict, field).toBe('match');
    expect(read.comparison.usccCheck).toMatchObject({ formValid: true, ocrValid: true });
    expect(read.comparison.mismatches).toBe(1);

    // Fixed in the form, the stored reading now agrees; the reviewer sees the same comparison.
    const fixed = await put(profileBody(60));
    expect(verdict(fixed.json<{ comparison: Comparison }>().comparison, 'registeredCapitalWanYuan').verdict).toBe('match');
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/registry/me/draft/submit', headers: bearer(who.token) })).statusCode).toBe(200);
    const queue = await h.app.inject({ method: 'GET', url: '/api/v1/registry/reviews', headers: bearer(reviewer) });
    const item = queue.json<{ items: { versionId: string; entityId: string; mismatches: number | null }[] }>().items.find((i) => i.entityId === who.entityId)!;
    expect(item.mismatches).toBe(0);
    const view = await h.app.inject({ method: 'GET', url: `/api/v1/registry/entities/${who.entityId}/versions/${item.versionId}`, headers: bearer(reviewer) });
    expect(view.json<{ comparison: Comparison }>().comparison.mismatches).toBe(0);
    // The image itself is there for the reviewer.
    const digest = view.json<{ licence: { digest: string } }>().licence.digest;
    const image = await h.app.inject({ method: 'GET', url: `/api/v1/registry/entities/${who.entityId}/files/${digest}`, headers: bearer(reviewer) });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
  });
});
