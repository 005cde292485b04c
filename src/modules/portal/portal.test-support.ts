// Factories of the portal tests (not a test file itself): deals published straight onto the deal
// event stream, exactly as the procedures publish them (project_accepted, lot_coded and the
// publishing events carrying `payload.notice`), so a test of the portal can lay out a fixed
// corpus without running a tender for each entry. The real procedure is covered too: the
// portal's HTTP test runs one through the API.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { appendDealEvent, type DealEventType } from '../../platform/events/deal-events.ts';
import { buildDealCode, lotCode as lotCodeOf } from '../coding/coding.rules.ts';

let serial = 900_000;

export interface CorpusNotice {
  kind?: 'tender' | 'amendment' | 'opening_record' | 'failure' | 'candidates' | 'result' | 'contract';
  title: string;
  body: string;
  at: Date;
  bidDeadline?: Date;
  correctsId?: string;
}

export interface CorpusDeal {
  name: string;
  regionCode?: string;
  category?: string;
  tendererName?: string;
  acceptedAt: Date;
  notices: CorpusNotice[];
}

const EVENT_OF: Record<NonNullable<CorpusNotice['kind']>, DealEventType> = {
  tender: 'notice_published',
  amendment: 'clarification_issued',
  opening_record: 'opening_published',
  failure: 'tender_failed',
  candidates: 'candidates_published',
  result: 'result_published',
  contract: 'contract_recorded',
};

/** Appends a deal's acceptance, one lot and its notices; returns the codes and notice ids. */
export async function publishDeal(db: Kysely<DB>, platformUscc: string, d: CorpusDeal): Promise<{ dealCode: string; lotCode: string; noticeIds: string[] }> {
  serial += 1;
  const day = new Date(d.acceptedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const dealCode = buildDealCode(platformUscc, day, serial);
  const lotCode = lotCodeOf(dealCode, 1);
  const noticeIds: string[] = [];
  await db.transaction().execute(async (trx) => {
    await appendDealEvent(trx, {
      dealCode,
      type: 'project_accepted',
      payload: { projectId: crypto.randomUUID(), name: d.name, category: d.category ?? 'construction_works', regionCode: d.regionCode ?? '140105', tendererName: d.tendererName ?? '太原市某某建设单位', agencyName: null, tenderMethod: 'open', supervisingDepartment: '住房和城乡建设局' },
      at: d.acceptedAt,
    });
    await appendDealEvent(trx, { dealCode, lotCode, type: 'lot_coded', payload: { lotId: crypto.randomUUID(), lotNo: 1, name: '第一标段', estimatedPriceFen: 1_000_000_00 }, at: d.acceptedAt });
    for (const n of d.notices) {
      const id = crypto.randomUUID();
      noticeIds.push(id);
      const kind = n.kind ?? 'tender';
      const lotLevel = !['tender', 'amendment'].includes(kind);
      const notice = { id, kind, title: n.title, body: n.body, lotCode: lotLevel ? lotCode : null, correctsId: n.correctsId ?? null, documentSm3: null, publishedAt: n.at.toISOString() };
      const deadline = (n.bidDeadline ?? new Date(n.at.getTime() + 21 * 86_400_000)).toISOString();
      const payload: Record<string, unknown> = { noticeId: id, notice };
      if (kind === 'tender') Object.assign(payload, { kind: 'tender', title: n.title, documentsFrom: n.at.toISOString(), documentsUntil: n.at.toISOString(), bidDeadline: deadline });
      if (kind === 'amendment') Object.assign(payload, { number: 1, title: n.title, deadlineBefore: deadline, deadlineAfter: deadline });
      await appendDealEvent(trx, { dealCode, lotCode: lotLevel ? lotCode : null, type: EVENT_OF[kind], payload, at: n.at });
    }
  });
  return { dealCode, lotCode, noticeIds };
}
