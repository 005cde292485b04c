// Opens and writes sealing key files off the page's main thread: the passphrase derivation
// (PBKDF2-HMAC-SM3, 100 000 iterations in plain JavaScript) takes up to seconds on a slow machine and
// would freeze the tab — no spinner, no clicks — if it ran on the page.
import { exportKeyFile, importKeyFile, type SealingKey } from '../crypto/bid-envelope';

export type KeyFileRequest = { id: number; op: 'export'; key: SealingKey; passphrase: string } | { id: number; op: 'import'; text: string; passphrase: string };
export type KeyFileAnswer = { id: number; ok: true; text?: string; key?: SealingKey } | { id: number; ok: false; message: string };

self.onmessage = async (event: MessageEvent<KeyFileRequest>) => {
  const r = event.data;
  try {
    const answer: KeyFileAnswer = r.op === 'export' ? { id: r.id, ok: true, text: await exportKeyFile(r.key, r.passphrase) } : { id: r.id, ok: true, key: await importKeyFile(r.text, r.passphrase) };
    self.postMessage(answer);
  } catch (e) {
    self.postMessage({ id: r.id, ok: false, message: e instanceof Error ? e.message : '密钥文件处理失败' } satisfies KeyFileAnswer);
  }
};
