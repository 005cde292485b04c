// SM3 digests of evidence files, computed in the browser: there is no file store yet, so an
// evidence reference is the file's name, SM3 digest and size (docs/api.md). sm-crypto-v2 hashes
// in pure JavaScript (tens of MB per second), so the file is read once, whole, and hashed.
// No relative imports: the server's test suite imports this file to check it against Node's SM3.
import { sm3 } from 'sm-crypto-v2';

/** Lower-case hex SM3 digest of the bytes (GB/T 32905). */
export function sm3Hex(bytes: Uint8Array): string {
  return sm3(bytes);
}

/** The largest evidence file the browser hashes: the whole file is held in memory while it does. */
export const MAX_EVIDENCE_BYTES = 200 * 1024 * 1024;

/** The longest file name the API accepts for an evidence reference. */
const MAX_NAME = 200;

/** An evidence reference for a file the user picked: its name, SM3 digest and size. */
export async function evidenceOf(file: { name: string; size: number; arrayBuffer(): Promise<ArrayBuffer> }): Promise<{ name: string; sm3Digest: string; size: number }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const name = file.name.trim() || '未命名文件';
  return { name: name.length > MAX_NAME ? name.slice(name.length - MAX_NAME) : name, sm3Digest: sm3Hex(bytes), size: bytes.length };
}
