// Sign-in, second factor, password change, sessions. Every attempt, good or bad, is audited;
// failures are counted under a row lock so concurrent guesses cannot slip past the lockout.

import crypto from 'node:crypto';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { Kysely } from 'kysely';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Principal, SessionSnapshot } from '../../platform/auth/principal.ts';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import { openSm4, sealSm4 } from '../../platform/crypto/sm4.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { csrfTokenFor } from '../../platform/http/auth-guard.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import { grantsOf, mfaRequiredFor, principalGrants } from '../org/org.roles.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { organisationFacts } from '../org/org.service.ts';
import { organisationRegion } from '../org/org.scope.ts';
import { entityFacts } from '../registry/registry.facts.ts';
import { expertFacts } from '../experts/experts.facts.ts';
import * as repo from './identity.repository.ts';
import { atHomeNode, provinceSecondFactor, provinceSignIn, signsInAtProvince } from './identity.province.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from './identity.passwords.ts';
import {
  checkPasswordPolicy,
  effectiveFailures,
  isIdleExpired,
  isLocked,
  isPasswordExpired,
  nextStage,
  passwordExpiresAt,
  registerFailure,
  shouldTouch,
} from './identity.rules.ts';
import type { SessionStage } from './identity.tables.ts';

type Actor = RequestContext & { principal: Principal };

/** Passwords recently used by an account that may not be chosen again. */
const PASSWORD_HISTORY = 5;
const TOTP_ISSUER = '公共资源交易平台';

export function tokenDigest(token: string): string {
  return sm3Hex(token);
}

function lockedError(lockedUntil: Date): AppError {
  return new AppError('account_locked', '连续认证失败次数过多，账号已临时锁定，请稍后再试或联系安全管理员解锁', {
    extra: { lockedUntil: lockedUntil.toISOString() },
  });
}

export interface LoginResult {
  token: string;
  stage: SessionStage;
  csrfToken: string;
  expiresAt: Date;
}

/** What a successful password check hands on: the locked account row, the stage it reached, who to audit as. */
export interface PasswordPassed {
  row: repo.AccountRow;
  stage: SessionStage;
  who: AuditContext;
}

/**
 * The password check of every sign-in, with the lockout: `accepts` says which accounts may sign
 * in this way (any other is answered as an unknown user, after the same work), `detail` is added
 * to each audit entry, and `onPassed` runs inside the transaction that resets the failures.
 */
export async function checkPassword<R>(
  deps: Deps,
  ctx: Omit<RequestContext, 'principal'>,
  username: string,
  password: string,
  options: { accepts: (account: repo.AccountRow) => boolean; detail?: Record<string, unknown>; onPassed: (trx: Kysely<DB>, passed: PasswordPassed) => Promise<R> },
): Promise<R> {
  const sec = deps.config.security;
  const now = ctx.now;
  const audit = auditContext({ ...ctx, principal: null });
  const extra = options.detail ?? {};
  const found = await repo.findAccountByUsername(deps.db, username);
  const account = found && options.accepts(found) ? found : undefined;
  if (!account) {
    await burnPasswordCheck(password);
    await deps.db.transaction().execute((trx) =>
      appendAudit(trx, { ...audit, actorUsername: username.slice(0, 64) }, { action: 'auth.login', result: 'failure', detail: { reason: 'unknown_user', ...extra } }),
    );
    throw new AppError('invalid_credentials', '用户名或密码错误');
  }
  const who = { ...audit, actorId: account.id, actorUsername: account.username };
  if (isLocked(account.locked_until, now)) {
    await deps.db.transaction().execute((trx) =>
      appendAudit(trx, who, { action: 'auth.login', result: 'failure', targetType: 'account', targetId: account.id, detail: { reason: 'locked', ...extra } }),
    );
    throw lockedError(account.locked_until!);
  }

  const passwordOk = await verifyPassword(account.password_hash, password);
  const mfaRequired = passwordOk ? await mfaRequiredFor(deps.db, account.id) : false;

  const outcome = await deps.db.transaction().execute(async (trx) => {
    const row = (await repo.lockAccount(trx, account.id))!;
    if (isLocked(row.locked_until, now)) return { kind: 'locked' as const, until: row.locked_until! };
    const failures = effectiveFailures(row.failed_attempts, row.locked_until, now);
    if (!passwordOk) {
      const f = registerFailure(failures, now, sec);
      await repo.updateAccount(trx, row.id, { failed_attempts: f.failedAttempts, locked_until: f.lockedUntil });
      await appendAudit(trx, who, { action: 'auth.login', result: 'failure', targetType: 'account', targetId: row.id, detail: { reason: 'bad_password', consecutive: f.failedAttempts, ...extra } });
      if (f.justLocked) await appendAudit(trx, who, { action: 'auth.account.locked', result: 'success', targetType: 'account', targetId: row.id, detail: { until: f.lockedUntil!.toISOString() } });
      return f.justLocked ? { kind: 'locked' as const, until: f.lockedUntil! } : { kind: 'bad' as const, left: sec.lockoutThreshold - f.failedAttempts };
    }
    if (row.status !== 'active') {
      await appendAudit(trx, who, { action: 'auth.login', result: 'failure', targetType: 'account', targetId: row.id, detail: { reason: 'disabled', ...extra } });
      return { kind: 'disabled' as const };
    }
    const stage = nextStage({
      mfaPassed: false,
      mfaRequired,
      totpEnabled: row.totp_enabled,
      mustChangePassword: row.must_change_password,
      passwordExpired: isPasswordExpired(row.password_changed_at, now, sec.passwordMaxAgeDays),
    });
    // The password alone completes authentication only when no second factor follows.
    const complete = stage !== 'mfa' && stage !== 'mfa_enroll';
    await repo.updateAccount(trx, row.id, complete ? { failed_attempts: 0, locked_until: null, last_login_at: now } : { failed_attempts: failures, locked_until: failures === 0 ? null : row.locked_until });
    return { kind: 'ok' as const, result: await options.onPassed(trx, { row, stage, who }) };
  });

  switch (outcome.kind) {
    case 'locked':
      throw lockedError(outcome.until);
    case 'bad':
      throw new AppError('invalid_credentials', outcome.left > 0 ? `用户名或密码错误，再失败 ${outcome.left} 次账号将被锁定` : '用户名或密码错误', {
        extra: { attemptsLeft: outcome.left },
      });
    case 'disabled':
      throw new AppError('forbidden', '账号已停用，请联系系统管理员');
    case 'ok':
      return outcome.result;
    default: {
      const never: never = outcome;
      throw new Error(String(never));
    }
  }
}

/** Opens a session of `accountId` at `stage` inside the caller's transaction, audited as a successful sign-in. */
export async function openSession(deps: Deps, trx: Kysely<DB>, ctx: Omit<RequestContext, 'principal'>, who: AuditContext, accountId: string, stage: SessionStage, detail: Record<string, unknown> = {}): Promise<LoginResult> {
  const now = ctx.now;
  const token = crypto.randomBytes(32).toString('base64url');
  const session = {
    id: crypto.randomUUID(),
    token_hash: tokenDigest(token),
    account_id: accountId,
    stage,
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + deps.config.security.sessionMaxHours * 3_600_000),
    ended_at: null,
    end_reason: null,
    client_ip: ctx.clientIp,
    user_agent: ctx.userAgent,
  };
  await repo.insertSession(trx, session);
  await appendAudit(trx, who, { action: 'auth.login', result: 'success', targetType: 'session', targetId: session.id, detail: { stage, ...detail } });
  return { token, stage, expiresAt: session.expires_at, csrfToken: csrfTokenFor(deps.keys.csrf, session.token_hash) };
}

export async function login(deps: Deps, ctx: RequestContext, username: string, password: string): Promise<LoginResult> {
  // On a city node an account of the province's registry signs in at the province (identity.province.ts).
  if (await signsInAtProvince(deps, username)) return provinceSignIn(deps, ctx, username, password);
  return checkPassword(deps, ctx, username, password, {
    accepts: (a) => a.home_node === null,
    onPassed: (trx, { row, stage, who }) => openSession(deps, trx, ctx, who, row.id, stage),
  });
}

/** Where an account belongs: its organisation, its entity (a market entity's account), or its expert. */
async function homeOf(deps: Deps, row: { organisation_id: string | null; entity_id: string | null; expert_id: string | null }): Promise<{ name: string; regionCode: string }> {
  if (row.organisation_id !== null) {
    const [regionCode, org] = await Promise.all([organisationRegion(deps.db, row.organisation_id), organisationFacts(deps, row.organisation_id)]);
    return { name: org?.name ?? '', regionCode };
  }
  if (row.expert_id !== null) {
    const expert = await expertFacts(deps.db, row.expert_id);
    if (!expert) throw new Error(`expert ${row.expert_id} of a signed-in account does not exist`);
    return { name: expert.name, regionCode: expert.regionCode };
  }
  const entity = await entityFacts(deps.db, row.entity_id!);
  if (!entity) throw new Error(`entity ${row.entity_id} of a signed-in account does not exist`);
  return { name: entity.name, regionCode: entity.region_code };
}

/** Loads everything a request needs to know about a session, in few queries. */
async function loadSession(deps: Deps, tokenHash: string): Promise<SessionSnapshot | 'unknown' | 'disabled'> {
  const row = await repo.findSessionByTokenHash(deps.db, tokenHash);
  if (!row || row.ended_at !== null) return 'unknown';
  if (row.status !== 'active') {
    await repo.endSession(deps.db, row.session_id, 'revoked', deps.clock.now());
    return 'disabled';
  }
  const [{ grants, adminClass }, home, roles] = await Promise.all([
    principalGrants(deps.db, row.account_id),
    homeOf(deps, row),
    grantsOf(deps.db, [row.account_id]),
  ]);
  return {
    principal: {
      accountId: row.account_id,
      username: row.username,
      displayName: row.display_name,
      organisationId: row.organisation_id,
      entityId: row.entity_id,
      expertId: row.expert_id,
      regionCode: home.regionCode,
      sessionId: row.session_id,
      stage: row.stage,
      grants,
      adminClass,
      organisationName: home.name,
      roles: (roles.get(row.account_id) ?? []).map((g) => ({ id: g.roleId, code: g.code, name: g.name, scope: g.scope })),
      mfaEnabled: row.totp_enabled,
      passwordChangedAt: row.password_changed_at,
      homeNode: row.home_node,
    },
    expiresAtMs: row.expires_at.getTime(),
    storedLastSeenMs: row.last_seen_at.getTime(),
    lastSeenMs: row.last_seen_at.getTime(),
    views: {},
  };
}

function viewOf(snap: SessionSnapshot, via: Principal['via']): Principal {
  return (snap.views[via] ??= { ...snap.principal, via });
}

/**
 * The request path's fast lane: a cached session that is neither expired nor idle nor due for
 * its last-seen write is answered synchronously. Anything else (undefined) takes resolveSession.
 */
export function resolveCachedSession(deps: Deps, token: string, via: Principal['via'], now: Date): Principal | undefined {
  const nowMs = now.getTime();
  const snap = deps.authCache.get(token, nowMs);
  if (!snap) return undefined;
  const sec = deps.config.security;
  if (nowMs >= snap.expiresAtMs || nowMs - snap.lastSeenMs >= sec.sessionIdleMinutes * 60_000) return undefined;
  if (nowMs - snap.storedLastSeenMs >= sec.sessionTouchSeconds * 1000) return undefined;
  if (nowMs > snap.lastSeenMs) snap.lastSeenMs = nowMs;
  return viewOf(snap, via);
}

/**
 * Resolves a session token on every request: absolute expiry, idle timeout, account state,
 * grants. Served from the session cache when possible (see AuthCache for its rules).
 */
export async function resolveSession(deps: Deps, token: string, via: 'cookie' | 'bearer', ctx: Omit<RequestContext, 'principal'>): Promise<Principal> {
  const now = ctx.now.getTime();
  const sec = deps.config.security;
  // Keyed by the token itself: a hit costs no digest. Only the digest is ever written to the database.
  let snap = deps.authCache.get(token, now);
  if (!snap) {
    const generation = deps.authCache.generation;
    const loaded = await loadSession(deps, tokenDigest(token));
    if (loaded === 'unknown') throw new AppError('unauthenticated', '登录已失效，请重新登录');
    if (loaded === 'disabled') throw new AppError('unauthenticated', '账号已停用，请联系系统管理员');
    snap = loaded;
    deps.authCache.set(token, snap, now, generation);
  }
  const expired = now >= snap.expiresAtMs;
  if (expired || isIdleExpired(new Date(snap.lastSeenMs), ctx.now, sec.sessionIdleMinutes)) {
    deps.authCache.delete(token);
    const p = snap.principal;
    await deps.db.transaction().execute(async (trx) => {
      if (await repo.endSession(trx, p.sessionId, expired ? 'expired' : 'idle', ctx.now)) {
        await appendAudit(
          trx,
          { actorId: p.accountId, actorUsername: p.username, clientIp: ctx.clientIp, requestId: ctx.requestId, at: ctx.now },
          { action: 'auth.session.expired', targetType: 'session', targetId: p.sessionId, detail: { reason: expired ? 'expired' : 'idle' } },
        );
      }
    });
    throw new AppError('session_expired', expired ? '登录已超过最长有效期，请重新登录' : `超过 ${sec.sessionIdleMinutes} 分钟未操作，请重新登录`);
  }
  snap.lastSeenMs = Math.max(snap.lastSeenMs, now);
  if (shouldTouch(new Date(snap.storedLastSeenMs), ctx.now, sec.sessionTouchSeconds)) {
    snap.storedLastSeenMs = now;
    await repo.touchSession(deps.db, snap.principal.sessionId, ctx.now);
  }
  return viewOf(snap, via);
}

/** Whose second factor is being checked: the account, the session it would complete (none when a city asks), who to audit as. */
interface FactorSubject {
  accountId: string;
  sessionId: string | null;
  audit: AuditContext;
  /** The city that asked, when the check is done for another node (identity.federation.ts). */
  node?: string;
}

function nodeOf(subject: FactorSubject): { node?: string } {
  return subject.node === undefined ? {} : { node: subject.node };
}

function subjectOf(actor: Actor): FactorSubject {
  return { accountId: actor.principal.accountId, sessionId: actor.principal.sessionId, audit: auditContext(actor) };
}

async function registerSecondFactorFailure(deps: Deps, subject: FactorSubject, action: 'auth.mfa.verify' | 'auth.mfa.enroll'): Promise<never> {
  const now = subject.audit.at;
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const row = (await repo.lockAccount(trx, subject.accountId))!;
    const f = registerFailure(effectiveFailures(row.failed_attempts, row.locked_until, now), now, deps.config.security);
    await repo.updateAccount(trx, row.id, { failed_attempts: f.failedAttempts, locked_until: f.lockedUntil });
    await appendAudit(trx, subject.audit, { action, result: 'failure', targetType: 'account', targetId: row.id, detail: { reason: 'bad_code', consecutive: f.failedAttempts, ...nodeOf(subject) } });
    if (f.justLocked) {
      if (subject.sessionId !== null) await repo.endSession(trx, subject.sessionId, 'revoked', now);
      await appendAudit(trx, subject.audit, { action: 'auth.account.locked', targetType: 'account', targetId: row.id, detail: { until: f.lockedUntil!.toISOString() } });
    }
    return f;
  });
  if (outcome.justLocked) {
    deps.authCache.invalidate();
    throw lockedError(outcome.lockedUntil!);
  }
  throw new AppError('invalid_totp', `动态验证码错误，再失败 ${deps.config.security.lockoutThreshold - outcome.failedAttempts} 次账号将被锁定`, {
    extra: { attemptsLeft: deps.config.security.lockoutThreshold - outcome.failedAttempts },
  });
}

async function checkTotp(secret: string, code: string, now: Date, lastStep: number | null): Promise<number | null> {
  const result = await verifyTotp({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    // One 30-second step either side absorbs clock drift between phone and server.
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}

async function completeSecondFactor(deps: Deps, subject: FactorSubject, action: 'auth.mfa.verify' | 'auth.mfa.enroll', timeStep: number, enrol: boolean): Promise<SessionStage> {
  const now = subject.audit.at;
  const stage = await deps.db.transaction().execute(async (trx) => {
    const row = await repo.updateAccount(trx, subject.accountId, {
      failed_attempts: 0,
      locked_until: null,
      totp_last_step: timeStep,
      last_login_at: now,
      ...(enrol ? { totp_enabled: true } : {}),
    });
    const stage = nextStage({
      mfaPassed: true,
      mfaRequired: true,
      totpEnabled: true,
      mustChangePassword: row.must_change_password,
      passwordExpired: isPasswordExpired(row.password_changed_at, now, deps.config.security.passwordMaxAgeDays),
    });
    if (subject.sessionId !== null) await repo.setSessionStage(trx, subject.sessionId, stage, now);
    await appendAudit(trx, subject.audit, { action, result: 'success', targetType: subject.sessionId === null ? 'account' : 'session', targetId: subject.sessionId ?? subject.accountId, detail: { stage, ...nodeOf(subject) } });
    return stage;
  });
  deps.authCache.invalidate();
  return stage;
}

/** Checks an account's dynamic code (the session, if any, moves on to the stage it reaches). */
export async function checkSecondFactor(deps: Deps, subject: FactorSubject, code: string): Promise<SessionStage> {
  const account = (await repo.findAccount(deps.db, subject.accountId))!;
  if (isLocked(account.locked_until, subject.audit.at)) throw lockedError(account.locked_until!);
  if (!account.totp_enabled || !account.totp_secret_enc) throw new AppError('session_stage', '账号尚未绑定动态验证码', { extra: { stage: 'mfa_enroll' } });
  const secret = openSm4(deps.keys.master, account.totp_secret_enc, `account:${account.id}:totp`).toString('utf8');
  const step = await checkTotp(secret, code, subject.audit.at, account.totp_last_step);
  if (step === null) return registerSecondFactorFailure(deps, subject, 'auth.mfa.verify');
  return completeSecondFactor(deps, subject, 'auth.mfa.verify', step, false);
}

export async function verifySecondFactor(deps: Deps, actor: Actor, code: string): Promise<SessionStage> {
  const account = (await repo.findAccount(deps.db, actor.principal.accountId))!;
  if (account.home_node !== null) return provinceSecondFactor(deps, actor, code);
  return checkSecondFactor(deps, subjectOf(actor), code);
}

/** Starts (or restarts) enrolment: a fresh secret, shown once, confirmed by a code. */
export async function startEnrolment(deps: Deps, actor: Actor): Promise<{ secret: string; otpauthUri: string }> {
  const account = (await repo.findAccount(deps.db, actor.principal.accountId))!;
  atHomeNode(account, 'mfa');
  if (account.totp_enabled) throw new AppError('conflict', '已绑定动态验证码；如需更换请联系安全管理员重置');
  const secret = generateSecret();
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateAccount(trx, account.id, { totp_secret_enc: sealSm4(deps.keys.master, secret, `account:${account.id}:totp`) });
    await appendAudit(trx, auditContext(actor), { action: 'auth.mfa.enroll', targetType: 'account', targetId: account.id, detail: { step: 'secret_issued' } });
  });
  return { secret, otpauthUri: generateURI({ issuer: TOTP_ISSUER, label: account.username, secret }) };
}

export async function confirmEnrolment(deps: Deps, actor: Actor, code: string): Promise<SessionStage> {
  const account = (await repo.findAccount(deps.db, actor.principal.accountId))!;
  atHomeNode(account, 'mfa');
  if (isLocked(account.locked_until, actor.now)) throw lockedError(account.locked_until!);
  if (account.totp_enabled) throw new AppError('conflict', '已绑定动态验证码');
  if (!account.totp_secret_enc) throw new AppError('validation_failed', '请先获取绑定密钥', { errors: [{ field: 'code', rule: 'enrolment_started', message: '请先获取绑定密钥' }] });
  const secret = openSm4(deps.keys.master, account.totp_secret_enc, `account:${account.id}:totp`).toString('utf8');
  const step = await checkTotp(secret, code, actor.now, null);
  if (step === null) return registerSecondFactorFailure(deps, subjectOf(actor), 'auth.mfa.enroll');
  return completeSecondFactor(deps, subjectOf(actor), 'auth.mfa.enroll', step, true);
}

export function policyError(failures: { rule: string; message: string }[], field: string): AppError {
  return new AppError('password_policy', failures.map((f) => f.message).join('；'), {
    errors: failures.map((f) => ({ field, rule: f.rule, message: f.message })),
  });
}

export async function changePassword(deps: Deps, actor: Actor, currentPassword: string, newPassword: string): Promise<SessionStage> {
  const account = (await repo.findAccount(deps.db, actor.principal.accountId))!;
  atHomeNode(account, 'password');
  if (isLocked(account.locked_until, actor.now)) throw lockedError(account.locked_until!);
  if (!(await verifyPassword(account.password_hash, currentPassword))) {
    // A wrong current password is a failed authentication like any other.
    const now = actor.now;
    const f = await deps.db.transaction().execute(async (trx) => {
      const row = (await repo.lockAccount(trx, account.id))!;
      const out = registerFailure(effectiveFailures(row.failed_attempts, row.locked_until, now), now, deps.config.security);
      await repo.updateAccount(trx, row.id, { failed_attempts: out.failedAttempts, locked_until: out.lockedUntil });
      await appendAudit(trx, auditContext(actor), { action: 'auth.password.change', result: 'failure', targetType: 'account', targetId: row.id, detail: { reason: 'bad_password' } });
      if (out.justLocked) await repo.endSession(trx, actor.principal.sessionId, 'revoked', now);
      return out;
    });
    if (f.justLocked) {
      deps.authCache.invalidate();
      throw lockedError(f.lockedUntil!);
    }
    throw new AppError('invalid_credentials', '当前密码不正确', { errors: [{ field: 'currentPassword', rule: 'matches', message: '当前密码不正确' }] });
  }
  const policy = checkPasswordPolicy(newPassword, account.username, deps.config.security.passwordMinLength);
  if (!policy.ok) throw policyError(policy.failures, 'newPassword');
  const history = [account.password_hash, ...(await repo.recentPasswordHashes(deps.db, account.id, PASSWORD_HISTORY))];
  for (const old of history.slice(0, PASSWORD_HISTORY)) {
    if (await verifyPassword(old, newPassword)) {
      throw new AppError('password_policy', `新密码不能与最近 ${PASSWORD_HISTORY} 次使用过的密码相同`, {
        errors: [{ field: 'newPassword', rule: 'history', message: `新密码不能与最近 ${PASSWORD_HISTORY} 次使用过的密码相同` }],
      });
    }
  }
  const hash = await hashPassword(newPassword);
  const now = actor.now;
  const stage = await deps.db.transaction().execute(async (trx) => {
    await repo.insertPasswordHistory(trx, account.id, account.password_hash, now);
    await repo.updateAccount(trx, account.id, { password_hash: hash, password_changed_at: now, must_change_password: false, failed_attempts: 0, updated_at: now });
    await repo.endSessionsOf(trx, account.id, 'password_changed', now, actor.principal.sessionId);
    const stage: SessionStage = actor.principal.stage === 'password_change' ? 'active' : actor.principal.stage;
    await repo.setSessionStage(trx, actor.principal.sessionId, stage, now);
    await appendAudit(trx, auditContext(actor), { action: 'auth.password.change', result: 'success', targetType: 'account', targetId: account.id });
    return stage;
  });
  deps.authCache.invalidate();
  return stage;
}

export async function logout(deps: Deps, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await repo.endSession(trx, actor.principal.sessionId, 'logout', actor.now);
    await appendAudit(trx, auditContext(actor), { action: 'auth.logout', targetType: 'session', targetId: actor.principal.sessionId });
  });
  deps.authCache.invalidate();
}

/** The body of GET /auth/me, built once per resolved principal (the session cache's views). */
const meBodies = new WeakMap<Principal, ReturnType<typeof buildMe>>();

function buildMe(deps: Deps, p: Principal) {
  return {
    id: p.accountId,
    username: p.username,
    displayName: p.displayName,
    stage: p.stage,
    organisation: p.organisationId === null ? null : { id: p.organisationId, name: p.organisationName, regionCode: p.regionCode, regionName: loadRegionTree().fullName(p.regionCode) },
    entity: p.entityId === null ? null : { id: p.entityId, name: p.organisationName, regionCode: p.regionCode, regionName: loadRegionTree().fullName(p.regionCode) },
    expert: p.expertId === null ? null : { id: p.expertId, name: p.organisationName, regionCode: p.regionCode, regionName: loadRegionTree().fullName(p.regionCode) },
    roles: p.roles,
    permissions: p.stage === 'active' ? [...p.grants.keys()].sort() : [],
    mfaEnabled: p.mfaEnabled,
    passwordExpiresAt: passwordExpiresAt(p.passwordChangedAt, deps.config.security.passwordMaxAgeDays)?.toISOString() ?? null,
    homeNode: p.homeNode,
  };
}

export function meOf(deps: Deps, p: Principal): ReturnType<typeof buildMe> {
  let body = meBodies.get(p);
  if (!body) {
    body = buildMe(deps, p);
    meBodies.set(p, body);
  }
  return body;
}
