// The bid package (投标文件包): what a bidder seals. It carries the opening form (开标一览表: the
// price and the other items read out at the opening) as data, so the opening record is built from
// what the bidder itself declared rather than typed in by anyone, and the bid documents as files.
// Plain TypeScript on Uint8Array, shared by the browser, the CLI and the server (which parses it
// after decryption). The server's reader is src/modules/trading/bid-package.ts.
//
// Layout:
//   magic   "GGZYPKG1"                     8 bytes
//   length  u32 big-endian                 4 bytes, of the manifest
//   manifest UTF-8 JSON                    { v: 1, form, files: [{ name, mediaType, size, sm3 }], tool, createdAt }
//   files   their bytes, in manifest order, back to back
// Each file's SM3 is in the manifest, so a reader checks every file against it.

import { sm3 } from 'sm-crypto-v2';

export const PACKAGE_MAGIC = 'GGZYPKG1';

/** The opening form. Money in integer fen. */
export interface OpeningForm {
  priceFen: number;
  /** 工期（日历天）. */
  durationDays?: number;
  /** 质量标准. */
  qualityStandard?: string;
  /** 项目经理 (name as registered among the entity's key personnel). */
  projectManager?: string;
  remarks?: string;
}

export interface PackageFile {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface PackageManifest {
  v: 1;
  form: OpeningForm;
  files: { name: string; mediaType: string; size: number; sm3: string }[];
  /** The tool that built the package (for the submission fingerprint). */
  tool: { name: string; version: string };
  createdAt: string;
}

function hexSm3(bytes: Uint8Array): string {
  return sm3(bytes);
}

/** Builds the package bytes. `digest` defaults to sm-crypto-v2's SM3; Node passes its faster own. */
export function buildBidPackage(form: OpeningForm, files: PackageFile[], tool: { name: string; version: string }, createdAt: Date, digest: (bytes: Uint8Array) => string = hexSm3): Uint8Array {
  if (!Number.isSafeInteger(form.priceFen) || form.priceFen <= 0) throw new Error('投标报价须为大于 0 的金额');
  const manifest: PackageManifest = {
    v: 1,
    form,
    files: files.map((f) => ({ name: f.name, mediaType: f.mediaType, size: f.bytes.length, sm3: digest(f.bytes) })),
    tool,
    createdAt: createdAt.toISOString(),
  };
  const head = new TextEncoder().encode(JSON.stringify(manifest));
  const total = 8 + 4 + head.length + files.reduce((n, f) => n + f.bytes.length, 0);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(PACKAGE_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, head.length, false);
  out.set(head, 12);
  let offset = 12 + head.length;
  for (const f of files) {
    out.set(f.bytes, offset);
    offset += f.bytes.length;
  }
  return out;
}
