// The region table (GB/T 2260, Shanxi) ships as data with the code. It never changes while the
// process runs, so scope decisions use this in-memory tree; the database copy (org.regions,
// filled by syncRegions) serves foreign keys and SQL filters.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import type { DB } from '../../platform/db/schema.ts';

export interface Region {
  code: string;
  name: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
}

interface RegionFile {
  source: string;
  vintage: string;
  regions: Region[];
}

const DATA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'regions-14.json');

export class RegionTree {
  private readonly byCode = new Map<string, Region>();
  private readonly children = new Map<string, Region[]>();

  constructor(
    readonly regions: readonly Region[],
    readonly version: string,
  ) {
    for (const r of regions) this.byCode.set(r.code, r);
    for (const r of regions) {
      if (r.parentCode === null) continue;
      const list = this.children.get(r.parentCode) ?? [];
      list.push(r);
      this.children.set(r.parentCode, list);
    }
  }

  get(code: string): Region | undefined {
    return this.byCode.get(code);
  }

  childrenOf(code: string): Region[] {
    return this.children.get(code) ?? [];
  }

  /** Whether `code` is `root` or lies below it. */
  isWithin(code: string, root: string): boolean {
    for (let r = this.byCode.get(code); r; r = r.parentCode ? this.byCode.get(r.parentCode) : undefined) {
      if (r.code === root) return true;
    }
    return false;
  }

  /** `root` and every region below it. */
  subtree(root: string): string[] {
    const out: string[] = [];
    const walk = (code: string): void => {
      out.push(code);
      for (const c of this.childrenOf(code)) walk(c.code);
    };
    if (this.byCode.has(root)) walk(root);
    return out;
  }

  /** The city (level 2) a region belongs to, or undefined for the province. */
  cityOf(code: string): Region | undefined {
    for (let r = this.byCode.get(code); r; r = r.parentCode ? this.byCode.get(r.parentCode) : undefined) {
      if (r.level === 2) return r;
    }
    return undefined;
  }

  /** "太原市 小店区"-style full name below the province. */
  fullName(code: string): string {
    const names: string[] = [];
    for (let r = this.byCode.get(code); r; r = r.parentCode ? this.byCode.get(r.parentCode) : undefined) names.unshift(r.name);
    return names.join(' ');
  }
}

let cached: { tree: RegionTree; checksum: string } | undefined;

export function loadRegionTree(): RegionTree {
  if (!cached) {
    const text = fs.readFileSync(DATA_FILE, 'utf8');
    const file = JSON.parse(text) as RegionFile;
    cached = { tree: new RegionTree(file.regions, `${file.source}/${file.vintage}`), checksum: sm3Hex(text) };
  }
  return cached.tree;
}

/**
 * Brings org.regions in line with the shipped file when the file changed (upsert; a code that
 * disappeared from the standard stays, since organisations may still point at it).
 */
export async function syncRegions(db: Kysely<DB>): Promise<boolean> {
  const tree = loadRegionTree();
  const checksum = cached!.checksum;
  const current = await db.selectFrom('platform.reference_data').select('checksum').where('name', '=', 'regions').executeTakeFirst();
  if (current?.checksum === checksum) return false;
  await db.transaction().execute(async (trx) => {
    // Parents before children, so the self-reference holds row by row.
    const ordered = [...tree.regions].sort((a, b) => a.level - b.level);
    for (let i = 0; i < ordered.length; i += 200) {
      const chunk = ordered.slice(i, i + 200).map((r) => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode }));
      await trx
        .insertInto('org.regions')
        .values(chunk)
        .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), level: eb.ref('excluded.level'), parent_code: eb.ref('excluded.parent_code') })))
        .execute();
    }
    await trx
      .insertInto('platform.reference_data')
      .values({ name: 'regions', version: tree.version, checksum, loaded_at: new Date() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ version: tree.version, checksum, loaded_at: new Date() }))
      .execute();
  });
  return true;
}
