// From recognised lines to licence fields. A licence is a grid of labelled rows in two columns
// (名称 … | 注册资本 …); the detector may give a label and its value as one line or as two, may
// split a spaced label (名  称) into single characters, and may merge both columns of a row
// into one line. So lines are first cut into cells at wide gaps, labels are found at the start
// of cells (also across neighbouring cells, and letting a character match through one of its
// alternatives), and a label's value is what lies to its right up to the next label of the
// row, plus continuation lines below it inside its column. Pure: no I/O.

import type { LicenceOcrFields, LicenceOcrNormalized, OcrChar, OcrText, RecognizedLine } from './licence-ocr.types.ts';
import { correctPlaceNames } from './licence-lexicon.ts';
import { findUsccIn, parseCapitalWanYuan, parseLicenceDate, repairUscc } from './licence-normalize.ts';

type FieldKey = keyof LicenceOcrFields;
/** Labels of rows we do not return still end the value before them. */
type LabelKind = FieldKey | 'term' | 'scope' | 'authority' | 'form';

/** Matched at the start of a cell, longest first, so a label is never taken for a shorter one it begins with. */
const LABELS: readonly { text: string; kind: LabelKind }[] = [
  { text: '统一社会信用代码', kind: 'uscc' },
  { text: '执行事务合伙人', kind: 'legalRepresentative' },
  { text: '主要经营场所', kind: 'address' },
  { text: '法定代表人', kind: 'legalRepresentative' },
  { text: '经营场所', kind: 'address' },
  { text: '注册资本', kind: 'registeredCapital' },
  { text: '注册资金', kind: 'registeredCapital' },
  { text: '出资总额', kind: 'registeredCapital' },
  { text: '成立日期', kind: 'establishedOn' },
  { text: '注册日期', kind: 'establishedOn' },
  { text: '营业期限', kind: 'term' },
  { text: '合伙期限', kind: 'term' },
  { text: '经营范围', kind: 'scope' },
  { text: '登记机关', kind: 'authority' },
  { text: '组成形式', kind: 'form' },
  { text: '负责人', kind: 'legalRepresentative' },
  { text: '经营者', kind: 'legalRepresentative' },
  { text: '投资人', kind: 'legalRepresentative' },
  { text: '出资额', kind: 'registeredCapital' },
  { text: '名称', kind: 'name' },
  { text: '类型', kind: 'entityType' },
  { text: '住所', kind: 'address' },
];
const MAX_LABEL = Math.max(...LABELS.map((l) => l.text.length));

/** Fields whose value may wrap onto further lines of its column. */
const MULTILINE: ReadonlySet<LabelKind> = new Set<LabelKind>(['name', 'entityType', 'legalRepresentative', 'address', 'scope']);

interface Cell {
  chars: OcrChar[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Text height, estimated from the box (the detector's box is about 1.4 × the glyphs). */
  h: number;
  /** Set on a cell that starts with a label; `value` is the rest of the cell after it. */
  label?: { kind: LabelKind; value: OcrChar[] };
}

const isSpace = (c: OcrChar): boolean => /^\s$/.test(c.char);
const yCentre = (c: Cell): number => (c.y0 + c.y1) / 2;

/** Cuts a line into cells wherever two characters stand further apart than a column gap. */
function cellsOf(line: RecognizedLine): Cell[] {
  const h = (line.y1 - line.y0) / 1.4;
  const cells: Cell[] = [];
  let current: OcrChar[] = [];
  let start = line.x0;
  const push = (end: number): void => {
    while (current.length > 0 && isSpace(current[current.length - 1]!)) current.pop();
    if (current.length > 0) cells.push({ chars: current, x0: start, x1: end, y0: line.y0, y1: line.y1, h });
    current = [];
  };
  let prev: OcrChar | null = null;
  for (let i = 0; i < line.chars.length; i++) {
    const c = line.chars[i]!;
    if (isSpace(c)) {
      if (current.length > 0) current.push(c);
      continue;
    }
    const gap = prev ? c.x - prev.x : 0;
    // A wide gap is a column gap; a narrower one is too when a label follows it (a long name
    // running up to the next column's label comes out as one line).
    if (prev && (gap > 2.6 * h || (gap > 1.6 * h && startsWithLabel(line.chars.slice(i))))) {
      push(prev.x + h / 2);
      start = c.x - h / 2;
    }
    current.push(c);
    prev = c;
  }
  push(line.x1);
  return cells;
}

function startsWithLabel(chars: OcrChar[]): boolean {
  const compact = chars.filter((c) => !isSpace(c));
  return LABELS.some((l) => l.text.length >= 3 && matchesLabel(compact, l.text));
}

/** `label` read at the start of `chars`; a character may match through one of its alternatives, rarely. */
function matchesLabel(chars: OcrChar[], label: string): boolean {
  if (chars.length < label.length) return false;
  let viaAlternative = 0;
  for (let i = 0; i < label.length; i++) {
    const c = chars[i]!;
    if (c.char === label[i]) continue;
    const k = c.alternatives.indexOf(label[i]!);
    if (k <= 0 || (c.altProbs[k] ?? 0) < 0.01) return false;
    viaAlternative++;
  }
  return viaAlternative <= (label.length >= 3 ? 1 : 0) + (label.length >= 6 ? 1 : 0);
}

/**
 * Marks the cells that start with a label. A cell too short to hold a whole label is joined
 * with the next cells of its row (a spaced label 名  称 comes out as 名 and 称); the joined
 * cells leave the row, except what follows the label in the last of them.
 */
function findLabels(rows: Cell[][]): void {
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const cell = row[i]!;
      const joined: OcrChar[] = [];
      for (let j = i; j < row.length && j < i + 4; j++) {
        const next = row[j]!;
        if (j > i && next.x0 - row[j - 1]!.x1 > 5 * cell.h) break;
        const before = joined.length;
        joined.push(...next.chars.filter((c) => !isSpace(c)));
        // Only a label that reaches into this cell: one within the earlier cells was tried already.
        const found = LABELS.find((l) => l.text.length > before && matchesLabel(joined, l.text));
        if (!found) {
          if (joined.length >= MAX_LABEL) break;
          continue;
        }
        let k = 0;
        for (let taken = 0; k < next.chars.length && taken < found.text.length - before; k++) if (!isSpace(next.chars[k]!)) taken++;
        const rest = next.chars.slice(k);
        const restStart = rest.find((c) => !isSpace(c));
        if (j === i) {
          cell.label = { kind: found.kind, value: rest };
          if (restStart) cell.x1 = restStart.x - cell.h / 2;
        } else {
          cell.label = { kind: found.kind, value: [] };
          cell.x1 = restStart ? restStart.x - cell.h / 2 : next.x1;
          row.splice(i + 1, j - i);
          if (restStart) row.splice(i + 1, 0, { ...next, chars: rest, x0: restStart.x - cell.h / 2 });
        }
        break;
      }
    }
  }
}

/** Groups cells into rows: a cell joins a row when its centre lies within the row's first cell. */
function groupRows(cells: Cell[]): Cell[][] {
  const sorted = [...cells].sort((a, b) => yCentre(a) - yCentre(b));
  const rows: Cell[][] = [];
  for (const cell of sorted) {
    const row = rows.find((r) => {
      const first = r[0]!;
      const overlap = Math.min(first.y1, cell.y1) - Math.max(first.y0, cell.y0);
      return overlap > 0.5 * Math.min(first.y1 - first.y0, cell.y1 - cell.y0);
    });
    if (row) row.push(cell);
    else rows.push([cell]);
  }
  for (const row of rows) row.sort((a, b) => a.x0 - b.x0);
  return rows.sort((a, b) => yCentre(a[0]!) - yCentre(b[0]!));
}

function toOcrText(chars: OcrChar[]): OcrText | null {
  // Spaces between two Latin letters or digits are kept (an English name); others are layout.
  const kept = chars.filter((c, i) => {
    if (!isSpace(c)) return true;
    const before = chars[i - 1]?.char ?? '';
    const after = chars[i + 1]?.char ?? '';
    return /[A-Za-z0-9]/.test(before) && /[A-Za-z0-9]/.test(after);
  });
  while (kept.length > 0 && /^[:：\s]$/.test(kept[0]!.char)) kept.shift();
  if (kept.length === 0) return null;
  return {
    text: kept.map((c) => c.char).join(''),
    confidence: Math.round((kept.reduce((s, c) => s + c.prob, 0) / kept.length) * 1000) / 1000,
    alternatives: kept.map((c) => [...c.alternatives]),
  };
}

export interface LicenceLayout {
  fields: LicenceOcrFields;
  normalized: LicenceOcrNormalized;
}

export function extractLicence(lines: readonly RecognizedLine[]): LicenceLayout {
  const rows = groupRows(lines.flatMap(cellsOf));
  findLabels(rows);
  const labelCells = rows.flat().filter((c) => c.label);

  const values = new Map<LabelKind, OcrChar[]>();
  for (const label of labelCells) {
    const kind = label.label!.kind;
    if (values.has(kind)) continue; // the first occurrence (topmost) is the licence's own row
    values.set(kind, valueOf(label, rows, labelCells));
  }
  // Rare place-name characters the model reads as their common look-alikes (潞 as 路).
  correctPlaceNames([values.get('name') ?? [], values.get('address') ?? []], lines);

  const field = (k: FieldKey): OcrText | null => toOcrText(values.get(k) ?? []);
  const fields: LicenceOcrFields = {
    name: field('name'),
    uscc: field('uscc'),
    legalRepresentative: field('legalRepresentative'),
    entityType: field('entityType'),
    registeredCapital: field('registeredCapital'),
    establishedOn: field('establishedOn'),
    address: field('address'),
  };

  let repaired = repairUscc(values.get('uscc') ?? []);
  if (!repaired?.valid) {
    // The label may be missing or misread: any line holding a valid code will do.
    for (const line of lines) {
      const found = findUsccIn(line.chars.map((c) => c.char).join(''));
      if (!found) continue;
      repaired = { code: found, valid: true };
      if (!fields.uscc) fields.uscc = toOcrText(line.chars.filter((c) => /[0-9A-Za-z|]/.test(c.char)));
      break;
    }
  }

  return {
    fields,
    normalized: {
      uscc: repaired?.code ?? null,
      usccValid: repaired?.valid ?? false,
      registeredCapitalWanYuan: fields.registeredCapital ? parseCapitalWanYuan(fields.registeredCapital.text) : null,
      establishedOn: fields.establishedOn ? parseLicenceDate(fields.establishedOn.text) : null,
    },
  };
}

/** The value of one label: the rest of its row up to the next label, then continuation lines. */
function valueOf(label: Cell, rows: Cell[][], labelCells: Cell[]): OcrChar[] {
  const h = label.h;
  // The column ends where the nearest label to the right begins, on any row: a row whose
  // right-hand label is absent (a branch has no 注册资本) still ends at the other rows' column.
  const rightLabels = labelCells.filter((c) => c.x0 > label.x1 + 2 * h).map((c) => c.x0);
  const colEnd = rightLabels.length > 0 ? Math.min(...rightLabels) : Infinity;
  const inColumn = (c: Cell): boolean => c.x0 >= label.x0 - h && c.x0 < colEnd - h / 2;
  const rowIndex = rows.findIndex((r) => r.includes(label));
  const row = rows[rowIndex]!;

  const chars: OcrChar[] = [...label.label!.value];
  const firstChar = chars.find((c) => !isSpace(c));
  let valueX0 = firstChar ? firstChar.x - h / 2 : Infinity;
  let last: Cell = label;
  let lastRow = rowIndex;
  for (const cell of row) {
    if (cell.x0 <= label.x0) continue;
    if (cell.label || cell.x0 >= colEnd - h / 2) break;
    if (chars.length > 0) chars.push({ char: ' ', prob: 1, alternatives: [' '], altProbs: [1], x: cell.x0 });
    chars.push(...cell.chars);
    valueX0 = Math.min(valueX0, cell.x0);
    last = cell;
  }

  if (chars.every(isSpace)) {
    // Nothing beside the label: the value stands below it (统一社会信用代码 on the 2019 template).
    const below = rows[rowIndex + 1] ?? [];
    const cells = below.filter((c) => !c.label && inColumn(c) && c.y0 - label.y1 < 1.5 * h && c.x0 < label.x1);
    for (const cell of cells) {
      chars.push(...cell.chars);
      valueX0 = Math.min(valueX0, cell.x0);
      last = cell;
      lastRow = rowIndex + 1;
    }
  }
  if (!MULTILINE.has(label.label!.kind) || chars.length === 0) return chars;

  // Continuation lines: directly below the value, starting near the value's left edge, inside
  // the column, and no label of this column on that row.
  for (let r = lastRow + 1; r < rows.length; r++) {
    const candidates = rows[r]!.filter(inColumn);
    if (candidates.length === 0) continue;
    if (candidates.some((c) => c.label)) break;
    const first = candidates[0]!;
    if (first.y0 - last.y1 > 1.1 * h || Math.abs(first.x0 - valueX0) > 1.5 * h) break;
    for (const cell of candidates) chars.push(...cell.chars);
    last = first;
  }
  return chars;
}
