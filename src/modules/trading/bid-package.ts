// Reading a decrypted bid package (format: web/src/crypto/bid-package.ts, which also builds it —
// in the browser, the CLI and the tests). Every file is checked against the SM3 its manifest
// names, and the opening form must state a price; a package that fails any check is the bidder's
// failure (it sealed something that is not a valid bid), never silently accepted.

import { sm3Hex } from '../../platform/crypto/sm3.ts';
import { buildBidPackage as buildPortable, PACKAGE_MAGIC, type OpeningForm, type PackageFile, type PackageManifest } from '../../../web/src/crypto/bid-package.ts';

export type { OpeningForm, PackageManifest };

export class BidPackageError extends Error {
  override name = 'BidPackageError';
}

export interface ParsedPackage {
  manifest: PackageManifest;
  /** Byte ranges of the files inside the package, in manifest order. */
  files: { name: string; mediaType: string; size: number; sm3: string; offset: number }[];
}

const MAX_MANIFEST = 1024 * 1024;
const MAX_FILES = 500;

function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length <= max;
}

function checkForm(form: unknown): OpeningForm {
  if (typeof form !== 'object' || form === null) throw new BidPackageError('开标一览表缺失');
  const f = form as Record<string, unknown>;
  if (!Number.isSafeInteger(f.priceFen) || (f.priceFen as number) <= 0) throw new BidPackageError('开标一览表的投标报价无效');
  if (f.durationDays !== undefined && (!Number.isInteger(f.durationDays) || (f.durationDays as number) <= 0 || (f.durationDays as number) > 10_000)) throw new BidPackageError('开标一览表的工期无效');
  for (const k of ['qualityStandard', 'projectManager', 'remarks'] as const) {
    if (f[k] !== undefined && !isText(f[k], 500)) throw new BidPackageError(`开标一览表的${k}无效`);
  }
  return { priceFen: f.priceFen as number, ...(f.durationDays !== undefined ? { durationDays: f.durationDays as number } : {}), ...(f.qualityStandard !== undefined ? { qualityStandard: f.qualityStandard as string } : {}), ...(f.projectManager !== undefined ? { projectManager: f.projectManager as string } : {}), ...(f.remarks !== undefined ? { remarks: f.remarks as string } : {}) };
}

export function parseBidPackage(data: Buffer): ParsedPackage {
  if (data.length < 12 || data.subarray(0, 8).toString('latin1') !== PACKAGE_MAGIC) throw new BidPackageError('不是投标文件包（文件头不符）');
  const length = data.readUInt32BE(8);
  if (length > MAX_MANIFEST || 12 + length > data.length) throw new BidPackageError('投标文件包的清单长度无效');
  let manifest: PackageManifest;
  try {
    manifest = JSON.parse(data.subarray(12, 12 + length).toString('utf8')) as PackageManifest;
  } catch {
    throw new BidPackageError('投标文件包的清单不是有效的 JSON');
  }
  if (manifest.v !== 1) throw new BidPackageError('投标文件包版本不受支持');
  const form = checkForm(manifest.form);
  if (!Array.isArray(manifest.files) || manifest.files.length > MAX_FILES) throw new BidPackageError('投标文件包的文件清单无效');
  let offset = 12 + length;
  const files = manifest.files.map((f) => {
    if (!isText(f.name, 255) || !isText(f.mediaType, 100) || !Number.isSafeInteger(f.size) || f.size < 0 || !/^[0-9a-f]{64}$/.test(String(f.sm3))) throw new BidPackageError('投标文件包的文件清单项无效');
    if (offset + f.size > data.length) throw new BidPackageError(`文件 ${f.name} 不完整`);
    if (sm3Hex(data.subarray(offset, offset + f.size)) !== f.sm3) throw new BidPackageError(`文件 ${f.name} 与清单中的 SM3 摘要不符`);
    const at = { name: f.name, mediaType: f.mediaType, size: f.size, sm3: f.sm3, offset };
    offset += f.size;
    return at;
  });
  if (offset !== data.length) throw new BidPackageError('投标文件包末尾有多余数据');
  return { manifest: { ...manifest, form }, files };
}

/** Builds a package in Node (CLI, benches, tests) with Node's SM3. */
export function buildBidPackage(form: OpeningForm, files: PackageFile[], tool: { name: string; version: string }, createdAt: Date): Buffer {
  return Buffer.from(buildPortable(form, files, tool, createdAt, (b) => sm3Hex(b)));
}
