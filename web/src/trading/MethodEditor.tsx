// The 评标办法 of one lot inside the notice form: 综合评估法 (technical and commercial criteria with
// points, the price part with the benchmark formula's parameters, and a running total that must
// be 100) or 经评审的最低投标价法 (pass/fail criteria). Field names follow the request body
// (`lots.N.evaluationMethod…`), so a refusal from the evaluation module lands on its field.
import { Alert, Button, Col, Form, Input, InputNumber, Radio, Row, Select, Switch, Tag, Typography, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { optionsOf } from '../format';
import type { EvaluationMethodConfig, PassFailCategory, PassFailCriterionConfig, ScoredCriterionConfig } from '../types';
import { PASS_FAIL_CATEGORY_LABELS } from './shared';

/** The method as the form holds it: the request's shape without criterion ids (given on save). */
export interface MethodValues {
  kind: 'comprehensive' | 'lowest_evaluated_price';
  passFail?: { name: string; category: PassFailCategory }[];
  technical?: { name: string; maxPoints: number | null }[];
  commercial?: { name: string; maxPoints: number | null }[];
  price?: {
    name: string;
    maxPoints: number | null;
    formula: { kind: 'benchmark_mean' | 'lowest_price_benchmark'; downwardCoefficientPercent?: number; trimExtremes?: boolean; trimMinValidBids?: number; deductPerPercentAbove?: number; deductPerPercentBelow?: number };
  };
}

export const DEFAULT_METHOD: MethodValues = {
  kind: 'comprehensive',
  passFail: [
    { name: '投标函按要求签字盖章', category: 'formal' },
    { name: '资质等级、项目经理资格符合招标文件要求', category: 'qualification' },
    { name: '工期、质量标准满足招标文件要求', category: 'responsiveness' },
  ],
  technical: [
    { name: '施工组织设计', maxPoints: 30 },
    { name: '项目管理机构', maxPoints: 10 },
  ],
  commercial: [{ name: '企业业绩与信誉', maxPoints: 10 }],
  price: { name: '投标报价', maxPoints: 50, formula: { kind: 'benchmark_mean', downwardCoefficientPercent: 2, trimExtremes: true, trimMinValidBids: 5, deductPerPercentAbove: 1, deductPerPercentBelow: 0.5 } },
};

const points = (list: { maxPoints: number | null }[] | undefined) => (list ?? []).reduce((sum, c) => sum + Math.round((c?.maxPoints ?? 0) * 100), 0);

/** Full points of a comprehensive method, in points (exact to 0.01). */
export function methodTotal(m: MethodValues | undefined): number {
  if (!m || m.kind !== 'comprehensive') return 0;
  return (points(m.technical) + points(m.commercial) + Math.round((m.price?.maxPoints ?? 0) * 100)) / 100;
}

/** The request body's method: criterion ids from their place (T1, C1, P1, F1 …). */
export function toMethodInput(m: MethodValues): EvaluationMethodConfig {
  const passFail = (m.passFail ?? []).map((c, i): PassFailCriterionConfig => ({ id: `F${i + 1}`, name: c.name.trim(), category: c.category }));
  if (m.kind === 'lowest_evaluated_price') return { kind: 'lowest_evaluated_price', passFail };
  const scored = (list: MethodValues['technical'], prefix: string) => (list ?? []).map((c, i): ScoredCriterionConfig => ({ id: `${prefix}${i + 1}`, name: c.name.trim(), maxPoints: c.maxPoints ?? 0 }));
  const f = m.price?.formula;
  return {
    kind: 'comprehensive',
    passFail,
    technical: scored(m.technical, 'T'),
    commercial: scored(m.commercial, 'C'),
    price: {
      id: 'P1',
      name: (m.price?.name ?? '投标报价').trim(),
      maxPoints: m.price?.maxPoints ?? 0,
      formula:
        f?.kind === 'lowest_price_benchmark'
          ? { kind: 'lowest_price_benchmark' }
          : {
              kind: 'benchmark_mean',
              downwardCoefficientPercent: f?.downwardCoefficientPercent ?? 0,
              trimExtremes: f?.trimExtremes ?? false,
              ...(f?.trimExtremes && f.trimMinValidBids ? { trimMinValidBids: f.trimMinValidBids } : {}),
              deductPerPercentAbove: f?.deductPerPercentAbove ?? 0,
              deductPerPercentBelow: f?.deductPerPercentBelow ?? 0,
            },
    },
  };
}

/** The form's values of a stored method. */
export function methodValues(m: EvaluationMethodConfig | null): MethodValues {
  if (!m) return DEFAULT_METHOD;
  const passFail = (m.passFail ?? []).map((c) => ({ name: c.name, category: c.category }));
  if (m.kind === 'lowest_evaluated_price') return { kind: m.kind, passFail };
  return {
    kind: 'comprehensive',
    passFail,
    technical: m.technical.map((c) => ({ name: c.name, maxPoints: c.maxPoints })),
    commercial: m.commercial.map((c) => ({ name: c.name, maxPoints: c.maxPoints })),
    price: { name: m.price.name, maxPoints: m.price.maxPoints, formula: { ...m.price.formula } },
  };
}

type Path = (string | number)[];

function ScoredList({ path, title, label }: { path: Path; title: string; label: string }) {
  return (
    <>
      <Typography.Title level={5}>{title}</Typography.Title>
      <Form.List name={path}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, j) => (
              <Row gutter={8} key={field.key}>
                <Col flex="auto">
                  <Form.Item name={[field.name, 'name']} label={`${label} ${j + 1}`} rules={[{ required: true, whitespace: true, message: '请填写评审因素' }, { max: 100, message: '最多 100 个字' }]}>
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
                <Col flex="140px">
                  <Form.Item name={[field.name, 'maxPoints']} label={`${label} ${j + 1} 分值`} rules={[{ required: true, message: '请填写分值' }]}>
                    <InputNumber min={0.01} max={100} step={1} precision={2} className="full-width" suffix="分" />
                  </Form.Item>
                </Col>
                <Col flex="40px">
                  <Form.Item label=" " colon={false}>
                    <Button icon={<DeleteOutlined />} aria-label={`删除${label} ${j + 1}`} onClick={() => remove(field.name)} />
                  </Form.Item>
                </Col>
              </Row>
            ))}
            <div className="section-card">
              <Button size="small" icon={<PlusOutlined />} onClick={() => add({ name: '', maxPoints: null })}>
                添加{label}
              </Button>
            </div>
          </>
        )}
      </Form.List>
    </>
  );
}

function PassFailList({ path, required }: { path: Path; required: boolean }) {
  return (
    <>
      <Typography.Title level={5}>初步评审（合格/不合格）</Typography.Title>
      <Typography.Paragraph type="secondary">评标委员会多数成员认定不合格的，否决其投标。{required ? '经评审的最低投标价法至少需要一项。' : ''}</Typography.Paragraph>
      <Form.List name={path} rules={required ? [{ validator: async (_, v: unknown[] | undefined) => { if (!v || v.length === 0) throw new Error('至少需要一项合格性评审标准'); } }] : []}>
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field, j) => (
              <Row gutter={8} key={field.key}>
                <Col flex="auto">
                  <Form.Item name={[field.name, 'name']} label={`评审标准 ${j + 1}`} rules={[{ required: true, whitespace: true, message: '请填写评审标准' }, { max: 100, message: '最多 100 个字' }]}>
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
                <Col flex="160px">
                  <Form.Item name={[field.name, 'category']} label={`评审标准 ${j + 1} 类别`} rules={[{ required: true, message: '请选择类别' }]}>
                    <Select options={optionsOf(PASS_FAIL_CATEGORY_LABELS)} />
                  </Form.Item>
                </Col>
                <Col flex="40px">
                  <Form.Item label=" " colon={false}>
                    <Button icon={<DeleteOutlined />} aria-label={`删除评审标准 ${j + 1}`} onClick={() => remove(field.name)} />
                  </Form.Item>
                </Col>
              </Row>
            ))}
            <Button size="small" icon={<PlusOutlined />} onClick={() => add({ name: '', category: 'responsiveness' })}>
              添加评审标准
            </Button>
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
    </>
  );
}

/** `lot` is the index in the notice form's `lots` list (the editor renders inside that Form.List). */
export function MethodEditor({ form, lot }: { form: FormInstance; lot: number }) {
  const base: Path = [lot, 'evaluationMethod'];
  const full: Path = ['lots', ...base];
  const method = Form.useWatch<MethodValues | undefined>(full, form);
  const total = methodTotal(method);
  const benchmark = method?.price?.formula?.kind !== 'lowest_price_benchmark';
  const trimming = method?.price?.formula?.trimExtremes === true;

  return (
    <div className="method-editor">
      <Form.Item name={[...base, 'kind']} label="评标办法" rules={[{ required: true, message: '请选择评标办法' }]}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'comprehensive', label: '综合评估法' },
            { value: 'lowest_evaluated_price', label: '经评审的最低投标价法' },
          ]}
        />
      </Form.Item>
      {method?.kind === 'comprehensive' ? (
        <>
          <Alert
            type={total === 100 ? 'success' : 'warning'}
            showIcon
            className="section-card"
            title={
              <span>
                满分合计 <Tag color={total === 100 ? 'green' : 'red'}>{total.toFixed(2)} 分</Tag>
                {total === 100 ? '符合要求' : '技术、商务和价格三部分满分之和须为 100 分'}
              </span>
            }
          />
          <ScoredList path={[...base, 'technical']} title="技术部分" label="技术评审因素" />
          <ScoredList path={[...base, 'commercial']} title="商务部分" label="商务评审因素" />
          <Typography.Title level={5}>价格部分（按公式计算，不由专家打分）</Typography.Title>
          <Row gutter={8}>
            <Col flex="auto">
              <Form.Item name={[...base, 'price', 'name']} label="价格评审因素" rules={[{ required: true, whitespace: true, message: '请填写名称' }]}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col flex="140px">
              <Form.Item name={[...base, 'price', 'maxPoints']} label="价格分值" rules={[{ required: true, message: '请填写分值' }]}>
                <InputNumber min={0.01} max={100} precision={2} className="full-width" suffix="分" />
              </Form.Item>
            </Col>
            <Col flex="220px">
              <Form.Item name={[...base, 'price', 'formula', 'kind']} label="价格计算方法" rules={[{ required: true, message: '请选择' }]}>
                <Select
                  options={[
                    { value: 'benchmark_mean', label: '基准价法（有效报价平均值下浮）' },
                    { value: 'lowest_price_benchmark', label: '最低价基准法' },
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>
          {benchmark ? (
            <>
              <Typography.Paragraph type="secondary">
                评标基准价 = 有效投标报价算术平均值 ×（1 − K）；报价每高于基准价 1% 扣 A 分，每低于 1% 扣 B 分，扣完为止。
              </Typography.Paragraph>
              <Row gutter={8}>
                <Col xs={12} md={6}>
                  <Form.Item name={[...base, 'price', 'formula', 'downwardCoefficientPercent']} label="下浮系数 K" extra="不超过 5%" rules={[{ required: true, message: '请填写' }]}>
                    <InputNumber min={0} max={100} precision={2} className="full-width" suffix="%" />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item name={[...base, 'price', 'formula', 'deductPerPercentAbove']} label="高于基准价每 1% 扣分 A" rules={[{ required: true, message: '请填写' }]}>
                    <InputNumber min={0} max={100} precision={2} className="full-width" suffix="分" />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item name={[...base, 'price', 'formula', 'deductPerPercentBelow']} label="低于基准价每 1% 扣分 B" rules={[{ required: true, message: '请填写' }]}>
                    <InputNumber min={0} max={100} precision={2} className="full-width" suffix="分" />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item name={[...base, 'price', 'formula', 'trimExtremes']} label="去掉最高价和最低价" valuePropName="checked">
                    <Switch />
                  </Form.Item>
                </Col>
                {trimming ? (
                  <Col xs={12} md={6}>
                    <Form.Item name={[...base, 'price', 'formula', 'trimMinValidBids']} label="有效投标不少于（家）时去掉" rules={[{ required: true, message: '请填写' }]}>
                      <InputNumber min={3} max={1000} precision={0} className="full-width" />
                    </Form.Item>
                  </Col>
                ) : null}
              </Row>
            </>
          ) : (
            <Typography.Paragraph type="secondary">以最低有效投标报价为基准：价格得分 = 价格分值 × 最低有效报价 / 投标报价。</Typography.Paragraph>
          )}
        </>
      ) : null}
      <PassFailList path={[...base, 'passFail']} required={method?.kind === 'lowest_evaluated_price'} />
      {method?.kind === 'lowest_evaluated_price' ? (
        <Typography.Paragraph type="secondary">通过初步评审的投标按经评审的投标价（投标报价加评标委员会记录的调整）由低到高排序。</Typography.Paragraph>
      ) : null}
    </div>
  );
}
