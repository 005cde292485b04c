// The recognizer's worker thread: owns the ONNX sessions and runs one image at a time, so the
// main thread's event loop never waits for inference. Messages are defined in licence-ocr.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { extractLicence } from './licence-layout.ts';
import type { WorkerReply, WorkerRequest, WorkerSettings } from './licence-ocr.ts';
import { LicenceImageError, type LicenceOcr } from './licence-ocr.types.ts';
import { OcrPipeline, decodeImage } from './ocr-pipeline.ts';

const settings = workerData as WorkerSettings;
const port = parentPort!;
// Loaded on the first image, not at start: a recognizer that is created but never used costs nothing.
let pipeline: Promise<OcrPipeline> | null = null;

async function recognize(image: Buffer): Promise<LicenceOcr> {
  const started = performance.now();
  const decoded = await decodeImage(image, settings.limits);
  // A failed load is not kept: the next image tries again.
  pipeline ??= OcrPipeline.load(settings.pipeline).catch((e: unknown) => {
    pipeline = null;
    throw e;
  });
  const engine = await pipeline;
  const run = await engine.run(decoded);
  const { fields, normalized } = extractLicence(run.lines);
  return {
    engine: run.engine,
    durationMs: Math.round(performance.now() - started),
    rotationDegrees: run.rotationDegrees,
    fields,
    normalized,
    lines: run.lines.map((line, i) => ({
      text: line.chars.map((c) => c.char).join(''),
      confidence: Math.round(line.confidence * 1000) / 1000,
      box: run.boxes[i]!,
    })),
  };
}

// The parent sends one image at a time, but a close may arrive while one is being read.
let current: Promise<unknown> = Promise.resolve();

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'close') {
    const done = (): void => port.postMessage({ type: 'closed' } satisfies WorkerReply);
    current
      .then(() => pipeline)
      .then((p) => p?.release())
      .then(done, done);
    return;
  }
  current = recognize(Buffer.from(msg.image)).then(
    (result) => port.postMessage({ type: 'result', id: msg.id, result } satisfies WorkerReply),
    (e: unknown) => {
      const error =
        e instanceof LicenceImageError
          ? { kind: 'image' as const, rule: e.rule, message: e.message }
          : { kind: 'internal' as const, message: e instanceof Error ? e.message : String(e) };
      port.postMessage({ type: 'error', id: msg.id, error } satisfies WorkerReply);
    },
  );
});
