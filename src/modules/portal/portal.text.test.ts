import { describe, expect, it } from 'vitest';
import { allOf, bigrams, highlight, independentMatches, indexTokens, lexemesOf, matchBound, noticeFacets, queryTokens, requiring, searchVector, snippet, withFacets, withoutCommon, wordsQuery } from './portal.text.ts';

describe('portal text', () => {
  it('segments with the procurement dictionary, dropping punctuation and function words', () => {
    expect(queryTokens('中标候选人公示')).toEqual(['中标候选人公示']);
    expect(queryTokens('  老旧小区改造 的 工程， ')).toEqual(['老旧小区改造', '工程']);
    // Search mode also indexes the dictionary words inside a long word.
    expect(indexTokens('太原市迎泽区市政道路改造')).toEqual(expect.arrayContaining(['太原', '太原市', '迎泽区', '市政道路', '道路', '改造']));
  });

  it('lets a query word match as its dictionary parts, which is how a longer indexed word holds it', () => {
    // 中标结果公告 is indexed as 中标 / 结果 / 公告 / 中标结果公告: the query 中标结果 must still find it.
    expect(indexTokens('中标结果公告')).not.toContain('中标结果');
    expect(wordsQuery(['中标结果', '公示'])?.tsquery).toBe("('中标结果' | '中标' & '结果') & '公示'");
    expect(wordsQuery([])).toBeNull();
  });

  it('bounds the rows a query can match by its lexemes: the rarest required group, a word or all its parts', () => {
    const q = wordsQuery(['中标结果', '公示'])!;
    expect(lexemesOf(q)).toEqual(['中标结果', '中标', '结果', '公示']);
    const rows: Record<string, number> = { 中标结果: 3, 中标: 900, 结果: 40, 公示: 5000 };
    // 中标结果 alone (3) or 中标 & 结果 (at most 40): 43; 公示 is 5000; both are required.
    expect(matchBound(q, (l) => rows[l] ?? 0)).toBe(43);
    expect(matchBound(q, (l) => (l === '公示' ? 7 : (rows[l] ?? 0)))).toBe(7);
    expect(matchBound(allOf(['学校', '施工'])!, (l) => (l === '学校' ? 12 : 0))).toBe(0);
  });

  it('estimates the rows of independent groups as the product of their shares, at most the bound', () => {
    const q = wordsQuery(['中标结果', '公示'])!;
    const rows: Record<string, number> = { 中标结果: 3, 中标: 900, 结果: 40, 公示: 5000 };
    // (3 + 40) / 10,000 × 5,000 / 10,000 × 10,000 rows.
    expect(independentMatches(q, (l) => rows[l] ?? 0, 10_000)).toBeCloseTo(21.5);
    expect(independentMatches(q, (l) => rows[l] ?? 0, 10_000)).toBeLessThanOrEqual(matchBound(q, (l) => rows[l] ?? 0));
    // A group can hold no more than every row.
    expect(independentMatches(allOf(['招标'])!, () => 12_000, 10_000)).toBe(10_000);
    expect(independentMatches(q, (l) => rows[l] ?? 0, 0)).toBe(0);
  });

  it('leaves the words in at least the given share of rows out of the index lookup, keeping one unless filters narrow it', () => {
    const rows: Record<string, number> = { 国有: 2410, 建设: 7924, 用地: 442, 招标: 10_000, 工程: 9542 };
    const at = (l: string) => rows[l] ?? 0;
    expect(withoutCommon(allOf(['国有', '建设', '用地'])!, at, 10_000, 0.5, 0)?.tsquery).toBe("'国有' & '用地'");
    // At the boundary: a share of exactly 0.5 is common.
    expect(withoutCommon(allOf(['国有', '建设'])!, (l) => (l === '建设' ? 5000 : at(l)), 10_000, 0.5, 0)?.tsquery).toBe("'国有'");
    expect(withoutCommon(allOf(['国有', '建设'])!, (l) => (l === '建设' ? 4999 : at(l)), 10_000, 0.5, 0)).toBeNull();
    // Only common words: the rarest stays, or none when a filter's facet narrows the lookup.
    expect(withoutCommon(allOf(['招标', '工程'])!, at, 10_000, 0.5, 0)?.tsquery).toBe("'工程'");
    const none = withoutCommon(allOf(['招标', '工程'])!, at, 10_000, 0.5, 1)!;
    expect(requiring(none, ['city 140100'])).toBe("'city 140100'");
    // A single common word is the whole lookup.
    expect(withoutCommon(allOf(['招标'])!, at, 10_000, 0.5, 0)).toBeNull();
    // A group counts its word and its rarest part (中标结果 | 中标 & 结果).
    expect(withoutCommon(wordsQuery(['中标结果', '用地'])!, (l) => ({ 中标结果: 100, 中标: 6000, 结果: 4950, 用地: 442 })[l] ?? 0, 10_000, 0.5, 0)?.tsquery).toBe("'用地'");
  });

  it('makes title bigrams and keeps ASCII words whole', () => {
    expect(bigrams('冈区学校 LED屏')).toEqual(['冈区', '区学', '学校', 'led', '屏']);
  });

  it('writes a tsvector literal whose quotes and backslashes cannot break out', () => {
    const v = searchVector("O'Brien\\工程 ''x'' \\'", "正文'; DROP TABLE x; --");
    // Every entry is a quoted lexeme (quotes doubled, backslashes doubled) with its positions.
    expect(v.split(' ').every((entry) => /^'(?:[^'\\]|''|\\\\)+':[0-9ABD,]+$/.test(entry))).toBe(true);
    expect(allOf(["a'b", '工程'])?.tsquery).toBe("'a''b' & '工程'");
    expect(allOf([])).toBeNull();
  });

  it('adds the filter values as lexemes without positions that no query word can be', () => {
    const facets = noticeFacets({ kind: 'tender', category: 'construction', region_code: '140105', city_code: '140100' });
    expect(facets).toEqual(['all notices', 'kind tender', 'category construction', 'region 140105', 'city 140100']);
    expect(noticeFacets({ kind: 'result', category: 'land', region_code: '140000', city_code: null })).not.toContain(expect.stringMatching(/^city /));
    expect(withFacets("'道路':1A", facets)).toBe("'道路':1A 'all notices' 'kind tender' 'category construction' 'region 140105' 'city 140100'");
    expect(withFacets('', ['all notices'])).toBe("'all notices'");
    // Query tokens are split at spaces: "kind tender" typed in a search is two words.
    expect(queryTokens('kind tender')).toEqual(['kind', 'tender']);
    expect(requiring(wordsQuery(['道路'])!, ['city 140100'])).toBe("('道路') & 'city 140100'");
    expect(requiring(wordsQuery(['道路'])!, [])).toBe("'道路'");
  });

  it('weights title words A, title bigrams B and body words D', () => {
    const v = searchVector('道路工程', '排水');
    expect(v).toMatch(/'道路':\d+A/);
    expect(v).toMatch(/'路工':\d+B/);
    expect(v).toMatch(/'排水':\d+D/);
  });

  it('highlights terms longest first and escapes everything else', () => {
    expect(highlight('<b>道路工程</b>', ['道路', '道路工程']).html).toBe('&lt;b&gt;<mark>道路工程</mark>&lt;/b&gt;');
    expect(highlight('无关', ['道路'])).toEqual({ html: '无关', hit: false });
    const s = snippet(`${'前文'.repeat(100)}关键段落${'后文'.repeat(100)}`, ['关键'], 40);
    expect(s.hit).toBe(true);
    expect(s.html.startsWith('…')).toBe(true);
    expect(s.html).toContain('<mark>关键</mark>');
  });
});
