// HTTP helpers shared by the registry integration tests (not a test file itself).

import crypto from 'node:crypto';
import { bearer, PASSWORD, signIn, type Harness } from '../../../test/support/harness.ts';
import { renderLicence, SAMPLE_ENTITIES, type LicenceContent } from './ocr/licence-images.ts';
import { profileBody, usccFor } from './registry.fixtures.ts';

export interface Registered {
  token: string;
  accountId: string;
  entityId: string;
  username: string;
  uscc: string;
}

/** Self-registers organisation n and signs its user in. */
export async function registerOrganisation(h: Harness, n: number, overrides: Record<string, unknown> = {}): Promise<Registered> {
  const uscc = usccFor(n);
  const username = `ent${n}${crypto.randomBytes(2).toString('hex')}`;
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/public/registrations',
    payload: { username, password: PASSWORD, displayName: '李明', entity: { kind: 'organisation', uscc, name: `山西晋建建设工程有限公司${n}`, ...overrides } },
  });
  if (res.statusCode !== 201) throw new Error(`registration failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ accountId: string; entityId: string }>();
  const { token } = await signIn(h, username);
  return { token, accountId: body.accountId, entityId: body.entityId, username, uscc };
}

/** A small PNG (one pixel): a valid image, but no licence (the recogniser refuses it). */
export function tinyPng(): Buffer {
  return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
}

/** A rendered business licence of organisation n (its USCC and name), like profileBody(n) states it. */
export async function licenceFor(n: number, overrides: Partial<LicenceContent> = {}): Promise<Buffer> {
  const template = SAMPLE_ENTITIES[0]!.licence;
  const p = profileBody(n) as { name: string; legalRepresentative: { name: string }; address: string; entityType: string };
  return renderLicence({ ...template, uscc: usccFor(n), name: p.name, legalRepresentative: p.legalRepresentative.name, address: p.address, entityType: p.entityType, registeredCapital: '伍仟万元整', establishedOn: '2012年05月18日', ...overrides });
}

/** Saves the profile, uploads a licence image and submits: the entity then awaits review. */
export async function submitComplete(h: Harness, who: Registered, n: number, overrides: Record<string, unknown> = {}, image?: Buffer): Promise<string> {
  const save = await h.app.inject({ method: 'PUT', url: '/api/v1/registry/me/draft', headers: bearer(who.token), payload: profileBody(n, overrides) });
  if (save.statusCode !== 200) throw new Error(`save failed: ${save.statusCode} ${save.body}`);
  const up = await h.app.inject({ method: 'PUT', url: '/api/v1/registry/me/draft/licence', headers: { ...bearer(who.token), 'content-type': 'image/png' }, payload: image ?? (await licenceFor(n)) });
  if (up.statusCode !== 200) throw new Error(`licence failed: ${up.statusCode} ${up.body}`);
  const sub = await h.app.inject({ method: 'POST', url: '/api/v1/registry/me/draft/submit', headers: bearer(who.token) });
  if (sub.statusCode !== 200) throw new Error(`submit failed: ${sub.statusCode} ${sub.body}`);
  return sub.json<{ id: string }>().id;
}

