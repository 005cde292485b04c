// The written contract and the end of the lot: the owner records the contract signed with the
// winner within 30 days of the award notice, at exactly the winning price (招标投标法 §46), with
// its PDF; the platform publishes the contract notice (合同公示), releases every bidder's
// security (due within 5 days, 实施条例 §57, trading.release.ts) and closes the lot — and the
// project, when it was the last lot still open. One transaction.

import { appendAudit } from '../../platform/audit/audit.ts';
import { chinaDate } from '../../platform/calendar/china-calendar.ts';
import type { Deps } from '../../platform/deps.ts';
import { amountInCapitals, formatYuan } from '../../platform/documents/amount.ts';
import { projectBlock } from '../../platform/documents/templates/common.ts';
import { chinaDateText } from '../../platform/documents/format.ts';
import { AppError, invalid, type FieldError } from '../../platform/errors.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { dealNow, type Actor } from './trading.access.ts';
import { checkContractPrice, checkContractTime } from './trading.award.rules.ts';
import * as repo from './trading.evaluation.repository.ts';
import { finishProjectIfDone, guardLot, lockedLot, lotFor, moveLot, partiesOf, publishLotNotice, signedPdf } from './trading.lot-steps.ts';
import { releaseLotSecurities } from './trading.release.ts';
import { parseYuan } from './trading.money.ts';
import { eventActor } from './trading.projects.ts';

function refuse(code: 'conflict' | 'validation_failed', errors: FieldError[]): never {
  throw new AppError(code, errors[0]!.message, { errors, rule: errors[0]!.rule });
}

export interface ContractInput {
  /** Yuan, at most two decimals. */
  price: string;
  /** The day both parties signed (YYYY-MM-DD, China time). */
  signedOn: string;
  fileName: string;
  data: Buffer;
}

function contractNoticeDocument(parties: Awaited<ReturnType<typeof partiesOf>>, c: { winnerName: string; priceFen: number; signedOn: string; fileSm3: string; issuedAt: Date }) {
  return {
    title: '合同订立信息公示',
    meta: { dealCode: parties.dealCode, lotCode: parties.lotCode, issuedAt: c.issuedAt },
    blocks: [
      { kind: 'paragraph' as const, text: `${parties.projectName}${parties.lotName}的招标人与中标人已订立书面合同，现将合同订立信息公示如下：` },
      projectBlock(parties, [
        { label: '中标人', value: c.winnerName },
        { label: '合同价款', value: `¥${formatYuan(c.priceFen)} 元（人民币${amountInCapitals(c.priceFen)}）` },
        { label: '签订日期', value: c.signedOn },
        { label: '合同文件 SM3', value: c.fileSm3 },
      ]),
      { kind: 'paragraph' as const, text: `公示日期：${chinaDateText(c.issuedAt)}。` },
    ],
  };
}

export async function recordContract(deps: Deps, actor: Actor, lotId: string, input: ContractInput): Promise<{ contract: repo.ContractRow; releases: repo.ReleaseRow[] }> {
  const { project, lot } = await lotFor(deps, actor, lotId, 'manage');
  guardLot(lot, 'contract');
  const award = (await repo.findAward(deps.db, lotId))!;
  const now = dealNow(project, actor.now);
  const late = checkContractTime(award.awarded_at, now);
  if (late.length > 0) refuse('conflict', late);
  const priceFen = parseYuan(input.price);
  if (priceFen === undefined || priceFen === 0) throw invalid('price', 'money', '合同价款须为大于 0 的金额，单位元，最多两位小数');
  const price = checkContractPrice(priceFen, award.price_fen, formatYuan);
  if (price.length > 0) refuse('conflict', price);
  if (input.signedOn < chinaDate(award.awarded_at) || input.signedOn > chinaDate(now)) throw invalid('signedOn', 'range', `合同签订日期应在中标通知书发出之日（${chinaDate(award.awarded_at)}）至今天（${chinaDate(now)}）之间`);
  if (input.data.length === 0 || input.data.subarray(0, 5).toString('latin1') !== '%PDF-') throw invalid('body', 'pdf', '请上传合同文件的 PDF');
  const file = await deps.blobs.put(input.data);
  const parties = await partiesOf(deps.db, project, lot);
  const notice = await signedPdf(deps, contractNoticeDocument(parties, { winnerName: award.winner_name, priceFen, signedOn: input.signedOn, fileSm3: file.digest, issuedAt: now }));
  return deps.db.transaction().execute(async (trx) => {
    const { project: p, lot: current, to } = await lockedLot(trx, lotId, 'contract');
    const title = `${p.name}${current.name}合同订立信息公示`.slice(0, 200);
    const publicNotice = await publishLotNotice(trx, { project: p, lot: current, kind: 'contract', title, body: `中标人：${award.winner_name}；合同价款：${formatYuan(priceFen)} 元；签订日期：${input.signedOn}`, file: notice, by: actor.principal.accountId, at: now, createdAt: actor.now });
    const noticeId = publicNotice.id;
    await repo.insertContract(trx, { lot_id: lotId, price_fen: priceFen, signed_on: input.signedOn, file_name: input.fileName, file_digest: file.digest, file_size: file.size, notice_id: noticeId, recorded_at: now, recorded_by: actor.principal.accountId });
    const contracted = await moveLot(trx, current, to, actor.now);
    await appendDealEvent(trx, { dealCode: p.deal_code!, lotCode: current.lot_code, type: 'contract_recorded', payload: { priceFen, signedOn: input.signedOn, sm3: file.digest, noticeId, notice: publicNotice }, actor: eventActor(actor), at: now });
    await appendAudit(trx, auditContext(actor), { action: 'trading.contract.record', targetType: 'tender_lot', targetId: lotId, detail: { priceFen, sm3: file.digest, noticeId } });
    const releases = await releaseLotSecurities(trx, actor, p, contracted, now);
    await finishProjectIfDone(trx, actor, p);
    return { contract: (await repo.findContract(trx, lotId))!, releases };
  });
}
