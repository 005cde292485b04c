// The trading catalogue (DOMAIN.md §1) ships as data (data/categories.json, with a version): a
// ban names categories of it, or `*` for all. Only the application reads it, so it needs no
// database copy.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TradingCategory {
  code: string;
  name: string;
}

interface CategoryFile {
  version: string;
  categories: TradingCategory[];
}

const DATA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'categories.json');

let cached: { version: string; categories: TradingCategory[]; byCode: Map<string, TradingCategory> } | undefined;

export function loadCategories(): { version: string; categories: TradingCategory[]; get(code: string): TradingCategory | undefined } {
  if (!cached) {
    const file = JSON.parse(fs.readFileSync(DATA_FILE, 'utf8')) as CategoryFile;
    cached = { version: file.version, categories: file.categories, byCode: new Map(file.categories.map((c) => [c.code, c])) };
  }
  const c = cached;
  return { version: c.version, categories: c.categories, get: (code) => c.byCode.get(code) };
}
