// Pieces the tender documents share.

import type { DocumentBlock } from '../pdf.ts';

export interface TenderParties {
  dealCode: string;
  lotCode: string;
  projectName: string;
  lotName: string;
  tendererName: string;
  agencyName?: string;
}

/** 项目名称 / 标段 / 招标人 / 招标代理机构 as a key-value block. */
export function projectBlock(p: TenderParties, extra: { label: string; value: string }[] = []): DocumentBlock {
  return {
    kind: 'kv',
    items: [
      { label: '项目名称', value: p.projectName },
      { label: '标段名称', value: `${p.lotName}（${p.lotCode}）` },
      { label: '招标人', value: p.tendererName },
      ...(p.agencyName ? [{ label: '招标代理机构', value: p.agencyName }] : []),
      ...extra,
    ],
  };
}

/** 招标人（盖章）and, when there is one, 招标代理机构（盖章）, dated. */
export function issuerSeals(p: TenderParties, date: string): DocumentBlock {
  return {
    kind: 'signature',
    align: 'right',
    entries: [
      { label: '招标人（盖章）', name: p.tendererName, date },
      ...(p.agencyName ? [{ label: '招标代理机构（盖章）', name: p.agencyName, date }] : []),
    ],
  };
}
