import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  effectiveFailures,
  isIdleExpired,
  isLocked,
  isPasswordExpired,
  nextStage,
  registerFailure,
  shouldTouch,
} from './identity.rules.ts';

const sec = { lockoutThreshold: 5, lockoutMinutes: 15 };
const t0 = new Date('2026-03-02T01:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const MIN = 60_000;

describe('password policy', () => {
  const rules = (pw: string, user = 'zhangsan') => checkPasswordPolicy(pw, user, 8).failures.map((f) => f.rule);

  it('accepts 8 characters of 3 classes', () => {
    expect(checkPasswordPolicy('Abcdef1x', 'zhangsan', 8).ok).toBe(true);
    expect(checkPasswordPolicy('abcdef1!', 'zhangsan', 8).ok).toBe(true);
    expect(checkPasswordPolicy('ABCDEF1!', 'zhangsan', 8).ok).toBe(true);
    expect(checkPasswordPolicy('Abcdefg!', 'zhangsan', 8).ok).toBe(true);
  });
  it('refuses 7 characters (the boundary)', () => {
    expect(rules('Abcde1!')).toEqual(['min_length']);
  });
  it('refuses two character classes', () => {
    expect(rules('abcdefgh1')).toEqual(['char_classes']);
    expect(rules('ABCDEFGH!')).toEqual(['char_classes']);
  });
  it('refuses the username in any case and reversed', () => {
    expect(rules('Zhangsan1', 'Zhangsan1')).toContain('equals_username');
    expect(rules('zhangsan1A', 'ZHANGSAN1a')).toContain('equals_username');
    expect(rules('1nasgnahZ', 'Zhangsan1')).toContain('equals_username');
  });
  it('refuses white space and overlong passwords', () => {
    expect(rules('Abc def1!')).toContain('whitespace');
    expect(rules(`Aa1!${'x'.repeat(125)}`)).toContain('max_length');
  });
  it('counts characters, not bytes', () => {
    expect(rules('密码Ab1!中文')).toEqual([]);
    expect(rules('密码Ab1!中')).toEqual(['min_length']);
  });
  it('honours a stricter configured minimum', () => {
    expect(checkPasswordPolicy('Abcdef1!x', 'u', 10).failures.map((f) => f.rule)).toEqual(['min_length']);
  });
});

describe('lockout', () => {
  it('locks at the 5th consecutive failure, not the 4th', () => {
    let failures = 0;
    for (let i = 1; i <= 4; i++) {
      const o = registerFailure(failures, t0, sec);
      expect(o.justLocked).toBe(false);
      expect(o.lockedUntil).toBeNull();
      failures = o.failedAttempts;
    }
    const fifth = registerFailure(failures, t0, sec);
    expect(fifth.failedAttempts).toBe(5);
    expect(fifth.justLocked).toBe(true);
    expect(fifth.lockedUntil).toEqual(at(15 * MIN));
  });
  it('keeps the account locked until exactly 15 minutes (6th attempt refused)', () => {
    const until = at(15 * MIN);
    expect(isLocked(until, at(0))).toBe(true);
    expect(isLocked(until, at(15 * MIN - 1))).toBe(true);
    expect(isLocked(until, at(15 * MIN))).toBe(false);
    expect(isLocked(null, t0)).toBe(false);
  });
  it('starts a fresh count once a lock has run out', () => {
    const until = at(15 * MIN);
    expect(effectiveFailures(5, until, at(15 * MIN - 1))).toBe(5);
    expect(effectiveFailures(5, until, at(15 * MIN))).toBe(0);
    expect(effectiveFailures(3, null, t0)).toBe(3);
  });
  it('follows a configured threshold', () => {
    expect(registerFailure(2, t0, { lockoutThreshold: 3, lockoutMinutes: 1 }).lockedUntil).toEqual(at(MIN));
  });
});

describe('idle timeout', () => {
  it('expires at exactly 30 idle minutes', () => {
    expect(isIdleExpired(t0, at(30 * MIN - 1), 30)).toBe(false);
    expect(isIdleExpired(t0, at(30 * MIN), 30)).toBe(true);
    expect(isIdleExpired(t0, at(31 * MIN), 30)).toBe(true);
  });
  it('writes the last-seen time at most every touch interval', () => {
    expect(shouldTouch(t0, at(14_999), 15)).toBe(false);
    expect(shouldTouch(t0, at(15_000), 15)).toBe(true);
    expect(shouldTouch(t0, t0, 0)).toBe(true);
  });
});

describe('password expiry', () => {
  it('expires at exactly the configured number of days', () => {
    const day = 86_400_000;
    expect(isPasswordExpired(t0, at(90 * day - 1), 90)).toBe(false);
    expect(isPasswordExpired(t0, at(90 * day), 90)).toBe(true);
    expect(isPasswordExpired(t0, at(10_000 * day), 0)).toBe(false);
  });
});

describe('login stages', () => {
  const base = { mfaPassed: false, mfaRequired: false, totpEnabled: false, mustChangePassword: false, passwordExpired: false };
  it('asks for the code when TOTP is set up, even if no role requires it', () => {
    expect(nextStage({ ...base, totpEnabled: true })).toBe('mfa');
  });
  it('asks to enrol when a role requires TOTP and none is set up', () => {
    expect(nextStage({ ...base, mfaRequired: true })).toBe('mfa_enroll');
  });
  it('puts the second factor before the forced password change', () => {
    expect(nextStage({ ...base, mfaRequired: true, totpEnabled: true, mustChangePassword: true })).toBe('mfa');
    expect(nextStage({ ...base, mfaPassed: true, mfaRequired: true, totpEnabled: true, mustChangePassword: true })).toBe('password_change');
    expect(nextStage({ ...base, passwordExpired: true })).toBe('password_change');
  });
  it('is active when nothing is pending', () => {
    expect(nextStage(base)).toBe('active');
    expect(nextStage({ ...base, mfaPassed: true, totpEnabled: true })).toBe('active');
  });
});
