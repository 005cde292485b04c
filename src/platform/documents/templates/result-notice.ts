// 中标结果公告: published after the award notice is issued.

import { amountInCapitals, formatYuan } from '../amount.ts';
import { chinaDateText } from '../format.ts';
import type { DocumentInput } from '../pdf.ts';
import { issuerSeals, projectBlock, type TenderParties } from './common.ts';

export interface ResultNoticeInput extends TenderParties {
  winnerName: string;
  winningPriceFen: number;
  awardedAt: Date;
  terms?: { label: string; value: string }[];
  issuedAt: Date;
}

export function resultNoticeDocument(r: ResultNoticeInput): DocumentInput {
  return {
    title: '中标结果公告',
    meta: { dealCode: r.dealCode, lotCode: r.lotCode, issuedAt: r.issuedAt },
    blocks: [
      { kind: 'paragraph', text: `${r.projectName}${r.lotName}的招标工作已经结束，中标人已经确定，现将中标结果公告如下：` },
      projectBlock(r, [
        { label: '中标人', value: r.winnerName },
        { label: '中标价', value: `¥${formatYuan(r.winningPriceFen)} 元（人民币${amountInCapitals(r.winningPriceFen)}）` },
        { label: '定标日期', value: chinaDateText(r.awardedAt) },
        ...(r.terms ?? []),
      ]),
      { kind: 'paragraph', text: '投标人或者其他利害关系人认为招标投标活动不符合法律、行政法规规定的，可以自知道或者应当知道之日起 10 日内向有关行政监督部门投诉。' },
      issuerSeals(r, chinaDateText(r.issuedAt)),
    ],
  };
}
