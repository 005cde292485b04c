// 中标通知书 (招标投标法 §45): sent to the winning bidder, copied to the others; the contract follows
// within 30 days (§46) at the winning price.

import { formatYuan, amountInCapitals } from '../amount.ts';
import { chinaDateText } from '../format.ts';
import type { DocumentInput } from '../pdf.ts';
import { issuerSeals, projectBlock, type TenderParties } from './common.ts';

export interface AwardNoticeInput extends TenderParties {
  noticeNo?: string;
  winnerName: string;
  winningPriceFen: number;
  /** 工期, 质量, 项目经理 … as the bid offered them. */
  terms?: { label: string; value: string }[];
  /** Days after receipt within which the contract is to be signed (招标投标法 §46: 30). */
  contractWithinDays?: number;
  issuedAt: Date;
}

export function awardNoticeDocument(n: AwardNoticeInput): DocumentInput {
  const date = chinaDateText(n.issuedAt);
  return {
    title: '中标通知书',
    ...(n.noticeNo ? { subtitle: `编号：${n.noticeNo}` } : {}),
    meta: { dealCode: n.dealCode, lotCode: n.lotCode, issuedAt: n.issuedAt },
    blocks: [
      { kind: 'paragraph', text: `${n.winnerName}：`, indent: false },
      { kind: 'paragraph', text: `你方递交的${n.projectName}${n.lotName}投标文件已被我方接受，经评标委员会评审并依法公示，你方被确定为中标人。` },
      projectBlock(n, [
        { label: '中标人', value: n.winnerName },
        { label: '中标价（小写）', value: `¥${formatYuan(n.winningPriceFen)} 元` },
        { label: '中标价（大写）', value: `人民币${amountInCapitals(n.winningPriceFen)}` },
        ...(n.terms ?? []),
      ]),
      {
        kind: 'paragraph',
        text: `请你方在接到本通知书之日起 ${n.contractWithinDays ?? 30} 日内，按照招标文件和你方投标文件与我方订立书面合同，合同价款不得背离中标价。`,
      },
      issuerSeals(n, date),
    ],
  };
}
