// The bid screens' pure helpers (web/src/bidding/money.ts): the price typed in yuan must reach the
// sealed package as exactly that many fen, and the seals header must be what the server parses.

import { describe, expect, it } from 'vitest';
import { base64url, countdownText, fenToYuan, groupYuan, yuanToFen } from '../web/src/bidding/money.ts';
import { parseSealsHeader } from '../src/modules/trading/trading.bids.schemas.ts';

describe('yuan → fen', () => {
  it('is exact where floats are not', () => {
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('0.29')).toBe(29);
    expect(yuanToFen('12345678.90')).toBe(1_234_567_890);
    expect(yuanToFen('9,876,543.21')).toBe(987_654_321);
    expect(yuanToFen(' 1000 ')).toBe(100_000);
    expect(yuanToFen('999999999999.99')).toBe(99_999_999_999_999);
  });

  it('refuses what is not a two-decimal amount', () => {
    for (const bad of ['', '-1', '1.234', '1e6', '01', 'abc', '1000000000000']) expect(yuanToFen(bad)).toBeUndefined();
  });

  it('formats back with grouping', () => {
    expect(fenToYuan(987_654_321)).toBe('9,876,543.21');
    expect(fenToYuan(5, false)).toBe('0.05');
    expect(groupYuan('12000000.00')).toBe('12,000,000.00');
    expect(groupYuan(null)).toBe('—');
  });
});

describe('helpers', () => {
  it('encodes the seals header the way the server reads it', () => {
    const seals = [{ sealingKeyId: '0b9e7c1e-8a7f-4f7e-9a51-2c3d4e5f6a7b', sealedKey: '04' + 'ab'.repeat(120) }];
    expect(parseSealsHeader(base64url(JSON.stringify(seals)))).toEqual(seals);
  });

  it('counts down in days and clock time, never below zero', () => {
    expect(countdownText(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_999)).toBe('3 天 04:05:06');
    expect(countdownText(59_000)).toBe('00:00:59');
    expect(countdownText(-5_000)).toBe('00:00:00');
  });
});

describe('key-file passphrase derivation (web/src/crypto/bid-envelope.ts pbkdf2Sm3)', () => {
  it('equals OpenSSL for short and long (> 64 byte, pre-hashed) passphrases and odd lengths', async () => {
    const crypto = await import('node:crypto');
    const { pbkdf2Sm3 } = await import('../web/src/crypto/bid-envelope.ts');
    const salt = crypto.randomBytes(16);
    for (const [pass, iterations, length] of [['短口令', 1, 32], ['Jinyang#2026key', 2_000, 32], ['长'.repeat(40), 500, 70]] as const) {
      const bytes = new TextEncoder().encode(pass);
      expect(Buffer.from(pbkdf2Sm3(bytes, salt, iterations, length)).toString('hex')).toBe(crypto.pbkdf2Sync(Buffer.from(bytes), salt, iterations, length, 'sm3').toString('hex'));
    }
  });
});
