import { describe, expect, it } from 'vitest';
import { deriveKeys } from './keys.ts';
import { isValidSm2PublicKey, sm2Sign, sm2Verify } from './sm2.ts';

describe('deriveKeys', () => {
  it('derives one platform SM2 key per master key, usable for GM/T 0003 signatures', () => {
    const master = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const a = deriveKeys(master).platformSm2;
    const b = deriveKeys(Buffer.from(master)).platformSm2;
    expect(a).toEqual(b);
    expect(isValidSm2PublicKey(a.publicKey)).toBe(true);
    const other = deriveKeys(Buffer.alloc(16, 7)).platformSm2;
    expect(other.privateKey).not.toBe(a.privateKey);
    const signature = sm2Sign('回执', a.privateKey);
    expect(sm2Verify('回执', signature, a.publicKey)).toBe(true);
    expect(sm2Verify('回执', signature, other.publicKey)).toBe(false);
  });
});
