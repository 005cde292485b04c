// Documents the platform issues for a deal (failure notices, opening records, …): rendered as a
// Chinese PDF, kept in the blob store by SM3, signed with the platform's SM2 key. The signature is
// detached and stored with the notice; anyone verifies it with the published platform key.

import type { Deps } from '../../platform/deps.ts';
import { renderPdf, type DocumentInput } from '../../platform/documents/pdf.ts';
import { signDocument } from '../../platform/documents/signature.ts';

export async function signedDocument(deps: Pick<Deps, 'blobs' | 'keys'>, input: DocumentInput): Promise<{ digest: string; signature: string }> {
  const pdf = await renderPdf(input);
  const { digest } = await deps.blobs.put(pdf);
  return { digest, signature: signDocument(pdf, deps.keys.platformSm2).signature };
}
