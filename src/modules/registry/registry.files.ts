// Files of the registry: the licence upload (stored, read by the OCR, kept with the draft)
// and the download of an entity's licence or certificate scans. A file is served only as part
// of an entity that refers to it, never by digest alone.

import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { comparisonOf } from './registry.licence.ts';
import { LicenceImageError, LicenceOcrBusyError, type LicenceOcr } from './ocr/licence-ocr.ts';
import * as repo from './registry.repository.ts';
import { allows, DEFAULT_REGISTRY_RULES } from './registry.rules.ts';
import { ownEntityId, saveLicence, sniffMediaType, type Actor } from './registry.service.ts';
import type { LicenceRef } from './registry.tables.ts';

const LICENCE_TYPES = new Set(['image/png', 'image/jpeg']);

/** An image the recogniser refused as no licence image: the user's error, nothing is kept. */
function imageRefused(e: LicenceImageError): AppError {
  switch (e.rule) {
    case 'format':
      return new AppError('unsupported_media_type', '营业执照请上传 PNG 或 JPEG 图片');
    case 'too_large':
      return new AppError('payload_too_large', '图片像素过多，请缩小后再上传');
    case 'too_small':
      return invalid('body', 'too_small', '图片分辨率过低，无法看清执照文字，请重新拍摄或扫描');
    case 'unreadable':
      return invalid('body', 'unreadable', '图片无法解码，请重新上传');
    default: {
      const never: never = e.rule;
      throw new Error(String(never));
    }
  }
}

/**
 * Stores the licence image with the draft and reads it. A reading that fails keeps the image
 * and records why (the reviewer compares by eye); it never loses the upload.
 */
export async function uploadLicence(deps: Deps, actor: Actor, image: Buffer, contentType: string): Promise<repo.VersionRow> {
  const entityId = ownEntityId(actor);
  const declared = contentType.split(';')[0]!.trim();
  if (image.length === 0) throw invalid('body', 'minLength', '上传的图片为空');
  if (image.length > DEFAULT_REGISTRY_RULES.maxUploadBytes) throw new AppError('payload_too_large', `图片不能超过 ${DEFAULT_REGISTRY_RULES.maxUploadBytes / 1024 / 1024} MB`);
  const sniffed = sniffMediaType(image);
  if (sniffed === null || !LICENCE_TYPES.has(sniffed)) throw new AppError('unsupported_media_type', '营业执照请上传 PNG 或 JPEG 图片');
  if (sniffed !== declared) throw new AppError('unsupported_media_type', `图片内容是 ${sniffed}，与声明的类型 ${declared} 不符`);
  const entity = (await repo.findEntity(deps.db, entityId))!;
  if (entity.kind !== 'organisation') throw invalid('body', 'organisation', '自然人主体无需上传营业执照');
  const open = await repo.openVersion(deps.db, entityId);
  if (open && !allows(open.status, 'save').ok) throw conflict('已提交审核，审核完成前不能修改；如需修改请先撤回', 'status', 'submitted');
  let ocr: LicenceOcr | null = null;
  let ocrError: string | null = null;
  try {
    ocr = await deps.licenceReader.recognize(image);
  } catch (e) {
    if (e instanceof LicenceImageError) throw imageRefused(e);
    // The recogniser is busy or broken: the upload is kept and the reviewer compares by eye.
    ocrError = e instanceof LicenceOcrBusyError ? '执照识别繁忙，未能识别，请稍后重新上传或由审核人员人工核对' : '执照识别服务暂不可用，请由审核人员人工核对';
  }
  const stored = await deps.blobs.put(image);
  const licence: LicenceRef = { digest: stored.digest, mediaType: sniffed, size: stored.size, uploadedAt: actor.now.toISOString() };
  return saveLicence(deps, actor, licence, ocr, ocrError);
}

/** Where a file of an entity is referred to: a version's licence or a certificate scan. */
export async function fileOf(deps: Deps, entityId: string, digest: string): Promise<{ data: Buffer; mediaType: string }> {
  const ref = await repo.fileReference(deps.db, entityId, digest);
  const data = ref ? await deps.blobs.get(digest) : undefined;
  if (!ref || !data) throw notFound('文件');
  return { data, mediaType: ref };
}

export function mapReviewItem(row: Awaited<ReturnType<typeof repo.reviewQueue>>['rows'][number]) {
  return {
    versionId: row.id,
    entityId: row.entity_id,
    entityName: row.data.name,
    kind: row.entity_kind,
    uscc: row.uscc,
    regionCode: row.region_code,
    regionName: loadRegionTree().fullName(row.region_code),
    number: row.number,
    type: row.base_version_id === null ? ('registration' as const) : ('change' as const),
    submittedAt: row.submitted_at!.toISOString(),
    mismatches: comparisonOf(row.uscc, row.data, row.ocr as LicenceOcr | null)?.mismatches ?? null,
  };
}
