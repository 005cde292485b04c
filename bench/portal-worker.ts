// Worker thread of bench/portal.ts: generates a range of deals and computes their tsvectors.
//
// jieba is where the corpus spends its time (≈ 0.8 ms a notice on an idle core), so the worker
// segments a body piece by piece with a memo: jieba itself cuts text into blocks at every
// character outside its word class (punctuation, spaces) and segments each block alone, so the
// tokens of the pieces, in order, are the tokens of the whole text, and the template sentences
// that recur in thousands of notices are segmented once. The vector is then assembled exactly as
// searchVector assembles it; the first notices of every job are checked against searchVector
// itself and the run fails if one differs.

import { parentPort } from 'node:worker_threads';
import { bigrams, indexTokens, noticeFacets, searchVector, withFacets } from '../src/modules/portal/portal.text.ts';
import { generateDeal, type GenDeal, type GenNotice } from './portal-data.ts';

export interface Job {
  seed: number;
  from: number;
  to: number;
  now: number;
}
export interface Chunk {
  deals: (GenDeal & { tsv: string })[];
  notices: (GenNotice & { tsv: string })[];
}

// jieba-rs's block pattern (RE_HAN_DEFAULT): Han characters, ASCII letters and digits, +#&._%-.
const PIECES = /[\p{Script=Han}a-zA-Z0-9+#&._%-]+/gu;
const memo = new Map<string, string[]>();

function tokens(text: string): string[] {
  const out: string[] = [];
  for (const [piece] of text.matchAll(PIECES)) {
    let t = memo.get(piece);
    if (!t) {
      t = indexTokens(piece);
      if (memo.size > 400_000) memo.clear();
      memo.set(piece, t);
    }
    for (const x of t) out.push(x);
  }
  return out;
}

// As portal.text.ts (not exported there).
const MAX_POSITION = 16_383;
const quote = (lexeme: string): string => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** searchVector(title, body), with the body's tokens from the memo. */
function vector(title: string, body: string): string {
  const positions = new Map<string, string[]>();
  let pos = 0;
  const add = (list: string[], weight: 'A' | 'B' | 'D'): void => {
    for (const t of list) {
      pos = Math.min(pos + 1, MAX_POSITION);
      let ps = positions.get(t);
      if (!ps) positions.set(t, (ps = []));
      if (ps.length < 256) ps.push(`${pos}${weight}`);
    }
  };
  add(tokens(title), 'A');
  pos = Math.min(pos + 1, MAX_POSITION);
  add(bigrams(title), 'B');
  pos = Math.min(pos + 1, MAX_POSITION);
  add(tokens(body), 'D');
  return [...positions].map(([lexeme, ps]) => `${quote(lexeme)}:${ps.join(',')}`).join(' ');
}

parentPort!.on('message', (job: Job) => {
  const out: Chunk = { deals: [], notices: [] };
  let checked = 0;
  for (let i = job.from; i < job.to; i++) {
    const { deal, notices } = generateDeal(job.seed, i, job.now);
    out.deals.push({ ...deal, tsv: vector(deal.name, [deal.tenderer_name, deal.agency_name ?? ''].join(' ')) });
    // As the projector does: the notice's own text, then the deal's name and parties.
    const extra = [deal.name, deal.tenderer_name, deal.agency_name ?? ''].join('\n');
    for (const n of notices) {
      const body = `${n.body}\n${extra}`;
      const tsv = vector(n.title, body);
      if (checked < 5) {
        checked++;
        if (tsv !== searchVector(n.title, body)) throw new Error(`tsvector of notice ${n.id} differs from searchVector`);
      }
      // As the projector does: the filter values the notice is found under (facet lexemes).
      out.notices.push({ ...n, tsv: withFacets(tsv, noticeFacets(n)) });
    }
  }
  parentPort!.postMessage(out);
});
