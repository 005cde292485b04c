// Evaluation methods (评标办法) of a lot: the configuration a tender document fixes, its schema,
// its validation with Chinese field errors, and its Chinese description for the report.
// Pure code — no I/O, no clock, no tables; the trading module stores the configuration as JSON.
//
// 综合评估法 (`comprehensive`): criteria in three groups — technical, commercial, price — whose full
// points add up to exactly 100. The price criterion is computed, never scored by experts:
//
//   benchmark_mean — 评标基准价 B = mean(valid bid prices) × (1 − K), K the downward coefficient.
//     When `trimExtremes` is set and there are at least `trimMinValidBids` (default 5) valid bids,
//     one highest and one lowest price are left out of the mean first (one each, even when
//     several bids share the extreme price). B is rounded half-up to the fen.
//     Deviation d = (P − B) / B × 100 (in percent, exact). Score = F − A·d when d > 0,
//     F − B'·|d| when d < 0 (A = deductPerPercentAbove, B' = deductPerPercentBelow), linear
//     between whole percents (0.5 % above deducts A/2), never below 0. P = B gives F.
//   lowest_price_benchmark — the lowest valid price L is the benchmark: score = F × L / P
//     (财政部87号令 §55 style), so the lowest valid bid gets F.
//
// 经评审的最低投标价法 (`lowest_evaluated_price`): pass/fail criteria only (qualification,
// responsiveness, formal); evaluated price = bid price + the adjustments the committee records per
// bid (each with a reason); valid bids ranked by evaluated price ascending.
//
// Both methods may carry pass/fail criteria (初步评审): a bid fails one when a majority of the
// panel judges it failed, and is then rejected (否决投标) with that criterion as the reason.
//
// Rounding — exactly two points, everywhere:
//   1. a criterion's score for one bid — the (trimmed) mean of the experts' points, or the price
//      formula's result — is rounded half-up to 0.01 point;
//   2. the benchmark price is rounded half-up to 1 fen.
// Expert points are entered with at most 2 decimals. Subtotals and totals are exact sums of the
// rounded criterion scores (computed in integer hundredths, so 0.1 + 0.2 is 0.3).

import { Type, type Static } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { fromCenti, hasAtMostTwoDecimals, toCenti } from './evaluation.math.ts';

// ---------------------------------------------------------------- configuration (practice)

/** Lot-level rules; a method may override them in `rules`. */
export interface EvaluationRules {
  /** Fewer valid bids than this → `insufficient_competition` (实施条例 §19/评标委员会可否决全部投标). */
  minValidBids: number;
  /** Number of ranked candidates recommended (≤ 3 for construction, DOMAIN.md §3). */
  maxCandidates: number;
  /** Panels at least this large drop one highest and one lowest expert score per criterion; 0 = never. */
  trimExpertExtremesMinPanel: number;
  /** A score below this percent of the criterion's maximum needs a written reason (practice). */
  reasonBelowPercentOfMax: number;
}

export const DEFAULT_EVALUATION_RULES: EvaluationRules = {
  minValidBids: 3,
  maxCandidates: 3,
  trimExpertExtremesMinPanel: 7,
  reasonBelowPercentOfMax: 60,
};

/** Platform-level limits a lot's configuration may not exceed. */
export interface MethodLimits {
  /** Largest downward coefficient K of the benchmark price, in percent. */
  maxDownwardCoefficientPercent: number;
}

export const DEFAULT_METHOD_LIMITS: MethodLimits = { maxDownwardCoefficientPercent: 5 };

/** Default N of "drop the highest and the lowest price when at least N valid bids". */
export const DEFAULT_TRIM_MIN_VALID_BIDS = 5;

// ---------------------------------------------------------------- schemas

const CriterionId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: '评审因素编号' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Description = Type.String({ maxLength: 1000 });
const MaxPoints = Type.Number({ exclusiveMinimum: 0, maximum: 100, description: '满分（最多两位小数）' });

export const ScoredCriterionSchema = Type.Object(
  {
    id: CriterionId,
    name: Name,
    maxPoints: MaxPoints,
    description: Type.Optional(Description),
    /** `automatic`: computed by a plug-in Scorer (e.g. credit points), not by the experts. */
    scoredBy: Type.Optional(Type.Union([Type.Literal('expert'), Type.Literal('automatic')])),
  },
  { additionalProperties: false },
);

export const PASS_FAIL_CATEGORIES = ['formal', 'qualification', 'responsiveness'] as const;
export type PassFailCategory = (typeof PASS_FAIL_CATEGORIES)[number];

export const PassFailCriterionSchema = Type.Object(
  {
    id: CriterionId,
    name: Name,
    category: Type.Union(PASS_FAIL_CATEGORIES.map((c) => Type.Literal(c))),
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);

export const BenchmarkMeanFormulaSchema = Type.Object(
  {
    kind: Type.Literal('benchmark_mean'),
    downwardCoefficientPercent: Type.Number({ minimum: 0, maximum: 100, description: '下浮系数 K（%）' }),
    trimExtremes: Type.Boolean({ description: '有效投标达到一定数量时去掉一个最高价和一个最低价' }),
    trimMinValidBids: Type.Optional(Type.Integer({ minimum: 3, maximum: 1000 })),
    deductPerPercentAbove: Type.Number({ minimum: 0, maximum: 100, description: '每高于基准价 1% 扣分' }),
    deductPerPercentBelow: Type.Number({ minimum: 0, maximum: 100, description: '每低于基准价 1% 扣分' }),
  },
  { additionalProperties: false },
);

export const LowestPriceFormulaSchema = Type.Object({ kind: Type.Literal('lowest_price_benchmark') }, { additionalProperties: false });

export const PriceCriterionSchema = Type.Object(
  {
    id: CriterionId,
    name: Name,
    maxPoints: MaxPoints,
    description: Type.Optional(Description),
    formula: Type.Union([BenchmarkMeanFormulaSchema, LowestPriceFormulaSchema]),
  },
  { additionalProperties: false },
);

export const RulesOverrideSchema = Type.Object(
  {
    minValidBids: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    maxCandidates: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    trimExpertExtremesMinPanel: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    reasonBelowPercentOfMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const ComprehensiveMethodSchema = Type.Object(
  {
    kind: Type.Literal('comprehensive'),
    passFail: Type.Optional(Type.Array(PassFailCriterionSchema, { maxItems: 100 })),
    technical: Type.Array(ScoredCriterionSchema, { maxItems: 100 }),
    commercial: Type.Array(ScoredCriterionSchema, { maxItems: 100 }),
    price: PriceCriterionSchema,
    rules: Type.Optional(RulesOverrideSchema),
  },
  { additionalProperties: false },
);

export const LowestEvaluatedPriceMethodSchema = Type.Object(
  {
    kind: Type.Literal('lowest_evaluated_price'),
    passFail: Type.Array(PassFailCriterionSchema, { minItems: 1, maxItems: 100 }),
    rules: Type.Optional(RulesOverrideSchema),
  },
  { additionalProperties: false },
);

export const EvaluationMethodSchema = Type.Union([ComprehensiveMethodSchema, LowestEvaluatedPriceMethodSchema]);

export type ScoredCriterion = Static<typeof ScoredCriterionSchema>;
export type PassFailCriterion = Static<typeof PassFailCriterionSchema>;
export type PriceFormula = Static<typeof PriceCriterionSchema>['formula'];
export type PriceCriterion = Static<typeof PriceCriterionSchema>;
/** As stored and as entered (optional fields may be absent). */
export type EvaluationMethodInput = Static<typeof EvaluationMethodSchema>;

/** After `parseEvaluationMethod`: defaults applied, rules resolved. */
export type ComprehensiveMethod = Omit<Static<typeof ComprehensiveMethodSchema>, 'passFail' | 'rules'> & {
  passFail: PassFailCriterion[];
  rules: EvaluationRules;
};
export type LowestEvaluatedPriceMethod = Omit<Static<typeof LowestEvaluatedPriceMethodSchema>, 'rules'> & { rules: EvaluationRules };
export type EvaluationMethod = ComprehensiveMethod | LowestEvaluatedPriceMethod;

export type CriterionGroup = 'technical' | 'commercial' | 'price';

/** A criterion that yields points, with its group. */
export interface PointsCriterion {
  id: string;
  name: string;
  group: CriterionGroup;
  maxPoints: number;
  scoredBy: 'expert' | 'automatic';
}

/** Every points criterion of a method in report order (technical, commercial, price). */
export function pointsCriteria(method: EvaluationMethod): PointsCriterion[] {
  if (method.kind === 'lowest_evaluated_price') return [];
  const scored = (group: 'technical' | 'commercial') =>
    method[group].map((c): PointsCriterion => ({ id: c.id, name: c.name, group, maxPoints: c.maxPoints, scoredBy: c.scoredBy ?? 'expert' }));
  const p = method.price;
  return [...scored('technical'), ...scored('commercial'), { id: p.id, name: p.name, group: 'price', maxPoints: p.maxPoints, scoredBy: 'automatic' }];
}

// ---------------------------------------------------------------- validation

function fieldOf(prefix: string, path: string): string {
  return prefix + path.replace(/\//g, '.');
}

function schemaError(e: ValueError, prefix: string): FieldError {
  const s = e.schema as Record<string, unknown>;
  const field = fieldOf(prefix, e.path);
  const at = (rule: string, message: string): FieldError => ({ field, rule, message });
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return at('required', `缺少必填字段 ${field}`);
    case ValueErrorType.ObjectAdditionalProperties:
      return at('additionalProperties', `不允许的字段 ${field}`);
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return at('minimum', `字段 ${field} 不能小于 ${String(s.minimum)}`);
    case ValueErrorType.NumberExclusiveMinimum:
      return at('exclusiveMinimum', `字段 ${field} 必须大于 ${String(s.exclusiveMinimum)}`);
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return at('maximum', `字段 ${field} 不能大于 ${String(s.maximum)}`);
    case ValueErrorType.StringMinLength:
      return at('minLength', `字段 ${field} 长度不能少于 ${String(s.minLength)} 个字符`);
    case ValueErrorType.StringMaxLength:
      return at('maxLength', `字段 ${field} 长度不能超过 ${String(s.maxLength)} 个字符`);
    case ValueErrorType.StringPattern:
      return at('pattern', `字段 ${field} 格式不正确（只能包含字母、数字、下划线、点和连字符）`);
    case ValueErrorType.ArrayMinItems:
      return at('minItems', `字段 ${field} 至少需要 ${String(s.minItems)} 项`);
    case ValueErrorType.ArrayMaxItems:
      return at('maxItems', `字段 ${field} 最多 ${String(s.maxItems)} 项`);
    case ValueErrorType.Literal:
    case ValueErrorType.Union:
      return at('enum', `字段 ${field} 取值不正确`);
    case ValueErrorType.Integer:
      return at('type', `字段 ${field} 必须是整数`);
    default:
      return at('type', `字段 ${field} 类型不正确`);
  }
}

function schemaErrors(schema: Parameters<typeof Value.Errors>[0], value: unknown, prefix: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, value)) {
    const fe = schemaError(e, prefix);
    // A union reports each branch and then itself; keep the first error per field.
    if (seen.has(fe.field)) continue;
    seen.add(fe.field);
    out.push(fe);
  }
  return out;
}

export type MethodCheck = { ok: true; method: EvaluationMethod } | { ok: false; errors: FieldError[] };

/**
 * Validates a lot's method configuration and returns it normalised (defaults applied). Errors
 * name the field (prefixed with `prefix`, e.g. `body.method`) and the rule, with a Chinese message.
 */
export function checkEvaluationMethod(value: unknown, prefix = 'method', limits: MethodLimits = DEFAULT_METHOD_LIMITS): MethodCheck {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  const schema = kind === 'comprehensive' ? ComprehensiveMethodSchema : kind === 'lowest_evaluated_price' ? LowestEvaluatedPriceMethodSchema : null;
  if (!schema) {
    return { ok: false, errors: [{ field: `${prefix}.kind`, rule: 'enum', message: `字段 ${prefix}.kind 取值必须是 comprehensive（综合评估法）、lowest_evaluated_price（经评审的最低投标价法）之一` }] };
  }
  // Check the price formula on its own so that its errors name its fields, not "one of the union".
  const formula = kind === 'comprehensive' ? (value as { price?: { formula?: { kind?: unknown } } }).price?.formula : undefined;
  const formulaSchema = formula?.kind === 'benchmark_mean' ? BenchmarkMeanFormulaSchema : formula?.kind === 'lowest_price_benchmark' ? LowestPriceFormulaSchema : null;
  if (kind === 'comprehensive' && formula !== undefined && !formulaSchema) {
    return { ok: false, errors: [{ field: `${prefix}.price.formula.kind`, rule: 'enum', message: `字段 ${prefix}.price.formula.kind 取值必须是 benchmark_mean（基准价法）、lowest_price_benchmark（最低价基准法）之一` }] };
  }
  const errors = formulaSchema ? schemaErrors(formulaSchema, formula, `${prefix}.price.formula`) : [];
  for (const e of schemaErrors(schema, value, prefix)) if (!e.field.startsWith(`${prefix}.price.formula`)) errors.push(e);
  if (errors.length > 0) return { ok: false, errors };

  const input = value as EvaluationMethodInput;
  const rules: EvaluationRules = { ...DEFAULT_EVALUATION_RULES, ...input.rules };
  const method: EvaluationMethod =
    input.kind === 'comprehensive'
      ? {
          ...input,
          passFail: input.passFail ?? [],
          technical: input.technical.map((c) => ({ ...c, scoredBy: c.scoredBy ?? 'expert' })),
          commercial: input.commercial.map((c) => ({ ...c, scoredBy: c.scoredBy ?? 'expert' })),
          price:
            input.price.formula.kind === 'benchmark_mean'
              ? { ...input.price, formula: { ...input.price.formula, trimMinValidBids: input.price.formula.trimMinValidBids ?? DEFAULT_TRIM_MIN_VALID_BIDS } }
              : input.price,
          rules,
        }
      : { ...input, rules };
  errors.push(...semanticErrors(method, prefix, limits));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, method };
}

function semanticErrors(method: EvaluationMethod, prefix: string, limits: MethodLimits): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  const idAt = (id: string, field: string) => {
    const first = seen.get(id);
    if (first) errors.push({ field, rule: 'unique', message: `评审因素编号 ${id} 重复（已用于 ${first}）` });
    else seen.set(id, field);
  };
  method.passFail.forEach((c, i) => idAt(c.id, `${prefix}.passFail.${i}.id`));
  if (method.kind === 'lowest_evaluated_price') return errors;

  const twoDecimals = (v: number, field: string, label: string) => {
    if (!hasAtMostTwoDecimals(v)) errors.push({ field, rule: 'precision', message: `${label}（${field}）最多保留两位小数` });
  };
  const sums: Record<'technical' | 'commercial', number> = { technical: 0, commercial: 0 };
  for (const group of ['technical', 'commercial'] as const) {
    method[group].forEach((c, i) => {
      idAt(c.id, `${prefix}.${group}.${i}.id`);
      twoDecimals(c.maxPoints, `${prefix}.${group}.${i}.maxPoints`, `评审因素「${c.name}」的满分`);
      sums[group] += toCenti(c.maxPoints);
    });
  }
  const p = method.price;
  idAt(p.id, `${prefix}.price.id`);
  twoDecimals(p.maxPoints, `${prefix}.price.maxPoints`, '价格分满分');
  const total = sums.technical + sums.commercial + toCenti(p.maxPoints);
  if (total !== 10000) {
    errors.push({
      field: `${prefix}.price.maxPoints`,
      rule: 'points_total',
      message: `评分因素满分合计必须为 100 分：技术部分（technical）${fromCenti(sums.technical)} 分 + 商务部分（commercial）${fromCenti(sums.commercial)} 分 + 价格部分（price.maxPoints）${p.maxPoints} 分 = ${fromCenti(total)} 分`,
    });
  }
  if (p.formula.kind === 'benchmark_mean') {
    const f = p.formula;
    const at = `${prefix}.price.formula`;
    twoDecimals(f.downwardCoefficientPercent, `${at}.downwardCoefficientPercent`, '下浮系数 K');
    twoDecimals(f.deductPerPercentAbove, `${at}.deductPerPercentAbove`, '高于基准价每 1% 扣分');
    twoDecimals(f.deductPerPercentBelow, `${at}.deductPerPercentBelow`, '低于基准价每 1% 扣分');
    if (f.downwardCoefficientPercent > limits.maxDownwardCoefficientPercent) {
      errors.push({ field: `${at}.downwardCoefficientPercent`, rule: 'maximum', message: `下浮系数 K 不能大于 ${limits.maxDownwardCoefficientPercent}%` });
    }
  }
  return errors;
}

/** `checkEvaluationMethod` that throws the platform's validation error (problem+json, 400). */
export function parseEvaluationMethod(value: unknown, prefix = 'method', limits: MethodLimits = DEFAULT_METHOD_LIMITS): EvaluationMethod {
  const check = checkEvaluationMethod(value, prefix, limits);
  if (check.ok) return check.method;
  return failWith(check.errors);
}

export function failWith(errors: FieldError[]): never {
  const first = errors[0];
  throw new AppError('validation_failed', first?.message ?? '评标办法配置不正确', { errors });
}
