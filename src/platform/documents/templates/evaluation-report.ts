// 评标报告 rendered from the structured report of the evaluation module (a type-only dependency:
// the report is plain JSON, stored by the trading procedure). Every member signs it.

import type { EvaluationReport } from '../../../modules/evaluation/evaluation.report.ts';
import { formatYuan } from '../amount.ts';
import { chinaDateText, chinaDateTimeText } from '../format.ts';
import type { DocumentBlock, DocumentInput } from '../pdf.ts';

const pts = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(2) : '—');

function resultTable(r: EvaluationReport): DocumentBlock {
  const ranked = r.bids.filter((b) => b.valid);
  if (r.method.kind === 'lowest_evaluated_price') {
    return {
      kind: 'table',
      caption: '评审结果及排序',
      columns: [
        { header: '排序', width: 0.6, align: 'center' },
        { header: '投标人', width: 2.4 },
        { header: '投标报价（元）', width: 1.4, align: 'right' },
        { header: '价格调整', width: 2.2 },
        { header: '评标价（元）', width: 1.4, align: 'right' },
      ],
      rows: ranked.map((b) => [
        String(b.rank ?? ''),
        b.bidderName,
        formatYuan(b.priceFen),
        b.adjustments.length > 0 ? b.adjustments.map((a) => `${a.amountFen >= 0 ? '+' : ''}${formatYuan(a.amountFen)}（${a.reason}）`).join('；') : '无',
        b.evaluatedPriceFen === null ? '—' : formatYuan(b.evaluatedPriceFen),
      ]),
    };
  }
  return {
    kind: 'table',
    caption: '评审结果及排序',
    columns: [
      { header: '排序', width: 0.6, align: 'center' },
      { header: '投标人', width: 2.4 },
      { header: '投标报价（元）', width: 1.5, align: 'right' },
      { header: '技术得分', width: 0.9, align: 'right' },
      { header: '商务得分', width: 0.9, align: 'right' },
      { header: '价格得分', width: 0.9, align: 'right' },
      { header: '总分', width: 0.9, align: 'right' },
    ],
    rows: ranked.map((b) => [String(b.rank ?? ''), b.bidderName, formatYuan(b.priceFen), pts(b.subtotals?.technical), pts(b.subtotals?.commercial), pts(b.subtotals?.price), pts(b.totalPoints)]),
  };
}

function criterionTable(r: EvaluationReport): DocumentBlock[] {
  if (r.method.kind !== 'comprehensive') return [];
  const valid = r.bids.filter((b) => b.valid);
  const first = valid[0];
  if (!first) return [];
  return [
    {
      kind: 'table',
      caption: '各评审因素得分（评委评分的平均值）',
      columns: [{ header: '评审因素（满分）', width: 2 }, ...valid.map((b) => ({ header: b.bidderName, width: 1, align: 'right' as const }))],
      rows: first.criteria.map((c, i) => [`${c.name}（${c.maxPoints}）`, ...valid.map((b) => pts(b.criteria[i]?.points))]),
    },
  ];
}

function expertTables(r: EvaluationReport): DocumentBlock[] {
  return r.expertTables.flatMap((t): DocumentBlock[] => {
    if (t.criteria.length === 0) return [];
    const reasons = t.rows.flatMap((row) => row.reasons.map((x) => `${row.bidderName}·${t.criteria.find((c) => c.criterionId === x.criterionId)?.name ?? x.criterionId}：${x.reason}`));
    return [
      {
        kind: 'table',
        caption: `评委 ${t.name} 评分表`,
        columns: [
          { header: '投标人', width: 2 },
          ...t.criteria.map((c) => ({ header: c.maxPoints === null ? c.name : `${c.name}（${c.maxPoints}）`, width: 1, align: 'right' as const })),
          ...(r.method.kind === 'comprehensive' ? [{ header: '小计', width: 0.8, align: 'right' as const }] : []),
        ],
        rows: t.rows.map((row) => [
          row.bidderName,
          ...row.marks.map((m) => (m === null ? '—' : typeof m === 'boolean' ? (m ? '合格' : '不合格') : m.toFixed(2))),
          ...(r.method.kind === 'comprehensive' ? [pts(row.subtotal)] : []),
        ]),
      },
      ...(reasons.length > 0 ? [{ kind: 'paragraph' as const, text: `评分说明：${reasons.join('；')}`, indent: false }] : []),
    ];
  });
}

export function evaluationReportDocument(r: EvaluationReport): DocumentInput {
  const issuedAt = new Date(r.generatedAt);
  const blocks: DocumentBlock[] = [
    {
      kind: 'kv',
      items: [
        ...(r.projectName ? [{ label: '项目名称', value: r.projectName }] : []),
        { label: '标段', value: `${r.lotName ?? ''}（${r.lotCode}）` },
        { label: '评标办法', value: r.method.label },
        { label: '评标委员会', value: r.panel.map((m) => m.name).join('、') },
        { label: '报告生成时间', value: chinaDateTimeText(issuedAt) },
      ],
    },
    { kind: 'heading', text: '一、评标办法' },
    ...r.method.description.map((text): DocumentBlock => ({ kind: 'paragraph', text })),
  ];
  if (r.benchmark) {
    const trimmed = r.benchmark.trimmedBidIds.map((id) => r.bids.find((b) => b.bidId === id)?.bidderName ?? id);
    blocks.push({
      kind: 'paragraph',
      text:
        r.benchmark.formula === 'benchmark_mean'
          ? `本次参与计算的有效投标报价平均值为 ${formatYuan(r.benchmark.meanFen ?? 0)} 元${trimmed.length > 0 ? `（已去掉最高价、最低价：${trimmed.join('、')}）` : ''}，评标基准价为 ${formatYuan(r.benchmark.benchmarkFen)} 元。`
          : `最低有效投标报价（评标基准价）为 ${formatYuan(r.benchmark.benchmarkFen)} 元。`,
    });
  }
  blocks.push({ kind: 'heading', text: '二、否决投标情况' });
  blocks.push(
    r.rejected.length > 0
      ? {
          kind: 'table',
          columns: [
            { header: '投标人', width: 2 },
            { header: '否决理由', width: 3 },
            { header: '提出否决的评委', width: 1.6 },
          ],
          rows: r.rejected.map((x) => [x.bidderName, x.reasons.join('；'), x.votes.join('、') || '—']),
        }
      : { kind: 'paragraph', text: '无。' },
  );
  blocks.push({ kind: 'heading', text: '三、评审结果' }, resultTable(r), ...criterionTable(r));
  blocks.push({ kind: 'heading', text: '四、推荐的中标候选人' });
  if (r.status === 'insufficient_competition') {
    blocks.push({ kind: 'paragraph', text: `有效投标共 ${r.validBidCount} 个，不足 ${r.minValidBids} 个，评标委员会认定投标明显缺乏竞争，不推荐中标候选人。` });
  } else {
    blocks.push({
      kind: 'table',
      columns: [
        { header: '排序', width: 0.6, align: 'center' },
        { header: '中标候选人', width: 2.6 },
        { header: '投标报价（元）', width: 1.5, align: 'right' },
        { header: r.method.kind === 'comprehensive' ? '总分' : '评标价（元）', width: 1.3, align: 'right' },
      ],
      rows: r.candidates.map((c) => [
        `第${c.rank}名`,
        c.bidderName,
        formatYuan(c.priceFen),
        r.method.kind === 'comprehensive' ? pts(c.totalPoints) : c.evaluatedPriceFen === null ? '—' : formatYuan(c.evaluatedPriceFen),
      ]),
    });
  }
  blocks.push({ kind: 'heading', text: '五、评委评分明细' }, ...expertTables(r));
  blocks.push({ kind: 'heading', text: '六、评标委员会成员签字' });
  blocks.push({ kind: 'paragraph', text: '评标委员会全体成员对本报告确认如下（对评标结果有不同意见的，应以书面形式说明并记载理由）：', indent: false });
  blocks.push({ kind: 'signature', entries: r.signatures.map((s) => ({ label: '评委', name: s.name, date: chinaDateText(issuedAt) })) });
  return {
    title: '评标报告',
    ...(r.projectName ? { subtitle: `${r.projectName}${r.lotName ? ` ${r.lotName}` : ''}` } : {}),
    meta: { dealCode: r.dealCode, lotCode: r.lotCode, issuedAt },
    blocks,
  };
}
