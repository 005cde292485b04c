// Pure identity rules (等保三级 identity controls). No I/O: every input, including "now", is an
// argument, so each rule is tested at its exact boundary.

import type { SecurityConfig } from '../../platform/config.ts';
import type { SessionStage } from './identity.tables.ts';

export type PasswordRule = 'min_length' | 'max_length' | 'char_classes' | 'equals_username' | 'whitespace';

export interface PasswordCheck {
  ok: boolean;
  failures: { rule: PasswordRule; message: string }[];
}

const MAX_PASSWORD_LENGTH = 128;

/** ≥ minLength characters, 3 of 4 character classes, not the username (either case, reversed). */
export function checkPasswordPolicy(password: string, username: string, minLength: number): PasswordCheck {
  const failures: PasswordCheck['failures'] = [];
  const length = [...password].length;
  if (length < minLength) failures.push({ rule: 'min_length', message: `密码长度至少 ${minLength} 位` });
  if (length > MAX_PASSWORD_LENGTH) failures.push({ rule: 'max_length', message: `密码长度不能超过 ${MAX_PASSWORD_LENGTH} 位` });
  if (/\s/.test(password)) failures.push({ rule: 'whitespace', message: '密码不能包含空白字符' });
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\s]/].filter((re) => re.test(password)).length;
  if (classes < 3) failures.push({ rule: 'char_classes', message: '密码须包含大写字母、小写字母、数字、特殊字符中的至少三类' });
  const lower = password.toLowerCase();
  const user = username.toLowerCase();
  if (user.length > 0 && (lower === user || lower === [...user].reverse().join(''))) {
    failures.push({ rule: 'equals_username', message: '密码不能与用户名相同（含倒序）' });
  }
  return { ok: failures.length === 0, failures };
}

/** Whether an account is locked at `now`. The lock ends at exactly `lockedUntil`. */
export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && now.getTime() < lockedUntil.getTime();
}

export interface FailureOutcome {
  failedAttempts: number;
  lockedUntil: Date | null;
  justLocked: boolean;
}

/** Records one more consecutive failure; the threshold-th failure locks the account. */
export function registerFailure(previousFailures: number, now: Date, sec: Pick<SecurityConfig, 'lockoutThreshold' | 'lockoutMinutes'>): FailureOutcome {
  const failedAttempts = previousFailures + 1;
  if (failedAttempts >= sec.lockoutThreshold) {
    return { failedAttempts, lockedUntil: new Date(now.getTime() + sec.lockoutMinutes * 60_000), justLocked: true };
  }
  return { failedAttempts, lockedUntil: null, justLocked: false };
}

/**
 * Consecutive failures that still count at `now`: a lock that has run out starts a fresh count
 * (otherwise one more mistake after the lock would lock again at once).
 */
export function effectiveFailures(failedAttempts: number, lockedUntil: Date | null, now: Date): number {
  if (lockedUntil !== null && now.getTime() >= lockedUntil.getTime()) return 0;
  return failedAttempts;
}

/** Whether a session has been idle too long: idle for exactly the limit counts as expired. */
export function isIdleExpired(lastSeenAt: Date, now: Date, idleMinutes: number): boolean {
  return now.getTime() - lastSeenAt.getTime() >= idleMinutes * 60_000;
}

/** Whether the recorded last-seen time is old enough to be written again. */
export function shouldTouch(lastSeenAt: Date, now: Date, touchSeconds: number): boolean {
  return now.getTime() - lastSeenAt.getTime() >= touchSeconds * 1000;
}

export function passwordExpiresAt(changedAt: Date, maxAgeDays: number): Date | null {
  return maxAgeDays > 0 ? new Date(changedAt.getTime() + maxAgeDays * 86_400_000) : null;
}

/** A password expires at exactly changedAt + maxAgeDays. */
export function isPasswordExpired(changedAt: Date, now: Date, maxAgeDays: number): boolean {
  const expires = passwordExpiresAt(changedAt, maxAgeDays);
  return expires !== null && now.getTime() >= expires.getTime();
}

export interface StageInput {
  mfaPassed: boolean;
  mfaRequired: boolean;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  passwordExpired: boolean;
}

/**
 * The next stage of a login: password → second factor (verify, or enrol when required and not
 * set up) → forced password change → active.
 */
export function nextStage(s: StageInput): SessionStage {
  if (!s.mfaPassed && s.totpEnabled) return 'mfa';
  if (!s.mfaPassed && s.mfaRequired) return 'mfa_enroll';
  if (s.mustChangePassword || s.passwordExpired) return 'password_change';
  return 'active';
}
