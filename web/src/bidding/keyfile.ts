// Key files through a worker (keyfile.worker.ts), one request at a time per call; falls back to
// the page's thread where workers are unavailable.
import { exportKeyFile, importKeyFile, type SealingKey } from '../crypto/bid-envelope';
import type { KeyFileAnswer, KeyFileRequest } from './keyfile.worker';

type Pending = { resolve: (a: KeyFileAnswer) => void };

let worker: Worker | null = null;
let serial = 0;
const pending = new Map<number, Pending>();

function getWorker(): Worker | null {
  if (worker) return worker;
  if (typeof Worker === 'undefined') return null;
  try {
    worker = new Worker(new URL('./keyfile.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<KeyFileAnswer>) => {
      pending.get(e.data.id)?.resolve(e.data);
      pending.delete(e.data.id);
    };
    worker.onerror = () => {
      for (const p of pending.values()) p.resolve({ id: -1, ok: false, message: '密钥文件处理失败，请刷新页面后重试' });
      pending.clear();
      worker?.terminate();
      worker = null;
    };
    return worker;
  } catch {
    return null;
  }
}

type Request = { op: 'export'; key: SealingKey; passphrase: string } | { op: 'import'; text: string; passphrase: string };

function ask(request: Request): Promise<KeyFileAnswer> {
  const w = getWorker();
  if (!w) return Promise.resolve({ id: -1, ok: false, message: 'no worker' });
  const id = ++serial;
  return new Promise((resolve) => {
    pending.set(id, { resolve });
    w.postMessage({ ...request, id } satisfies KeyFileRequest);
  });
}

/** The key file's JSON text for a new key, encrypted under the passphrase. */
export async function writeKeyFile(key: SealingKey, passphrase: string): Promise<string> {
  if (!getWorker()) return exportKeyFile(key, passphrase);
  const a = await ask({ op: 'export', key, passphrase });
  if (!a.ok) throw new Error(a.message);
  return a.text!;
}

/** Opens a key file; throws the Chinese message for a wrong passphrase or a damaged file. */
export async function readKeyFile(text: string, passphrase: string): Promise<SealingKey> {
  if (!getWorker()) return importKeyFile(text, passphrase);
  const a = await ask({ op: 'import', text, passphrase });
  if (!a.ok) throw new Error(a.message);
  return a.key!;
}
