// Chinese full-text search for the portal: jieba segments the text in the application, and the
// result is stored as a PostgreSQL `tsvector` written as a literal (lexeme:position+weight), so the
// database never parses Chinese itself. That keeps PGlite (locale C, where the built-in parser
// drops CJK characters) and the PostgreSQL server (C.UTF-8) answering the same query the same way.
//
// Index side: jieba's search mode (words and their dictionary sub-words) of title (weight A) and
// body (weight D), plus every character bigram of the title (weight B), so that any two or more
// consecutive characters of a title find it even where jieba segments a name differently.
// Query side: jieba's accurate mode, every token required; when that finds nothing the caller
// retries with the query's bigrams (title substrings), then with trigram similarity (pg_trgm).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

const CUSTOM_DICT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'procurement-dict.txt');

let jieba: Jieba | undefined;

/** The segmenter, loaded once (≈ 0.2 s) with the default dictionary and our procurement terms. */
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(fs.readFileSync(CUSTOM_DICT));
  }
  return jieba;
}

/** Loads the dictionaries now (at start-up) rather than on the first search. */
export function warmSegmenter(): void {
  segmenter();
}

// Function words that would match nearly every notice; they are neither indexed nor required.
const STOPWORDS = new Set(['的', '了', '和', '与', '及', '或', '在', '是', '等', '对', '于', '为', '之', '其', '并', '将', '由', '从', '向', '以', '按', '个', '项']);
// A token is kept when it holds a letter or digit of any script (drops punctuation and spaces).
const WORDLIKE = /[\p{L}\p{N}]/u;
// tsvector positions stop at 16383; lexemes longer than this are not words worth indexing.
const MAX_POSITION = 16_383;
const MAX_LEXEME_CHARS = 60;

function normalise(token: string): string | null {
  const t = token.trim().toLowerCase();
  if (t.length === 0 || t.length > MAX_LEXEME_CHARS || !WORDLIKE.test(t) || STOPWORDS.has(t)) return null;
  return t;
}

/** Index tokens of a text: jieba's search mode (words plus their sub-words). */
export function indexTokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of segmenter().cutForSearch(text, true)) {
    const t = normalise(raw);
    if (t) out.push(t);
  }
  return out;
}

/** Query tokens: jieba's accurate mode, so a query word is not split into its parts. */
export function queryTokens(query: string): string[] {
  const out: string[] = [];
  for (const part of query.split(/\s+/)) {
    if (!part) continue;
    for (const raw of segmenter().cut(part, true)) {
      const t = normalise(raw);
      if (t && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

/** The character bigrams of the CJK runs of a text (and whole ASCII words), lower-cased. */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.toLowerCase().match(/[\p{Script=Han}]+|[a-z0-9]+/gu) ?? []) {
    if (/^[a-z0-9]+$/.test(run)) {
      out.push(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) out.push(run);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out.filter((t) => t.length <= MAX_LEXEME_CHARS);
}

function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The tsvector literal of a notice or deal: title words (A), title bigrams (B), body words (D).
 * Positions run through the title, then the body, so phrase-near matches rank higher.
 */
export function searchVector(title: string, body: string): string {
  const positions = new Map<string, string[]>();
  let pos = 0;
  const add = (tokens: string[], weight: 'A' | 'B' | 'D'): void => {
    for (const t of tokens) {
      pos = Math.min(pos + 1, MAX_POSITION);
      let list = positions.get(t);
      if (!list) positions.set(t, (list = []));
      // A lexeme keeps at most 256 positions in a tsvector; more add nothing to ranking.
      if (list.length < 256) list.push(`${pos}${weight}`);
    }
  };
  add(indexTokens(title), 'A');
  pos = Math.min(pos + 1, MAX_POSITION);
  add(bigrams(title), 'B');
  pos = Math.min(pos + 1, MAX_POSITION);
  add(indexTokens(body), 'D');
  return [...positions].map(([lexeme, ps]) => `${quoteLexeme(lexeme)}:${ps.join(',')}`).join(' ');
}

/**
 * The list filter values a notice is found under, as lexemes of its vector: 'all notices', and
 * 'kind tender', 'category construction', 'region 140105', 'city 140100'. A query token never
 * holds a space, so these never meet a word; added without positions, they take no part in
 * ranking. A search within a city or kind then asks the GIN index for both at once, and the
 * lexeme counts (portal.lexemes) hold how many notices each filter value has.
 */
export const ALL_NOTICES = 'all notices';
export function facetLexeme(name: 'kind' | 'category' | 'region' | 'city', value: string): string {
  return `${name} ${value}`;
}
export function noticeFacets(n: { kind: string; category: string; region_code: string; city_code: string | null }): string[] {
  return [ALL_NOTICES, facetLexeme('kind', n.kind), facetLexeme('category', n.category), facetLexeme('region', n.region_code), ...(n.city_code ? [facetLexeme('city', n.city_code)] : [])];
}

/** A tsvector literal with `facets` added as lexemes without positions. */
export function withFacets(vector: string, facets: readonly string[]): string {
  return [vector, ...facets.map(quoteLexeme)].filter((x) => x.length > 0).join(' ');
}

/** `tq`'s tsquery also requiring `facets`. */
export function requiring(tq: TextQuery, facets: readonly string[]): string {
  if (tq.tsquery === '') return facets.map(quoteLexeme).join(' & ');
  return facets.length === 0 ? tq.tsquery : `(${tq.tsquery}) & ${facets.map(quoteLexeme).join(' & ')}`;
}

/**
 * A search as PostgreSQL reads it (`tsquery`) and as its lexemes bound it (`groups`): every group
 * is required, and a group matches as its lexeme or as all of its parts. The groups let the
 * portal's document frequencies (portal.lexemes) bound how many rows can match before the query
 * runs, which decides how it runs (portal.repository searchNotices).
 */
export interface TextQuery {
  tsquery: string;
  groups: { lexeme: string; parts: string[] }[];
}

function textQuery(groups: TextQuery['groups']): TextQuery {
  const tsquery = groups.map((g) => (g.parts.length === 0 ? quoteLexeme(g.lexeme) : `(${quoteLexeme(g.lexeme)} | ${g.parts.map(quoteLexeme).join(' & ')})`)).join(' & ');
  return { tsquery, groups };
}

/**
 * The query of a query's words: every word required, each either as itself or as all of its
 * dictionary parts. The index holds a long word's 2- and 3-character parts (search mode) but not
 * a 4-character word inside a longer one — 中标结果 inside 中标结果公告 — so the parts stand in.
 */
export function wordsQuery(tokens: readonly string[]): TextQuery | null {
  if (tokens.length === 0) return null;
  return textQuery(tokens.map((t) => ({ lexeme: t, parts: [...new Set(segmenter().cutForSearch(t, true).map(normalise))].filter((x): x is string => x !== null && x !== t) })));
}

/** A query requiring every token, or null when nothing searchable is left. */
export function allOf(tokens: readonly string[]): TextQuery | null {
  return tokens.length === 0 ? null : textQuery(tokens.map((t) => ({ lexeme: t, parts: [] })));
}

/** Every lexeme a query names (its groups' lexemes and their parts). */
export function lexemesOf(q: TextQuery): string[] {
  return [...new Set(q.groups.flatMap((g) => [g.lexeme, ...g.parts]))];
}

/**
 * The most rows `q` can match, given how many rows hold each lexeme: a group matches at most the
 * rows of its lexeme plus those of its rarest part, and all groups are required.
 */
export function matchBound(q: TextQuery, rowsWith: (lexeme: string) => number): number {
  return Math.min(...q.groups.map((g) => groupRows(g, rowsWith)));
}

/** The most rows one group can match: those of its lexeme plus those of its rarest part. */
function groupRows(g: TextQuery['groups'][number], rowsWith: (lexeme: string) => number): number {
  return rowsWith(g.lexeme) + (g.parts.length === 0 ? 0 : Math.min(...g.parts.map(rowsWith)));
}

/**
 * The rows `q` would match if its groups occurred independently of each other: all × the product
 * of each group's share. Words that go together match more (人民 & 医院: 15,800 so estimated of
 * 62,649 at 1,000,000 notices), words that do not, about that (医院 & 设备: 12,900 of 11,954,
 * where matchBound says 111,649). A lower estimate than matchBound's bound, for what must not be
 * overestimated: how soon a walk finds its matches (portal.repository searchPlan).
 */
export function independentMatches(q: TextQuery, rowsWith: (lexeme: string) => number, all: number): number {
  if (all <= 0) return 0;
  return q.groups.reduce((rows, g) => rows * Math.min(1, groupRows(g, rowsWith) / all), all);
}

/**
 * `q` without the groups that nearly every row holds (a share of all rows of at least
 * `share`), for the GIN index to look up; the rows it yields are then tested with the whole
 * query. A common word barely narrows the matches, but the GIN index goes through its posting
 * list all the same: 国有 & 建设 & 用地 & (a city) yields 3,091 of 1,000,000 notices in 26.6 ms
 * with 建设 (79 % of notices) and in 7.0 ms without it. At least one group stays when nothing
 * else (`others`: the filters' facets) narrows the lookup; null when none is dropped.
 */
export function withoutCommon(q: TextQuery, rowsWith: (lexeme: string) => number, all: number, share: number, others: number): TextQuery | null {
  if (all <= 0) return null;
  let kept = q.groups.filter((g) => groupRows(g, rowsWith) < share * all);
  if (kept.length === q.groups.length) return null;
  if (kept.length === 0) {
    if (others > 0) return { tsquery: '', groups: [] };
    kept = [q.groups.reduce((a, b) => (groupRows(b, rowsWith) < groupRows(a, rowsWith) ? b : a))];
    if (q.groups.length === 1) return null;
  }
  return textQuery(kept);
}

export interface Highlight {
  /** HTML-escaped text with the matched terms wrapped in <mark>…</mark>. */
  html: string;
  /** Whether any term was found in the text. */
  hit: boolean;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Marks every occurrence of the terms (longest first, case-insensitive), escaping the rest. */
export function highlight(text: string, terms: readonly string[]): Highlight {
  const wanted = [...new Set(terms.filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return { html: escapeHtml(text), hit: false };
  const lower = text.toLowerCase();
  let html = '';
  let hit = false;
  let i = 0;
  let plainFrom = 0;
  while (i < text.length) {
    const term = wanted.find((t) => lower.startsWith(t, i));
    if (!term) {
      i++;
      continue;
    }
    html += escapeHtml(text.slice(plainFrom, i)) + '<mark>' + escapeHtml(text.slice(i, i + term.length)) + '</mark>';
    i += term.length;
    plainFrom = i;
    hit = true;
  }
  html += escapeHtml(text.slice(plainFrom));
  return { html, hit };
}

/** About `length` characters of the body around the first matched term (or its start). */
export function snippet(body: string, terms: readonly string[], length = 120): Highlight {
  const flat = body.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  let first = -1;
  for (const t of terms) {
    const at = lower.indexOf(t);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  const start = first < 0 ? 0 : Math.max(0, first - Math.floor(length / 3));
  const end = Math.min(flat.length, start + length);
  const piece = (start > 0 ? '…' : '') + flat.slice(start, end) + (end < flat.length ? '…' : '');
  return highlight(piece, terms);
}
