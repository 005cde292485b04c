// The province's side of signing in on a city node with a province account (identity.province.ts
// has the city's side and the why). The province answers, to city nodes only:
//   identity.province-sign-in       the password check of a market entity's or an evaluation
//                                   expert's account, with the same lockout and audit as a
//                                   sign-in here (the city named in each entry, the user's
//                                   address and the city's request id kept), and, when it
//                                   passes, the account, its stage and its holder (the entity or
//                                   the expert) as the city keeps it. Staff accounts are per
//                                   node: they are answered as unknown users, after the same work.
//   identity.province-second-factor the dynamic code of such an account, with its failure count;
//   registry.entity-references      the current reference copies of up to REFRESH_BATCH entities
//                                   and the state of their accounts (identity.references.ts);
//   experts.expert-refresh          the same for experts a city holds copies of.
// No session is opened at the province for either: the session lives on the city.

import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Uuid } from '../../platform/federation/federation.schemas.ts';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { FederationHandlers } from '../../platform/federation/federation.ts';
import { AppError } from '../../platform/errors.ts';
import { expertReference } from '../experts/experts.province.ts';
import { entityReference } from '../registry/registry.reference.ts';
import * as repo from './identity.repository.ts';
import { ENTITY_REFERENCES, entityReferences, EXPERT_REFRESH, expertRefresh, REFRESH_BATCH } from './identity.references.ts';
import { PROVINCE_SECOND_FACTOR, PROVINCE_SIGN_IN, type SignInResultT } from './identity.province.ts';
import { checkPassword, checkSecondFactor } from './identity.service.ts';

const Client = {
  clientIp: Type.String({ minLength: 1, maxLength: 64 }),
  userAgent: Nullable(Type.String({ maxLength: 512 })),
  requestId: Type.String({ minLength: 1, maxLength: 100 }),
};
const SignInPayload = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }), ...Client }, { additionalProperties: false });
const SecondFactorPayload = Type.Object(
  { accountId: Uuid, code: Type.String({ pattern: '^[0-9]{6}$' }), ...Client },
  { additionalProperties: false },
);

const ReferencesPayload = Type.Object(
  { ids: Type.Array(Uuid, { minItems: 1, maxItems: REFRESH_BATCH }) },
  { additionalProperties: false },
);

export function addIdentityFederationHandlers(handlers: FederationHandlers): void {
  handlers.add({
    action: ENTITY_REFERENCES,
    from: 'city',
    payload: ReferencesPayload,
    handle: (deps, _peer, payload) => entityReferences(deps.db, deps.keys, (payload as Static<typeof ReferencesPayload>).ids),
  });
  handlers.add({
    action: EXPERT_REFRESH,
    from: 'city',
    payload: ReferencesPayload,
    handle: (deps, _peer, payload) => expertRefresh(deps.db, deps.keys, (payload as Static<typeof ReferencesPayload>).ids),
  });
  handlers.add({
    action: PROVINCE_SIGN_IN,
    from: 'city',
    payload: SignInPayload,
    handle: (deps, peer, payload, now): Promise<SignInResultT> => {
      const p = payload as Static<typeof SignInPayload>;
      const ctx = { clientIp: p.clientIp, userAgent: p.userAgent, requestId: p.requestId, now };
      return checkPassword(deps, ctx, p.username, p.password, {
        accepts: (a) => (a.entity_id !== null || a.expert_id !== null) && a.home_node === null,
        detail: { node: peer.region },
        onPassed: async (trx, { row, stage, who }) => {
          const entity = row.entity_id === null ? null : await entityReference(trx, deps.keys, row.entity_id);
          const expert = row.expert_id === null ? null : await expertReference(trx, deps.keys, row.expert_id);
          if (row.expert_id !== null && expert === null) throw new Error(`expert ${row.expert_id} of an account is not this node's own`);
          await appendAudit(trx, who, { action: 'auth.login', result: 'success', targetType: 'account', targetId: row.id, detail: { stage, node: peer.region } });
          return {
            account: { id: row.id, username: row.username, displayName: row.display_name, passwordChangedAt: row.password_changed_at.toISOString(), totpEnabled: row.totp_enabled },
            stage,
            entity,
            expert,
          };
        },
      });
    },
  });
  handlers.add({
    action: PROVINCE_SECOND_FACTOR,
    from: 'city',
    payload: SecondFactorPayload,
    handle: async (deps, peer, payload, now): Promise<{ stage: string }> => {
      const p = payload as Static<typeof SecondFactorPayload>;
      const account = await repo.findAccount(deps.db, p.accountId);
      if (!account || (account.entity_id === null && account.expert_id === null) || account.home_node !== null) throw new AppError('forbidden', '该账号不是市场主体或评标专家账号，不能在其他节点登录');
      const audit = { actorId: account.id, actorUsername: account.username, clientIp: p.clientIp, requestId: p.requestId, at: now };
      return { stage: await checkSecondFactor(deps, { accountId: account.id, sessionId: null, audit, node: peer.region }, p.code) };
    },
  });
}
