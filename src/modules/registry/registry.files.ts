// Files of the registry: the licence upload (stored, read by the OCR, kept with the draft)
// and the download of an entity's licence or certificate scans. A file is served only as part
// of an entity that refers to it, never by digest alone.

import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import * as repo from './registry.repository.ts';
import { allows, DEFAULT_REGISTRY_RULES } from './registry.rules.ts';
import { ownEntityId, saveLicence, sniffMediaType, type Actor } from './registry.service.ts';
import type { LicenceRef } from './registry.tables.ts';

const LICENCE_TYPES = new Set(['image/png', 'image/jpeg']);

/** Why the recogniser could not read an image, as the reviewer reads it. */
function ocrFailure(e: unknown): string {
  const rule = (e as { rule?: unknown }).rule;
  if (rule === 'too_small') return '图片分辨率过低，无法识别';
  if (rule === 'too_large') return '图片像素过多，无法识别';
  if (rule === 'unreadable' || rule === 'format') return '图片无法解码';
  return '执照识别服务暂不可用，请人工核对';
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
  const stored = await deps.blobs.put(image);
  let ocr: unknown = null;
  let ocrError: string | null = null;
  try {
    ocr = await deps.licenceReader.recognize(image);
  } catch (e) {
    ocrError = ocrFailure(e);
  }
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
    mismatches: null,
  };
}
