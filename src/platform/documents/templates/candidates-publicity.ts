// 中标候选人公示 (实施条例 §54): within 3 days of receiving the report, for at least 3 days;
// objections to the evaluation result are raised during the publicity.

import { formatYuan } from '../amount.ts';
import { chinaDateText, chinaDateTimeText } from '../format.ts';
import type { DocumentInput } from '../pdf.ts';
import { issuerSeals, projectBlock, type TenderParties } from './common.ts';

export interface CandidatesPublicityInput extends TenderParties {
  candidates: { rank: number; bidderName: string; priceFen: number; totalPoints?: number | null; evaluatedPriceFen?: number | null; projectManager?: string }[];
  rejected?: { bidderName: string; reason: string }[];
  publicityStart: Date;
  publicityEnd: Date;
  /** How to raise an objection: office, telephone … */
  objectionContact?: string;
  issuedAt: Date;
}

export function candidatesPublicityDocument(p: CandidatesPublicityInput): DocumentInput {
  const withPoints = p.candidates.some((c) => typeof c.totalPoints === 'number');
  const withEvaluated = p.candidates.some((c) => typeof c.evaluatedPriceFen === 'number');
  return {
    title: '中标候选人公示',
    meta: { dealCode: p.dealCode, lotCode: p.lotCode, issuedAt: p.issuedAt },
    blocks: [
      projectBlock(p),
      { kind: 'paragraph', text: `${p.projectName}${p.lotName}已完成评标，现将评标委员会推荐的中标候选人公示如下：` },
      {
        kind: 'table',
        columns: [
          { header: '排序', width: 0.6, align: 'center' },
          { header: '中标候选人', width: 2.6 },
          { header: '投标报价（元）', width: 1.5, align: 'right' },
          ...(withPoints ? [{ header: '综合得分', width: 1, align: 'right' as const }] : []),
          ...(withEvaluated ? [{ header: '评标价（元）', width: 1.5, align: 'right' as const }] : []),
          { header: '项目负责人', width: 1 },
        ],
        rows: p.candidates.map((c) => [
          `第${c.rank}名`,
          c.bidderName,
          formatYuan(c.priceFen),
          ...(withPoints ? [typeof c.totalPoints === 'number' ? c.totalPoints.toFixed(2) : ''] : []),
          ...(withEvaluated ? [typeof c.evaluatedPriceFen === 'number' ? formatYuan(c.evaluatedPriceFen) : ''] : []),
          c.projectManager ?? '',
        ]),
      },
      ...(p.rejected && p.rejected.length > 0
        ? [{ kind: 'table' as const, caption: '被否决的投标', columns: [{ header: '投标人', width: 1.5 }, { header: '否决理由', width: 3 }], rows: p.rejected.map((r) => [r.bidderName, r.reason]) }]
        : []),
      {
        kind: 'paragraph',
        text: `公示期：${chinaDateTimeText(p.publicityStart)} 至 ${chinaDateTimeText(p.publicityEnd)}。投标人或者其他利害关系人对评标结果有异议的，应当在中标候选人公示期间向招标人提出。${p.objectionContact ? `联系方式：${p.objectionContact}。` : ''}`,
      },
      issuerSeals(p, chinaDateText(p.issuedAt)),
    ],
  };
}
