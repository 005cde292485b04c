// The Chinese description of a lot's evaluation method, printed in the evaluation report and
// usable in the tender documents. It states the same formulas and rounding as the code
// (evaluation.methods.ts) — a change to one is a change to the other.

import type { EvaluationMethod, PassFailCriterion, ScoredCriterion } from './evaluation.methods.ts';

const CATEGORY_LABEL: Record<PassFailCriterion['category'], string> = {
  formal: '形式评审',
  qualification: '资格评审',
  responsiveness: '响应性评审',
};

function points(v: number): string {
  return `${v} 分`;
}

function groupText(label: string, criteria: ScoredCriterion[]): string {
  if (criteria.length === 0) return `${label}：无`;
  const total = criteria.reduce((acc, c) => acc + Math.round(c.maxPoints * 100), 0) / 100;
  const items = criteria.map((c) => `${c.name} ${points(c.maxPoints)}${c.scoredBy === 'automatic' ? '（系统计算）' : ''}`).join('、');
  return `${label} ${points(total)}（${items}）`;
}

/** Paragraphs in Chinese; join with a newline for plain text. */
export function describeEvaluationMethod(method: EvaluationMethod): string[] {
  const out: string[] = [];
  const r = method.rules;
  const pf =
    method.passFail.length > 0
      ? `初步评审（合格制）：${method.passFail.map((c) => `${c.name}（${CATEGORY_LABEL[c.category]}）`).join('、')}。评标委员会过半数成员认定某项不合格的，否决其投标。`
      : null;

  if (method.kind === 'lowest_evaluated_price') {
    out.push('评标办法：经评审的最低投标价法。');
    if (pf) out.push(pf);
    out.push('评标价 = 投标报价 + 评标委员会按招标文件规定作出的价格调整（每项调整须载明理由）；通过初步评审的投标按评标价由低到高排序。评标价相同的，依次按投标报价低者、递交投标文件时间早者优先。');
  } else {
    out.push('评标办法：综合评估法。');
    if (pf) out.push(pf);
    out.push(`详细评审：评分因素满分合计 100 分，其中${groupText('技术部分', method.technical)}；${groupText('商务部分', method.commercial)}；价格部分 ${points(method.price.maxPoints)}（${method.price.name}）。`);
    const f = method.price.formula;
    const full = points(method.price.maxPoints);
    if (f.kind === 'benchmark_mean') {
      const trim = f.trimExtremes ? `有效投标不少于 ${f.trimMinValidBids ?? 5} 家时，去掉一个最高报价和一个最低报价后再计算算术平均值；` : '';
      out.push(
        `价格分：评标基准价 = 有效投标报价的算术平均值 ×（1 − K），K = ${f.downwardCoefficientPercent}%；${trim}评标基准价四舍五入至分。` +
          `投标报价等于评标基准价的得满分 ${full}；每高于评标基准价 1% 扣 ${f.deductPerPercentAbove} 分，每低于 1% 扣 ${f.deductPerPercentBelow} 分，` +
          `偏离不足 1% 的按比例线性计算（偏离率 =（投标报价 − 评标基准价）÷ 评标基准价 × 100%），扣完为止，最低 0 分。`,
      );
    } else {
      out.push(`价格分：以最低有效投标报价为评标基准价，价格分 = 评标基准价 ÷ 投标报价 × ${method.price.maxPoints}，最低有效投标报价得满分 ${full}。`);
    }
    const trimExperts = r.trimExpertExtremesMinPanel > 0 ? `评标委员会成员不少于 ${r.trimExpertExtremesMinPanel} 人时，去掉一个最高分和一个最低分后` : '';
    out.push(
      `各评审因素得分为各评委评分${trimExperts ? `（${trimExperts}）` : ''}的算术平均值，与价格分一样四舍五入保留两位小数；技术、商务、价格小计及总分为各项得分之和。` +
        `评委打分低于该项满分 ${r.reasonBelowPercentOfMax}% 的，须书面说明理由。`,
    );
    out.push('按总分由高到低排序；总分相同的，依次按投标报价低者、技术得分高者、递交投标文件时间早者优先。');
  }
  out.push(
    `有效投标不足 ${r.minValidBids} 家的，评标委员会可以认定投标明显缺乏竞争，否决全部投标（本次招标失败）。评标委员会推荐不超过 ${r.maxCandidates} 名有排序的中标候选人。`,
  );
  return out;
}
