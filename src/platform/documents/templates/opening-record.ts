// 开标记录 (电子招标投标办法 §29–31): who bid, what they offered, how decryption went. A bid the
// bidder failed to decrypt counts as 撤销 (still counts towards the three-bid minimum); one that
// failed through the platform counts as 撤回 (DOMAIN.md §3).

import { formatYuan } from '../amount.ts';
import { chinaDateText, chinaDateTimeText } from '../format.ts';
import type { DocumentInput } from '../pdf.ts';
import { projectBlock, type TenderParties } from './common.ts';

export type DecryptionOutcome = 'decrypted' | 'bidder_failed' | 'platform_failed';

export const DECRYPTION_LABELS: Record<DecryptionOutcome, string> = {
  decrypted: '解密成功',
  bidder_failed: '投标人解密失败（视为撤销投标）',
  platform_failed: '因平台原因解密失败（视为撤回投标）',
};

export interface OpeningRecordInput extends TenderParties {
  openedAt: Date;
  place?: string;
  /** Opening items beyond the price, in column order (工期, 质量, 项目经理 …). */
  itemColumns?: string[];
  bids: {
    bidderName: string;
    receivedAt: Date;
    decryption: DecryptionOutcome;
    /** Null when the bid was not decrypted. */
    priceFen: number | null;
    items?: Record<string, string>;
    remark?: string;
  }[];
  /** 开标人, 记录人, 监督人 … */
  officials: { role: string; name: string }[];
  issuedAt: Date;
}

export function openingRecordDocument(r: OpeningRecordInput): DocumentInput {
  const items = r.itemColumns ?? [];
  const decrypted = r.bids.filter((b) => b.decryption === 'decrypted').length;
  return {
    title: '开标记录',
    meta: { dealCode: r.dealCode, lotCode: r.lotCode, issuedAt: r.issuedAt },
    blocks: [
      projectBlock(r, [
        { label: '开标时间', value: chinaDateTimeText(r.openedAt) },
        ...(r.place ? [{ label: '开标地点', value: r.place }] : []),
      ]),
      { kind: 'paragraph', text: `投标截止时间前共收到 ${r.bids.length} 份投标文件，其中 ${decrypted} 份解密成功。开标结果如下：` },
      {
        kind: 'table',
        columns: [
          { header: '序号', width: 0.5, align: 'center' },
          { header: '投标人', width: 2.2 },
          { header: '递交时间', width: 1.5 },
          { header: '解密情况', width: 1.5 },
          { header: '投标报价（元）', width: 1.4, align: 'right' },
          ...items.map((h) => ({ header: h, width: 1 })),
          { header: '备注', width: 1 },
        ],
        rows: r.bids.map((b, i) => [
          String(i + 1),
          b.bidderName,
          chinaDateTimeText(b.receivedAt),
          DECRYPTION_LABELS[b.decryption],
          b.priceFen === null ? '—' : formatYuan(b.priceFen),
          ...items.map((h) => b.items?.[h] ?? ''),
          b.remark ?? '',
        ]),
      },
      { kind: 'paragraph', text: '投标人对开标有异议的，应当在开标现场提出，招标人当场作出答复，并制作记录。' },
      { kind: 'signature', entries: r.officials.map((o) => ({ label: o.role, name: o.name, date: chinaDateText(r.openedAt) })) },
    ],
  };
}
