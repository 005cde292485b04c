// Demo market entity (part of `ggzy seed --demo`): one organisation registered through the same
// use case as the public registration page, with its first account `bidder` (entity accounts
// sign in without a second factor). It starts as 注册中 with a blank draft, so a person can try
// the whole path: complete the profile, upload the licence, submit, and have `ty_staff` review.

import crypto from 'node:crypto';
import type { Deps } from '../platform/deps.ts';
import { findAccountByUsername } from '../modules/identity/identity.repository.ts';
import { register } from '../modules/registry/registry.service.ts';

/** A valid Shanxi USCC (region 140100 太原市, check digits per GB 32100). */
export const DEMO_ENTITY = {
  username: 'bidder',
  displayName: '晋建投标专员',
  uscc: '91140100202600012R',
  name: '山西晋建演示建设工程有限公司',
} as const;

export async function seedDemoRegistry(deps: Deps, password: string): Promise<string[]> {
  if (await findAccountByUsername(deps.db, DEMO_ENTITY.username)) return [];
  await register(
    deps,
    { principal: null, clientIp: 'local', requestId: `seed-demo-${crypto.randomUUID()}`, userAgent: null, now: deps.clock.now() },
    {
      username: DEMO_ENTITY.username,
      password,
      displayName: DEMO_ENTITY.displayName,
      entity: { kind: 'organisation', uscc: DEMO_ENTITY.uscc, name: DEMO_ENTITY.name },
    },
  );
  return [DEMO_ENTITY.username];
}
