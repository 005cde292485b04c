// The CSV parser (RFC 4180) and the import row check, which must fail a line exactly as the
// create route's schema fails the same body (field, rule).

import { describe, expect, it } from 'vitest';
import { csvRecord, CsvError, parseCsv, readHeader } from './credit.csv.ts';
import { recordBody } from './credit.fixtures.ts';
import { RecordCreate } from './credit.schemas.ts';
import { schemaErrors } from './credit.schema-check.ts';

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes, line breaks inside quotes, CRLF and LF, and drops a BOM', () => {
    const rows = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","line1\nline2"\n1,,3');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'line1\nline2'] },
      { line: 4, cells: ['1', '', '3'] },
    ]);
  });

  it('skips blank lines, keeps a last line without a line break, keeps trailing empty cells', () => {
    expect(parseCsv('a,b\n\n1,\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['1', ''] },
    ]);
    expect(parseCsv('a')).toEqual([{ line: 1, cells: ['a'] }]);
  });

  it('names the line of malformed quoting', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvError);
    expect(() => parseCsv('a\nb"c"')).toThrow(/第 2 行/);
    expect(() => parseCsv('a\n"b"c')).toThrow(/第 2 行/);
  });
});

describe('header and mapping', () => {
  it('finds columns in any order and reports unknown, duplicate and missing ones', () => {
    expect(readHeader(['title', 'title', 'colour']).problems.map((p) => [p.field, p.rule])).toEqual(
      expect.arrayContaining([
        ['title', 'duplicate_column'],
        ['colour', 'unknown_column'],
        ['subjectKind', 'required_column'],
      ]),
    );
  });

  it('maps booleans, numbers and the ban columns; empty cells are absent', () => {
    const { columns } = readHeader(['publishable', 'disclosureMonths', 'banCategories', 'banRegionCode', 'banFrom', 'banTo', 'effectiveTo']);
    expect(csvRecord(columns, ['true', '3', 'land; mineral', '140100', '2026-03-01', '2027-02-28', ''])).toEqual({
      publishable: true,
      disclosureMonths: 3,
      ban: { categories: ['land', 'mineral'], regionCode: '140100', from: '2026-03-01', to: '2027-02-28' },
    });
    expect(csvRecord(columns, ['yes', 'three', '', '', '', '', ''])).toEqual({ publishable: 'yes', disclosureMonths: 'three' });
  });
});

describe('schemaErrors', () => {
  it('accepts a valid record and reports fields and rules as ajv names them', () => {
    expect(schemaErrors(RecordCreate, recordBody(1))).toEqual([]);
    const errs = schemaErrors(RecordCreate, { ...recordBody(1), title: undefined, role: 'judge', colour: 1, disclosureMonths: 'three', evidence: [{ name: 'a', sm3Digest: 'z', size: -1 }], ban: { categories: [] } });
    expect(errs.map((e) => [e.field, e.rule])).toEqual(
      expect.arrayContaining([
        ['title', 'required'],
        ['role', 'enum'],
        ['colour', 'additionalProperties'],
        ['disclosureMonths', 'type'],
        ['evidence.0.sm3Digest', 'pattern'],
        ['evidence.0.size', 'minimum'],
        ['ban.categories', 'minItems'],
        ['ban.regionCode', 'required'],
      ]),
    );
    expect(errs.every((e) => /[\u4e00-\u9fa5]/.test(e.message))).toBe(true);
  });

  it('refuses a schema keyword it does not implement rather than passing silently', () => {
    expect(() => schemaErrors({ type: 'string', format: 'email' }, 'x')).toThrow(/format/);
  });
});
