// One registration valid across the province (mission task 1): a market entity's user — and an
// evaluation expert of the province's pool, drawn for a city's panel — signs in on any city node
// with the account it holds at the province. This is the city's side; identity.federation.ts is
// the province's.
//
// On a city, a username the city does not hold as a local account is asked of the province
// (identity.province-sign-in): the province checks the password against its own account — the
// same lockout, the same audit, with the city named — and answers with the account, the stage
// the sign-in reached and its holder as the city keeps it (the entity, registry.reference.ts, or
// the expert, experts.province.ts). The city then writes, in one transaction, its reference copy
// of the holder, a reference account (no password here: it can never authenticate locally,
// migrations 0027 and 0028) with the entity user's or the expert's role, and the session. A
// dynamic code is checked at the province too (identity.province-second-factor). Password
// changes and enrolment of a second factor are done at the province, where the account lives; a
// city refuses them with a message that says so.
//
// A city's local disabling of a reference account stands: the province's answer never re-enables
// it. Nothing is stored on the city when the province refuses or cannot be reached.

import { Type, type Static } from '@sinclair/typebox';
import { Instant, Nullable, Uuid, oneOf } from '../../platform/federation/federation.schemas.ts';
import type { Kysely } from 'kysely';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { callPeer, checkedResult, peerOf, PROVINCE_REGION } from '../../platform/federation/federation.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import { ExpertReference, storeExpertReference } from '../experts/experts.province.ts';
import { EntityReference, storeEntityReference } from '../registry/registry.reference.ts';
import { insertHolderAccountRow, type AccountHolder } from './identity.entity-accounts.ts';
import * as repo from './identity.repository.ts';
import { openSession, type LoginResult } from './identity.service.ts';
import type { SessionStage } from './identity.tables.ts';

export const PROVINCE_SIGN_IN = 'identity.province-sign-in';
export const PROVINCE_SECOND_FACTOR = 'identity.province-second-factor';

/** Stored as a reference account's password hash: not a hash of anything, so nothing verifies against it. */
const NO_LOCAL_PASSWORD = '!province-account';

const Stage = oneOf<SessionStage>(['mfa', 'mfa_enroll', 'password_change', 'active']);

/** What the province answers a sign-in with (checked on arrival). */
export const SignInResult = Type.Object({
  account: Type.Object({
    id: Uuid,
    username: Type.String({ minLength: 1, maxLength: 64 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    passwordChangedAt: Instant,
    totpEnabled: Type.Boolean(),
  }),
  stage: Stage,
  /** The account's holder: exactly one of the two. */
  entity: Nullable(EntityReference),
  expert: Nullable(ExpertReference),
});
export type SignInResultT = Static<typeof SignInResult>;

export const StageResult = Type.Object({ stage: Stage });

/** Whether `username` signs in at the province: on a city with the province configured, for any name that is not a local account. */
export async function signsInAtProvince(deps: Deps, username: string): Promise<boolean> {
  if (deps.config.nodeRole !== 'city' || peerOf(deps, PROVINCE_REGION)?.url === undefined) return false;
  const local = await repo.findAccountByUsername(deps.db, username);
  return local === undefined || local.home_node !== null;
}

/**
 * Refuses, on a node that is not the account's home, what only its home node does: the holder's
 * own password change and enrolment, and an administrator's reset of either. A reference account
 * never authenticates here (it signs in at the province), so a reset here would report success and
 * change nothing the holder uses.
 */
export function atHomeNode(account: { home_node: string | null }, what: 'password' | 'mfa' | 'reset_password' | 'reset_mfa'): void {
  if (account.home_node === null) return;
  const detail = {
    password: '该账号是省级平台的账号（市场主体或评标专家），密码由省级平台统一管理：请登录省级平台修改密码，修改后全省各节点通用',
    mfa: '该账号是省级平台的账号（市场主体或评标专家），动态验证码请登录省级平台绑定，绑定后全省各节点通用',
    reset_password: '该账号是省级平台的账号（市场主体或评标专家），密码由省级平台统一管理，本节点不能重置：请由省级平台的管理员重置',
    reset_mfa: '该账号是省级平台的账号（市场主体或评标专家），动态验证码在省级平台绑定，本节点不能重置：请由省级平台的管理员重置',
  }[what];
  throw conflict(detail, 'account', 'province_account');
}

/** Asks the province; a refusal or an outage is audited here as a failed `action` before it reaches the user. */
async function askProvince<T extends Parameters<typeof checkedResult>[0]>(deps: Deps, audit: AuditContext, action: 'auth.login' | 'auth.mfa.verify', federationAction: string, payload: unknown, schema: T): Promise<Static<T>> {
  try {
    return checkedResult(schema, await callPeer(deps, PROVINCE_REGION, federationAction, payload), federationAction);
  } catch (err) {
    const code = err instanceof AppError ? err.code : 'internal';
    await deps.db.transaction().execute((trx) => appendAudit(trx, audit, { action, result: 'failure', detail: { reason: code === 'unavailable' ? 'province_unavailable' : 'province_refused', code, node: PROVINCE_REGION } }));
    throw err;
  }
}

/** The city's reference account of a province account, written or refreshed inside the sign-in's transaction. */
async function storeReferenceAccount(trx: Kysely<DB>, account: SignInResultT['account'], holder: AccountHolder, now: Date): Promise<void> {
  const held = await repo.lockAccount(trx, account.id);
  if (held && held.home_node !== PROVINCE_REGION) throw conflict(`本节点存在与省级账号 ${account.username} 相同标识的本地账号，无法登录；请联系系统管理员核对`, 'username', 'local_account');
  if (held && held.status !== 'active') throw new AppError('forbidden', '该账号已被本节点停用，请联系本市交易中心');
  const fromProvince = { username: account.username, display_name: account.displayName, password_changed_at: new Date(account.passwordChangedAt), totp_enabled: account.totpEnabled, updated_at: now };
  if (held) {
    await repo.updateAccount(trx, held.id, fromProvince);
    // The password was changed at the province since: the city's older sessions end, as the province's did.
    if (fromProvince.password_changed_at > held.password_changed_at) await repo.endSessionsCreatedBefore(trx, held.id, 'password_changed', now, fromProvince.password_changed_at);
    return;
  }
  const row = { id: account.id, username: account.username, displayName: account.displayName, holder, passwordHash: NO_LOCAL_PASSWORD, passwordChangedAt: fromProvince.password_changed_at, homeNode: PROVINCE_REGION, totpEnabled: account.totpEnabled };
  await insertHolderAccountRow(trx, row, now, () => conflict(`用户名 ${account.username} 在本市节点已被本地账号使用，无法以省级账号登录；请联系本市交易中心处理`, 'username', 'local_account'));
}

/** Sign-in on a city with a province account (see the top of the file). */
export async function provinceSignIn(deps: Deps, ctx: RequestContext, username: string, password: string): Promise<LoginResult> {
  const audit = { ...auditContext(ctx), actorUsername: username.slice(0, 64) };
  const payload = { username, password, clientIp: ctx.clientIp, userAgent: ctx.userAgent?.slice(0, 512) ?? null, requestId: ctx.requestId.slice(0, 100) };
  const answer = await askProvince(deps, audit, 'auth.login', PROVINCE_SIGN_IN, payload, SignInResult);
  const who = { ...audit, actorId: answer.account.id, actorUsername: answer.account.username };
  const result = await deps.db.transaction().execute(async (trx) => {
    let holder: AccountHolder;
    if (answer.entity) {
      await storeEntityReference(trx, deps.keys, answer.entity, PROVINCE_REGION, who);
      holder = { entityId: answer.entity.entity.id };
    } else if (answer.expert) {
      await storeExpertReference(trx, deps.keys, answer.expert, PROVINCE_REGION, who);
      holder = { expertId: answer.expert.id };
    } else throw new AppError('unavailable', '对端节点的应答无法识别，请稍后再试', { logMessage: `${PROVINCE_SIGN_IN} answered without the account's holder` });
    await storeReferenceAccount(trx, answer.account, holder, ctx.now);
    if (answer.stage === 'active') await repo.updateAccount(trx, answer.account.id, { last_login_at: ctx.now });
    return openSession(deps, trx, ctx, who, answer.account.id, answer.stage, { node: PROVINCE_REGION });
  });
  // The entity's name, region and status are part of its users' cached sessions.
  deps.authCache.invalidate();
  return result;
}

/** The dynamic code of a province account's session on a city, checked at the province. */
export async function provinceSecondFactor(deps: Deps, actor: RequestContext & { principal: Principal }, code: string): Promise<SessionStage> {
  const p = actor.principal;
  const audit = auditContext(actor);
  const payload = { accountId: p.accountId, code, clientIp: actor.clientIp, userAgent: actor.userAgent?.slice(0, 512) ?? null, requestId: actor.requestId.slice(0, 100) };
  let answer: Static<typeof StageResult>;
  try {
    answer = await askProvince(deps, audit, 'auth.mfa.verify', PROVINCE_SECOND_FACTOR, payload, StageResult);
  } catch (err) {
    // Locked at the province: this session cannot complete either.
    if (err instanceof AppError && err.code === 'account_locked') {
      await repo.endSession(deps.db, p.sessionId, 'revoked', actor.now);
      deps.authCache.invalidate();
    }
    throw err;
  }
  await deps.db.transaction().execute(async (trx) => {
    await repo.setSessionStage(trx, p.sessionId, answer.stage, actor.now);
    await repo.updateAccount(trx, p.accountId, { last_login_at: actor.now });
    await appendAudit(trx, audit, { action: 'auth.mfa.verify', result: 'success', targetType: 'session', targetId: p.sessionId, detail: { stage: answer.stage, node: PROVINCE_REGION } });
  });
  deps.authCache.invalidate();
  return answer.stage;
}
