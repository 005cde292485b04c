// Place-name correction of a licence's reading against the region table (GB/T 2260, Shanxi).
//
// The recognition model has seen rare place-name characters far less often than their common
// look-alikes, so it reads 潞 (潞城区, 潞州区 of 长治) as 路 even on a clean image — with 潞 as the
// runner-up at a few per cent, where a true 路 leaves it below 0.01 %. Two steps, both using only
// what the model itself considered:
//
// 1. Anchored gazetteer match. In the name and the address, a county's name directly after its
//    city's ("长治市潞城区"), or a city's after the province's ("山西省忻州市"), is read as that
//    pair when every differing character is among the recogniser's alternatives at that place
//    with at least LEXICON_MIN_PROB. The anchor (the parent's name in front) is what keeps an
//    ordinary word from being turned into a place name.
// 2. The same glyph elsewhere on the page. A licence is printed in one typeface, so once step 1
//    has shown that the model reads this page's 潞 as 路, every other 路 on the page whose
//    alternatives give 潞 at least LEXICON_MIN_PROB is the same glyph (潞安, 潞华街道). A true 路
//    stays: the model leaves 潞 orders of magnitude below the threshold there.
//
// The characters are corrected in place, so the fields and the page's lines agree; a corrected
// character keeps the model's first reading as its second alternative, where the review screen's
// comparison still sees it.

import { loadRegionTree } from '../../org/org.regions.ts';
import type { OcrChar, RecognizedLine } from './licence-ocr.types.ts';

/** An alternative must carry at least this probability to replace the model's first reading. */
export const LEXICON_MIN_PROB = 0.01;
/** At most this many characters of one anchored pair may be replaced. */
const MAX_REPLACED = 2;

/** Anchored place names: a region's name preceded by its parent's. */
export type Gazetteer = readonly string[];

let shipped: Gazetteer | undefined;

/** Parent + child names of every city and county of the shipped region table, longest first. */
export function regionGazetteer(): Gazetteer {
  if (!shipped) {
    const tree = loadRegionTree();
    const pairs: string[] = [];
    for (const r of tree.regions) {
      const parent = r.parentCode ? tree.get(r.parentCode) : undefined;
      if (parent) pairs.push(parent.name + r.name);
    }
    shipped = pairs.sort((a, b) => b.length - a.length);
  }
  return shipped;
}

export interface PlaceNameCorrection {
  /** The model's first reading and the character it became. */
  from: string;
  to: string;
  /** What justified it: the anchored place name, or the same glyph elsewhere on the page. */
  because: { placeName: string } | { sameGlyph: true };
}

/**
 * Corrects `fields` (the name and address values, spaces between cells allowed) against the
 * gazetteer, then the same misreadings anywhere in `lines`. Returns what was changed.
 */
export function correctPlaceNames(fields: readonly (readonly OcrChar[])[], lines: readonly RecognizedLine[], gazetteer: Gazetteer = regionGazetteer()): PlaceNameCorrection[] {
  const done: PlaceNameCorrection[] = [];
  const confirmed = new Map<string, Set<string>>();
  for (const field of fields) {
    const chars = field.filter((c) => c.char.trim() !== '');
    for (let i = 0; i < chars.length; i++) {
      for (const name of gazetteer) {
        const swaps = matchAt(chars, i, name);
        if (!swaps) continue;
        for (const [k, to] of swaps) {
          const c = chars[i + k]!;
          done.push({ from: c.char, to, because: { placeName: name } });
          const set = confirmed.get(c.char) ?? new Set<string>();
          set.add(to);
          confirmed.set(c.char, set);
          promote(c, to);
        }
        // No skip past the match: its second name may be the anchor of the next pair
        // (山西省长治市 then 长治市潞城区).
        break;
      }
    }
  }
  if (confirmed.size === 0) return done;
  for (const line of lines) {
    for (const c of line.chars) {
      const targets = confirmed.get(c.char);
      if (!targets) continue;
      const to = [...targets].find((t) => probOf(c, t) >= LEXICON_MIN_PROB);
      if (to === undefined) continue;
      done.push({ from: c.char, to, because: { sameGlyph: true } });
      promote(c, to);
    }
  }
  return done;
}

/**
 * Whether `name` can be read at `chars[at…]`: the replacements needed (offset → character),
 * none when the text already says it (nothing to correct), null when it cannot.
 */
function matchAt(chars: readonly OcrChar[], at: number, name: string): [number, string][] | null {
  const want = [...name];
  if (at + want.length > chars.length) return null;
  const swaps: [number, string][] = [];
  for (let k = 0; k < want.length; k++) {
    const c = chars[at + k]!;
    if (c.char === want[k]) continue;
    if (probOf(c, want[k]!) < LEXICON_MIN_PROB || swaps.length === MAX_REPLACED) return null;
    swaps.push([k, want[k]!]);
  }
  // The parent's name in front must be read as it is, or nearly: at least half the pair exact.
  if (swaps.length * 2 > want.length) return null;
  return swaps;
}

/** The probability the model gave `char` at this place (0 when it was not among its alternatives). */
function probOf(c: OcrChar, char: string): number {
  const k = c.alternatives.indexOf(char);
  return k > 0 ? (c.altProbs[k] ?? 0) : 0;
}

/** Makes `to` the reading of `c`, the earlier first reading its runner-up. */
function promote(c: OcrChar, to: string): void {
  const k = c.alternatives.indexOf(to);
  const p = c.altProbs[k]!;
  c.alternatives.splice(k, 1);
  c.altProbs.splice(k, 1);
  c.alternatives.unshift(to);
  c.altProbs.unshift(p);
  c.char = to;
  c.prob = p;
}
