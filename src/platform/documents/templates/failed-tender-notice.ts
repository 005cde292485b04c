// 招标失败公告: fewer than 3 bids at the deadline (招标投标法 §28), competition deemed insufficient
// or every bid rejected by the committee (实施条例 §51, 评标委员会和评标方法暂行规定 §27).

import { chinaDateText } from '../format.ts';
import type { DocumentInput } from '../pdf.ts';
import { issuerSeals, projectBlock, type TenderParties } from './common.ts';

export type FailureReason = 'insufficient_bids' | 'insufficient_competition' | 'all_rejected' | 'other';

export const FAILURE_REASON_LABELS: Record<FailureReason, string> = {
  insufficient_bids: '投标截止时递交投标文件的投标人少于 3 个，依法不予开标',
  insufficient_competition: '有效投标不足 3 个，评标委员会认定投标明显缺乏竞争，否决全部投标',
  all_rejected: '所有投标均被评标委员会否决',
  other: '其他原因',
};

export interface FailedTenderNoticeInput extends TenderParties {
  reason: FailureReason;
  /** Detail in Chinese; required in practice for `other`. */
  reasonText?: string;
  /** What happens next; default 「招标人将依法重新组织招标」. */
  nextStep?: string;
  issuedAt: Date;
}

export function failedTenderNoticeDocument(n: FailedTenderNoticeInput): DocumentInput {
  const reason = FAILURE_REASON_LABELS[n.reason] + (n.reasonText ? `：${n.reasonText}` : '');
  return {
    title: '招标失败公告',
    meta: { dealCode: n.dealCode, lotCode: n.lotCode, issuedAt: n.issuedAt },
    blocks: [
      projectBlock(n),
      { kind: 'paragraph', text: `${n.projectName}${n.lotName}因${reason}，本次招标失败。` },
      { kind: 'paragraph', text: `${n.nextStep ?? '招标人将依法重新组织招标'}。` },
      issuerSeals(n, chinaDateText(n.issuedAt)),
    ],
  };
}
