// Detached signatures of documents: the platform signs the SM3 digest of the exact PDF bytes and
// the signature is stored beside the file. An embedded seal (PAdES, or the GB/T 38540 electronic
// seal that Chinese readers check) inside the PDF is a later step; a detached signature already
// lets anyone holding the platform's public key check that a stored or downloaded file is the one
// the platform issued.
//
// Signed message: the UTF-8 text `${context}\n${sm3 hex}` — the context label keeps a document
// signature from being replayed as any other kind of platform signature (bid receipts, ledger
// tree heads), which sign other labels with the same key.

import { sm2Sign, sm2Verify, type Sm2KeyPair } from '../crypto/sm2.ts';
import { sm3Hex, timingSafeEqualHex } from '../crypto/sm3.ts';

export const DOCUMENT_SIGNATURE_CONTEXT = 'ggzy/document/v1';

export interface DocumentSignature {
  algorithm: 'SM2-SM3';
  context: typeof DOCUMENT_SIGNATURE_CONTEXT;
  /** SM3 of the document bytes, hex. */
  sm3: string;
  /** GM/T 0003 SM2 signature over the message above, DER hex (GM/T 0009). */
  signature: string;
  /** Signer's public key, uncompressed hex `04‖x‖y`. */
  publicKey: string;
}

function message(digestHex: string): string {
  return `${DOCUMENT_SIGNATURE_CONTEXT}\n${digestHex}`;
}

export function signDocument(bytes: Uint8Array, keyPair: Sm2KeyPair): DocumentSignature {
  const sm3 = sm3Hex(bytes);
  return { algorithm: 'SM2-SM3', context: DOCUMENT_SIGNATURE_CONTEXT, sm3, signature: sm2Sign(message(sm3), keyPair.privateKey), publicKey: keyPair.publicKey };
}

/**
 * True when `bytes` are the signed document. Pass `trustedPublicKey` (the platform's published
 * key) to also require that the signer is who the caller trusts — the key inside `sig` alone only
 * proves that somebody signed. False, never an exception, for anything malformed.
 */
export function verifyDocument(bytes: Uint8Array, sig: DocumentSignature, trustedPublicKey?: string): boolean {
  if (sig.context !== DOCUMENT_SIGNATURE_CONTEXT || typeof sig.sm3 !== 'string' || typeof sig.signature !== 'string' || typeof sig.publicKey !== 'string') return false;
  if (trustedPublicKey !== undefined && trustedPublicKey.toLowerCase() !== sig.publicKey.toLowerCase()) return false;
  const sm3 = sm3Hex(bytes);
  if (!timingSafeEqualHex(sm3, sig.sm3.toLowerCase())) return false;
  return sm2Verify(message(sm3), sig.signature, sig.publicKey);
}
