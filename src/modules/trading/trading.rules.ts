// The construction tender procedure as two state machines of legal transitions only: the tender
// project (招标项目: registration, acceptance, notice and documents, bidding) and each of its lots
// (标段: from the deadline on, lots go their own ways — one may fail while another is awarded).
// A step out of order is refused with the reason, in Chinese, naming where the deal stands and
// what has to happen first. Pure: no I/O, no clock.

import type { LotStatus, ProjectStatus } from './trading.tables.ts';

export const PROJECT_STATUS_NAMES: Record<ProjectStatus, string> = {
  draft: '登记中',
  submitted: '待受理',
  returned: '已退回',
  accepted: '已受理',
  notice_review: '公告待审核',
  bidding: '投标中',
  after_deadline: '已截标',
  finished: '已结束',
};

export const LOT_STATUS_NAMES: Record<LotStatus, string> = {
  pending: '未开始',
  bidding: '投标中',
  failed: '招标失败',
  decrypting: '开标解密中',
  opened: '已开标',
  evaluating: '评标中',
  evaluated: '评标完成',
  publicity: '中标候选人公示中',
  awarded: '已定标',
  contracted: '已签订合同',
  closed: '已结束',
};

export type ProjectAction = 'edit' | 'submit' | 'withdraw' | 'accept' | 'return' | 'prepare_notice' | 'submit_notice' | 'reject_notice' | 'publish' | 'clarify' | 'download' | 'object' | 'close_bidding' | 'finish';

interface Transition<S extends string> {
  from: readonly S[];
  /** Omitted: the action does not change the state. */
  to?: S;
  /** What the action is, for the refusal message. */
  name: string;
}

export const PROJECT_TRANSITIONS: Record<ProjectAction, Transition<ProjectStatus>> = {
  edit: { from: ['draft', 'returned'], name: '修改项目登记信息' },
  submit: { from: ['draft', 'returned'], to: 'submitted', name: '提交受理' },
  withdraw: { from: ['submitted'], to: 'draft', name: '撤回受理申请' },
  accept: { from: ['submitted'], to: 'accepted', name: '受理项目' },
  return: { from: ['submitted'], to: 'returned', name: '退回项目' },
  prepare_notice: { from: ['accepted'], name: '编制招标公告与招标文件' },
  submit_notice: { from: ['accepted'], to: 'notice_review', name: '提交公告审核' },
  reject_notice: { from: ['notice_review'], to: 'accepted', name: '退回招标公告' },
  publish: { from: ['notice_review'], to: 'bidding', name: '发布招标公告' },
  clarify: { from: ['bidding'], name: '发布澄清或修改' },
  download: { from: ['bidding'], name: '下载招标文件' },
  object: { from: ['bidding'], name: '对招标文件提出异议' },
  close_bidding: { from: ['bidding'], to: 'after_deadline', name: '投标截止' },
  finish: { from: ['after_deadline'], to: 'finished', name: '结束项目' },
};

export type LotAction = 'start_bidding' | 'fail' | 'open' | 'end_decryption' | 'start_evaluation' | 'report' | 'fail_evaluation' | 'publish_candidates' | 'award' | 'contract' | 'close';

export const LOT_TRANSITIONS: Record<LotAction, Transition<LotStatus>> = {
  start_bidding: { from: ['pending'], to: 'bidding', name: '开始投标' },
  // Fewer bids than the minimum at the deadline (no opening).
  fail: { from: ['bidding'], to: 'failed', name: '招标失败' },
  open: { from: ['bidding'], to: 'decrypting', name: '开标' },
  end_decryption: { from: ['decrypting'], to: 'opened', name: '结束解密并公布开标记录' },
  start_evaluation: { from: ['opened'], to: 'evaluating', name: '开始评标' },
  report: { from: ['evaluating'], to: 'evaluated', name: '提交评标报告' },
  // The committee finds too few valid bids (competition insufficient) — the tender fails.
  fail_evaluation: { from: ['evaluating'], to: 'failed', name: '否决全部投标' },
  publish_candidates: { from: ['evaluated'], to: 'publicity', name: '公示中标候选人' },
  award: { from: ['publicity'], to: 'awarded', name: '定标并发出中标通知书' },
  contract: { from: ['awarded'], to: 'contracted', name: '登记合同' },
  close: { from: ['contracted'], to: 'closed', name: '退还投标保证金并结束' },
};

export type Step<S> = { ok: true; to: S } | { ok: false; message: string };

function step<S extends string>(transitions: Record<string, Transition<S>>, names: Record<S, string>, what: string, current: S, action: string): Step<S> {
  const t = transitions[action];
  if (!t) return { ok: false, message: `未知操作 ${action}` };
  if (!t.from.includes(current)) {
    const allowed = t.from.map((s) => `「${names[s]}」`).join('或');
    return { ok: false, message: `${what}当前为「${names[current]}」，不能${t.name}；该操作仅在${allowed}时可以进行` };
  }
  return { ok: true, to: t.to ?? current };
}

export function projectStep(current: ProjectStatus, action: ProjectAction): Step<ProjectStatus> {
  return step(PROJECT_TRANSITIONS, PROJECT_STATUS_NAMES, '招标项目', current, action);
}

export function lotStep(current: LotStatus, action: LotAction): Step<LotStatus> {
  return step(LOT_TRANSITIONS, LOT_STATUS_NAMES, '标段', current, action);
}

/** Lot states in which the lot's part of the deal is over. */
export const LOT_FINAL: ReadonlySet<LotStatus> = new Set(['failed', 'closed']);

/** Catalogue of construction tender categories (DOMAIN.md §1; kept as data). */
export const TENDER_CATEGORIES = {
  construction_works: '工程施工',
  survey: '工程勘察',
  design: '工程设计',
  supervision: '工程监理',
  goods: '与工程建设有关的货物',
  services: '与工程建设有关的服务',
} as const;
export type TenderCategory = keyof typeof TENDER_CATEGORIES;

export const TENDER_METHOD_NAMES = { open: '公开招标', invited: '邀请招标' } as const;
