// The business licence of a version: the image in the blob store, what the OCR read from it
// (kept with the version, as read), and the field-by-field comparison with the submitted form
// that the reviewer sees. The recogniser is a dependency (Deps.licenceReader) so that the
// registry does not load OCR models until a licence arrives.

import type { Deps } from '../../platform/deps.ts';
import { compareLicence, type LicenceField } from './licence-compare.ts';
import { createLicenceRecognizer, type LicenceOcr, type LicenceRecognizer } from './ocr/licence-ocr.ts';
import type { Disclosure } from './registry.profile.ts';
import type { StoredProfile } from './registry.tables.ts';
import { findVersion, type EntityRow, type VersionRow } from './registry.repository.ts';
import { mapVersion, namesOf, type VersionExtras } from './registry.views.ts';

export interface LicenceReader {
  /** Reads a PNG or JPEG image; rejects with LicenceImageError when the image cannot be a licence. */
  recognize(image: Buffer): Promise<LicenceOcr>;
  /** Frees the models (and the worker thread) if they were loaded. */
  close(): Promise<void>;
}

function ocrSummary(ocr: LicenceOcr | null): VersionExtras['ocr'] {
  if (ocr === null) return null;
  const fields: Record<string, { text: string; confidence: number } | null> = {};
  for (const [k, v] of Object.entries(ocr.fields)) fields[k] = v ? { text: v.text, confidence: v.confidence } : null;
  return { engine: ocr.engine, durationMs: ocr.durationMs, fields };
}

const LABELS: Record<LicenceField, string> = {
  name: '名称',
  uscc: '统一社会信用代码',
  legalRepresentative: '法定代表人（负责人）',
  entityType: '类型',
  registeredCapitalWanYuan: '注册资本（万元）',
  establishedOn: '成立日期',
  address: '住所',
};

/** The licence as read against the form of this version (null without a reading). */
export function comparisonOf(uscc: string | null, data: StoredProfile, ocr: LicenceOcr | null): VersionExtras['comparison'] {
  if (ocr === null || uscc === null) return null;
  const c = compareLicence(
    {
      name: data.name,
      uscc,
      legalRepresentative: data.legalRepresentative?.name ?? '',
      entityType: data.entityType ?? '',
      registeredCapitalWanYuan: data.registeredCapitalWanYuan,
      establishedOn: data.establishedOn,
      address: data.address,
    },
    ocr,
  );
  const text = (v: string | number | null) => (v === null || v === '' ? null : String(v));
  return {
    fields: c.fields.map((f) => ({ field: f.field, label: LABELS[f.field], formValue: text(f.formValue), ocrValue: text(f.ocrValue), verdict: f.verdict, message: f.message })),
    usccCheck: { formValid: c.usccCheck.form.valid, ocrValid: c.usccCheck.ocr.value === null ? null : c.usccCheck.ocr.valid, message: c.usccCheck.message },
    mismatches: c.fields.filter((f) => f.verdict === 'mismatch').length,
  };
}

/** A version as the API shows it, with its OCR reading and the comparison with its form. */
export async function versionView(deps: Deps, entity: EntityRow, v: VersionRow, disclosure: Disclosure, today: string) {
  const base = v.base_version_id ? await findVersion(deps.db, v.base_version_id) : undefined;
  const ocr = v.ocr as LicenceOcr | null;
  return mapVersion(v, disclosure, today, { base: base?.data ?? null, names: await namesOf(deps, [v]), ocr: ocrSummary(ocr), comparison: comparisonOf(entity.uscc, v.data, ocr) });
}

/**
 * The platform's licence reader: the offline OCR pipeline (ocr/licence-ocr.ts), started on the
 * first licence so that neither start-up nor a test that uploads none pays for the models.
 */
export function defaultLicenceReader(): LicenceReader {
  let recognizer: LicenceRecognizer | null = null;
  return {
    recognize: (image) => (recognizer ??= createLicenceRecognizer()).recognize(image),
    close: async () => {
      await recognizer?.close();
      recognizer = null;
    },
  };
}
