// Types shared by the recognizer's public API (licence-ocr.ts), its worker and the pure layout
// code. They live apart so the worker and the layout rules need not import the worker client.

export interface OcrText {
  text: string;
  /** Mean of the per-character probabilities of the best reading, 0–1. */
  confidence: number;
  /** Per character of `text`, best first, up to 4; `alternatives[i][0] === text[i]`. */
  alternatives: string[][];
}

export interface LicenceOcrFields {
  name: OcrText | null;
  uscc: OcrText | null;
  legalRepresentative: OcrText | null;
  entityType: OcrText | null;
  registeredCapital: OcrText | null;
  establishedOn: OcrText | null;
  address: OcrText | null;
}

export interface LicenceOcrNormalized {
  /** The code after look-alike repair (O→0, I→1 …), upper case; null when no 18-character code was read. */
  uscc: string | null;
  /** Whether `uscc` passes both GB 32100 check characters. */
  usccValid: boolean;
  /** Registered capital in 万元 (10,000 yuan), whatever the currency word on the licence. */
  registeredCapitalWanYuan: number | null;
  /** YYYY-MM-DD. */
  establishedOn: string | null;
}

export interface LicenceOcr {
  engine: string;
  durationMs: number;
  /** Deskew applied before the final detection, in degrees (positive = the image was turned clockwise). */
  rotationDegrees: number;
  fields: LicenceOcrFields;
  normalized: LicenceOcrNormalized;
  /** Every text line read, with its corners (clockwise from top left) in the uploaded image's pixels. */
  lines: { text: string; confidence: number; box: [number, number][] }[];
}

export type LicenceImageRule = 'format' | 'too_large' | 'too_small' | 'unreadable';

/**
 * The uploaded file cannot be read as a licence image. `rule` lets the caller answer 415
 * (`format`), 413 (`too_large`) or 400 (`too_small`, `unreadable`) with a message of its own.
 */
export class LicenceImageError extends Error {
  readonly rule: LicenceImageRule;
  constructor(rule: LicenceImageRule, message: string) {
    super(message);
    this.name = 'LicenceImageError';
    this.rule = rule;
  }
}

/** One character of a recognised line with its reading alternatives (internal to the pipeline). */
export interface OcrChar {
  char: string;
  prob: number;
  /** Best first, up to 4, `alternatives[0] === char`. */
  alternatives: string[];
  /** Probabilities of `alternatives`, same order. */
  altProbs: number[];
  /** Horizontal centre of the character in the line's deskewed frame (pixels). */
  x: number;
}

/** A recognised line in the deskewed frame, as the layout rules see it. */
export interface RecognizedLine {
  chars: OcrChar[];
  confidence: number;
  /** Axis-aligned bounds in the deskewed frame. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
