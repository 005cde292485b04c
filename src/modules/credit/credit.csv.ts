// CSV import of credit records: an RFC 4180 parser (quoted fields may hold commas, doubled
// quotes and line breaks; CRLF or LF; a UTF-8 byte-order mark is dropped) and the mapping of the
// documented columns (docs/api.md) to the API's record shape. Empty cells are absent fields.

export interface CsvRow {
  /** The line of the file the record starts on (the header is line 1). */
  line: number;
  cells: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseCsv(text: string): CsvRow[] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let i = 0;
  const endRow = () => {
    cells.push(cell);
    // A blank line is no record.
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = src[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') throw new CsvError(line, `第 ${line} 行：引号字段结束后应为逗号或换行`);
        continue;
      }
      if (c === '\n') line++;
      cell += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (cell !== '') throw new CsvError(line, `第 ${line} 行：引号只能出现在字段开头`);
      quoted = true;
      i++;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw new CsvError(line, `第 ${line} 行：引号未闭合`);
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

/** The documented columns, in any order; banCategories is `;`-separated, publishable is true/false. */
export const CSV_COLUMNS = [
  'subjectKind',
  'uscc',
  'idNumber',
  'subjectName',
  'role',
  'type',
  'severity',
  'title',
  'facts',
  'legalBasis',
  'sourceDepartment',
  'regionCode',
  'decisionNumber',
  'decisionDate',
  'effectiveFrom',
  'effectiveTo',
  'publishable',
  'disclosureMonths',
  'banCategories',
  'banRegionCode',
  'banFrom',
  'banTo',
  'notRepairableReason',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: Column[] = ['subjectKind', 'subjectName', 'role', 'type', 'title', 'facts', 'legalBasis', 'sourceDepartment', 'regionCode', 'decisionNumber', 'decisionDate', 'effectiveFrom'];

export type HeaderProblem = { field: string; rule: string; message: string };

/** The column index of each header name; problems name an unknown, duplicate or missing column. */
export function readHeader(header: string[]): { columns: Map<Column, number>; problems: HeaderProblem[] } {
  const columns = new Map<Column, number>();
  const problems: HeaderProblem[] = [];
  header.forEach((raw, i) => {
    const name = raw.trim();
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) problems.push({ field: name || `#${i + 1}`, rule: 'unknown_column', message: `未知的列 ${name}` });
    else if (columns.has(name as Column)) problems.push({ field: name, rule: 'duplicate_column', message: `列 ${name} 重复` });
    else columns.set(name as Column, i);
  });
  for (const c of REQUIRED_COLUMNS) if (!columns.has(c)) problems.push({ field: c, rule: 'required_column', message: `缺少必需的列 ${c}` });
  return { columns, problems };
}

/**
 * One CSV record as the API's JSON record. Cells are kept as text where the schema wants text;
 * numbers and booleans are converted only when they read as such, so that a bad cell fails the
 * schema check with its field named rather than disappearing.
 */
export function csvRecord(columns: Map<Column, number>, cells: string[]): Record<string, unknown> {
  const get = (c: Column): string | undefined => {
    const i = columns.get(c);
    const v = i === undefined ? undefined : cells[i];
    return v === undefined || v === '' ? undefined : v;
  };
  const out: Record<string, unknown> = {};
  for (const c of ['subjectKind', 'uscc', 'idNumber', 'subjectName', 'role', 'type', 'severity', 'title', 'facts', 'legalBasis', 'sourceDepartment', 'regionCode', 'decisionNumber', 'decisionDate', 'effectiveFrom', 'effectiveTo', 'notRepairableReason'] as const) {
    const v = get(c);
    if (v !== undefined) out[c] = v;
  }
  const publishable = get('publishable');
  if (publishable !== undefined) out.publishable = publishable === 'true' ? true : publishable === 'false' ? false : publishable;
  const months = get('disclosureMonths');
  if (months !== undefined) out.disclosureMonths = /^\d+$/.test(months) ? Number(months) : months;
  const banCategories = get('banCategories');
  const banRegionCode = get('banRegionCode');
  const banFrom = get('banFrom');
  const banTo = get('banTo');
  if (banCategories !== undefined || banRegionCode !== undefined || banFrom !== undefined || banTo !== undefined) {
    const ban: Record<string, unknown> = {};
    if (banCategories !== undefined) ban.categories = banCategories.split(';').map((s) => s.trim());
    if (banRegionCode !== undefined) ban.regionCode = banRegionCode;
    if (banFrom !== undefined) ban.from = banFrom;
    if (banTo !== undefined) ban.to = banTo;
    out.ban = ban;
  }
  return out;
}
