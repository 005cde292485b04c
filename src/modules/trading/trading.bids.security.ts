// Bid security (投标保证金): cash from the bidder's basic account, or an electronic guarantee
// signed by a registered issuer; and the register of those issuers (staff).

import crypto from 'node:crypto';
import type { Deps } from '../../platform/deps.ts';
import { canonicalJson } from '../../platform/audit/canonical.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { isValidSm2PublicKey, sm2Verify } from '../../platform/crypto/sm2.ts';
import { checkUscc } from '../../platform/validation/ids.ts';
import { addDays, chinaDate } from '../credit/credit.rules.ts';
import { sealValue } from '../registry/registry.profile.ts';
import * as repo from './trading.bids.repository.ts';
import { bidWindowRefusal } from './trading.bids.rules.ts';
import { bidSecurityLimit, DEFAULT_TENDER_RULES, type TenderRules } from './trading.schedule.ts';
import { dealTime, entityOf, windowOf, type Actor, type Hooks } from './trading.bids.service.ts';

export interface GuaranteeDocument {
  guaranteeNo: string;
  issuerUscc: string;
  /** USCC of the tenderer. */
  beneficiary: string;
  /** USCC of the bidder. */
  applicant: string;
  dealCode: string;
  lotCode: string;
  amountFen: number;
  /** Calendar days (CST), both included. */
  validFrom: string;
  validTo: string;
}

export type SecurityInput = { form: 'cash'; amountFen: number; payingAccount: string } | { form: 'guarantee'; guarantee: GuaranteeDocument; signature: string };

export async function lodgeSecurity(deps: Deps, actor: Actor, lotId: string, input: SecurityInput, rules: TenderRules = DEFAULT_TENDER_RULES, hooks?: Hooks<repo.SecurityRow>): Promise<repo.SecurityRow> {
  const entityId = entityOf(actor);
  const w = await windowOf(deps.db, lotId);
  const at = dealTime(w, actor.now);
  const late = bidWindowRefusal(w, at);
  if (late) throw conflict(late.message, 'lot', late.rule);
  const bidder = await repo.bidderFacts(deps.db, entityId);
  if (!bidder?.uscc) throw invalid('bidder', 'bidder_kind', '工程建设项目的投标人须为法人或其他组织');

  const amount = input.form === 'cash' ? input.amountFen : input.guarantee.amountFen;
  const field = input.form === 'cash' ? 'body.amountFen' : 'body.guarantee.amountFen';
  const cap = bidSecurityLimit(w.estimatedPriceFen, w.lotKind, rules).limitFen;
  if (amount < w.bidSecurityFen) throw invalid(field, 'amount_required', `投标保证金不得少于招标文件要求的 ${(w.bidSecurityFen / 100).toFixed(2)} 元`);
  if (amount > cap) throw invalid(field, 'amount_cap', `投标保证金不得超过估算价的 2% 且不超过法定上限，本标段最多 ${(cap / 100).toFixed(2)} 元`);

  let row: Parameters<typeof repo.insertSecurity>[1];
  const base = { id: crypto.randomUUID(), lot_id: lotId, bidder_entity_id: entityId, bid_id: (await repo.standingBid(deps.db, lotId, entityId))?.id ?? null, amount_fen: amount, status: 'active' as const, submitted_by: actor.principal.accountId, submitted_at: at };
  if (input.form === 'cash') {
    const account = bidder.profile?.bankAccount;
    // The registry keeps the basic account only sealed, with a keyed digest: compare digests
    // (computed by the registry's own sealing function), never the number in clear.
    if (!account || sealValue(deps.keys.master, entityId, input.payingAccount, '').digest !== account.number.digest) {
      throw invalid('body.payingAccount', 'basic_account', '投标保证金须从本主体登记的基本账户缴纳');
    }
    row = { ...base, form: 'cash', paying_account_masked: account.number.masked, paying_account_digest: account.number.digest, guarantee: null, guarantee_signature: null, issuer_id: null, verified: false };
  } else {
    const g = input.guarantee;
    const issuer = await repo.issuerByUscc(deps.db, g.issuerUscc);
    if (!issuer || issuer.status !== 'active') throw invalid('body.guarantee.issuerUscc', 'issuer_registered', '出具保函的机构未在平台登记或已暂停');
    if (!sm2Verify(canonicalJson(g), input.signature, issuer.public_key)) throw invalid('body.signature', 'guarantee_signature', '电子保函的签名无效（须由登记的出具机构以 SM2 签名）');
    if (g.dealCode !== w.dealCode || g.lotCode !== w.lotCode) throw invalid('body.guarantee.lotCode', 'guarantee_lot', '电子保函载明的交易项目或标段与本标段不符');
    if (g.applicant !== bidder.uscc) throw invalid('body.guarantee.applicant', 'guarantee_applicant', '电子保函的申请人不是本主体');
    const tenderer = await repo.bidderFacts(deps.db, w.tendererEntityId);
    if (g.beneficiary !== tenderer?.uscc) throw invalid('body.guarantee.beneficiary', 'guarantee_beneficiary', '电子保函的受益人不是本项目招标人');
    // The security must hold from the deadline to the end of the bid validity period.
    const from = chinaDate(w.bidDeadline);
    const to = addDays(from, await repo.bidValidityDays(deps.db, w.projectId));
    if (g.validFrom > from || g.validTo < to) throw invalid('body.guarantee.validTo', 'guarantee_validity', `电子保函的有效期须覆盖投标有效期（${from} 至 ${to}）`);
    row = { ...base, form: 'guarantee', paying_account_masked: null, paying_account_digest: null, guarantee: JSON.stringify(g), guarantee_signature: input.signature, issuer_id: issuer.id, verified: true };
  }
  return deps.db.transaction().execute(async (trx) => {
    await repo.lockBidderSlot(trx, lotId, entityId);
    await repo.supersedeSecurities(trx, lotId, entityId);
    await repo.insertSecurity(trx, row);
    const saved = (await repo.activeSecurity(trx, lotId, entityId))!;
    await hooks?.within?.(trx, saved);
    return saved;
  });
}

export async function registerIssuer(deps: Deps, actor: Actor, input: { name: string; uscc: string; publicKey: string }, hooks?: Hooks<repo.IssuerRow>): Promise<repo.IssuerRow> {
  const uscc = checkUscc(input.uscc);
  if (!uscc.ok) throw invalid('body.uscc', uscc.rule, '统一社会信用代码不正确');
  const publicKey = input.publicKey.toLowerCase();
  if (!/^04[0-9a-f]{128}$/.test(publicKey) || !isValidSm2PublicKey(publicKey)) throw invalid('body.publicKey', 'sm2_public_key', '公钥必须是有效的 SM2 公钥（04 开头的非压缩点）');
  return deps.db.transaction().execute(async (trx) => {
    if (await repo.issuerByUscc(trx, uscc.normalized)) throw conflict('该机构已登记', 'body.uscc');
    await repo.insertIssuer(trx, { id: crypto.randomUUID(), name: input.name, uscc: uscc.normalized, public_key: publicKey, status: 'active', created_by: actor.principal.accountId, created_at: actor.now });
    const row = (await repo.issuerByUscc(trx, uscc.normalized))!;
    await hooks?.within?.(trx, row);
    return row;
  });
}

export async function listIssuers(deps: Deps): Promise<repo.IssuerRow[]> {
  return repo.listIssuers(deps.db);
}
