import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, sm2Verify } from '../crypto/sm2.ts';
import { DOCUMENT_SIGNATURE_CONTEXT, signDocument, verifyDocument } from './signature.ts';

describe('signDocument / verifyDocument', () => {
  const keys = generateSm2KeyPair();
  const bytes = Buffer.from('%PDF-1.3\n中标通知书 …\n%%EOF\n');
  const sig = signDocument(bytes, keys);

  it('signs the SM3 digest under the document context label', () => {
    expect(sig).toMatchObject({ algorithm: 'SM2-SM3', context: DOCUMENT_SIGNATURE_CONTEXT, publicKey: keys.publicKey });
    expect(sig.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(sig.signature).toMatch(/^30[0-9a-f]+$/); // DER SEQUENCE
    expect(sm2Verify(`${DOCUMENT_SIGNATURE_CONTEXT}\n${sig.sm3}`, sig.signature, keys.publicKey)).toBe(true);
    // The bare digest is not what was signed: no replay as another kind of signature.
    expect(sm2Verify(sig.sm3, sig.signature, keys.publicKey)).toBe(false);
  });

  it('verifies the same bytes and fails after a one-byte change', () => {
    expect(verifyDocument(bytes, sig)).toBe(true);
    expect(verifyDocument(Buffer.from(bytes), sig, keys.publicKey)).toBe(true);
    const changed = Buffer.from(bytes);
    changed[10] = (changed[10] ?? 0) ^ 0x01;
    expect(verifyDocument(changed, sig)).toBe(false);
  });

  it('fails for another trusted key, a forged digest, a damaged signature or a wrong context', () => {
    expect(verifyDocument(bytes, sig, generateSm2KeyPair().publicKey)).toBe(false);
    const other = generateSm2KeyPair();
    expect(verifyDocument(bytes, { ...sig, publicKey: other.publicKey })).toBe(false);
    expect(verifyDocument(bytes, { ...sig, signature: sig.signature.slice(0, -2) + (sig.signature.endsWith('00') ? '01' : '00') })).toBe(false);
    expect(verifyDocument(bytes, { ...sig, signature: 'zz' })).toBe(false);
    expect(verifyDocument(bytes, { ...sig, context: 'ggzy/receipt/v1' as typeof DOCUMENT_SIGNATURE_CONTEXT })).toBe(false);
  });
});
