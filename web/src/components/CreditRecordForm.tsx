// 登记信用记录: every field of RecordCreate (docs/api.md), the ban with its categories, region and
// period, the disclosure period the severity allows, and the not-repairable mark. The server's
// field errors land on the fields that show them (ban.from → 禁止参与期限, evidence.0 → 证据材料).
import { useEffect } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Radio, Select, Switch, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../api';
import { useMe } from '../auth';
import { fieldPath } from '../formErrors';
import { optionsOf } from '../format';
import type { SelectTreeNode } from '../hooks';
import type { CreditRecord, CreditRecordType, EvidenceRef, NotRepairableReason, ParticipantRole, Severity, SubjectKind } from '../types';
import {
  ID_NUMBER_MESSAGE,
  ID_NUMBER_PATTERN,
  NOT_REPAIRABLE_LABELS,
  RECORD_TYPE_LABELS,
  ROLE_LABELS,
  SEVERITY_LABELS,
  SUBJECT_KIND_LABELS,
  isAdverse,
  renameFields,
  todayCst,
  type CreditReference,
} from './CreditShared';
import { DATE_FORMAT, USCC_MESSAGE, USCC_PATTERN } from './ExpertShared';
import { EvidencePicker } from './EvidencePicker';
import { FormModal } from './FormModal';

interface Values {
  subjectKind: SubjectKind;
  uscc?: string;
  idNumber?: string;
  subjectName: string;
  role: ParticipantRole;
  type: CreditRecordType;
  severity?: Severity;
  title: string;
  facts: string;
  legalBasis: string;
  sourceDepartment: string;
  regionCode: string;
  decisionNumber: string;
  decisionDate: Dayjs;
  effectiveFrom: Dayjs;
  effectiveTo?: Dayjs | null;
  evidence?: EvidenceRef[];
  publishable: boolean;
  disclosureMonths?: number | null;
  hasBan: boolean;
  ban?: { categories: string[]; regionCode: string; period: [Dayjs, Dayjs] };
  notRepairableReason?: NotRepairableReason | null;
}

const FIELDS = [
  'subjectKind',
  'uscc',
  'idNumber',
  'subjectName',
  'role',
  'type',
  'severity',
  'title',
  'facts',
  'legalBasis',
  'sourceDepartment',
  'regionCode',
  'decisionNumber',
  'decisionDate',
  'effectiveFrom',
  'effectiveTo',
  'evidence',
  'publishable',
  'disclosureMonths',
  'hasBan',
  'ban',
  'notRepairableReason',
] as const;

/** The server names API fields; some are shown by another form field (or a part of one). */
function toFormField(field: string): string {
  const path = fieldPath(field);
  const [head, second] = path;
  if (head === 'ban' && second === undefined) return 'hasBan';
  if (head === 'ban' && (second === 'from' || second === 'to')) return 'ban.period';
  if (head === 'ban' && second === 'categories') return 'ban.categories';
  if (head === 'evidence') return 'evidence';
  return path.join('.');
}

const text = (v: string | undefined) => (v ?? '').trim();

export interface CreditRecordFormProps {
  open: boolean;
  regionTree: SelectTreeNode[];
  reference: CreditReference;
  onClose: () => void;
  onSaved: (record: CreditRecord) => void;
}

export function CreditRecordForm({ open, regionTree, reference, onClose, onSaved }: CreditRecordFormProps) {
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const subjectKind = Form.useWatch('subjectKind', form);
  const type = Form.useWatch('type', form);
  const severity = Form.useWatch('severity', form);
  const publishable = Form.useWatch('publishable', form);
  const hasBan = Form.useWatch('hasBan', form);
  const adverse = isAdverse(type);
  const rule = reference.rules?.disclosure[adverse && severity ? severity : 'unrated'];

  // A new severity (or type) brings its own disclosure default: published or not, and for how long.
  useEffect(() => {
    if (!open || !rule) return;
    form.setFieldsValue({ publishable: rule.publishedByDefault, disclosureMonths: rule.defaultMonths });
  }, [open, rule, form]);

  // A blacklist entry always carries a ban; only adverse records may.
  useEffect(() => {
    if (!open) return;
    if (type === 'blacklist' && !form.getFieldValue('hasBan')) form.setFieldValue('hasBan', true);
    if (type !== undefined && !isAdverse(type) && form.getFieldValue('hasBan')) form.setFieldValue('hasBan', false);
  }, [open, type, form]);

  // A new ban starts as the record's region from the decision date, for one year.
  useEffect(() => {
    if (!open || !hasBan) return;
    if (!form.getFieldValue(['ban', 'regionCode'])) form.setFieldValue(['ban', 'regionCode'], form.getFieldValue('regionCode'));
    const from = form.getFieldValue('decisionDate') as Dayjs | undefined;
    if (!form.getFieldValue(['ban', 'period']) && from) form.setFieldValue(['ban', 'period'], [from, from.add(1, 'year').subtract(1, 'day')]);
  }, [open, hasBan, form]);

  const today = dayjs(todayCst());
  const initialValues: Partial<Values> = {
    subjectKind: 'organisation',
    role: 'bidder',
    type: 'violation',
    sourceDepartment: me.organisation?.name ?? '',
    regionCode: me.organisation?.regionCode,
    decisionDate: today,
    effectiveFrom: today,
    evidence: [],
    publishable: true,
    hasBan: false,
  };

  const submit = async (v: Values) => {
    const adverseNow = isAdverse(v.type);
    const body: Record<string, unknown> = {
      subjectKind: v.subjectKind,
      ...(v.subjectKind === 'organisation' ? { uscc: text(v.uscc).toUpperCase() } : { idNumber: text(v.idNumber).toUpperCase() }),
      subjectName: text(v.subjectName),
      role: v.role,
      type: v.type,
      ...(adverseNow && v.severity ? { severity: v.severity } : {}),
      title: text(v.title),
      facts: text(v.facts),
      legalBasis: text(v.legalBasis),
      sourceDepartment: text(v.sourceDepartment),
      regionCode: v.regionCode,
      decisionNumber: text(v.decisionNumber),
      decisionDate: v.decisionDate.format(DATE_FORMAT),
      effectiveFrom: v.effectiveFrom.format(DATE_FORMAT),
      ...(v.effectiveTo ? { effectiveTo: v.effectiveTo.format(DATE_FORMAT) } : {}),
      ...(v.evidence && v.evidence.length > 0 ? { evidence: v.evidence } : {}),
      publishable: v.publishable,
      ...(v.publishable && v.disclosureMonths ? { disclosureMonths: v.disclosureMonths } : {}),
      ...(adverseNow && v.hasBan && v.ban
        ? { ban: { categories: v.ban.categories, regionCode: v.ban.regionCode, from: v.ban.period[0].format(DATE_FORMAT), to: v.ban.period[1].format(DATE_FORMAT) } }
        : {}),
      ...(adverseNow && v.notRepairableReason ? { notRepairableReason: v.notRepairableReason } : {}),
    };
    try {
      onSaved(await api.post<CreditRecord>('/api/v1/credit/records', body));
    } catch (error) {
      throw renameFields(error, toFormField);
    }
  };

  /** Picking 全部交易类别 replaces the others; picking another drops 全部. */
  const normaliseCategories = (next: string[], prev: string[] | undefined) => {
    const all = reference.allCode;
    const added = next.filter((c) => !(prev ?? []).includes(c));
    if (added.includes(all)) return [all];
    return next.length > 1 ? next.filter((c) => c !== all) : next;
  };

  return (
    <FormModal<Values>
      open={open}
      form={form}
      name="creditRecord"
      title="登记信用记录"
      fields={FIELDS}
      initialValues={initialValues}
      onSubmit={submit}
      onClose={onClose}
      width={820}
    >
      {reference.error ? <Alert type="warning" showIcon title={reference.error} className="form-banner" /> : null}
      <Form.Item label="主体类型" name="subjectKind" rules={[{ required: true, message: '请选择主体类型' }]}>
        <Radio.Group options={optionsOf(SUBJECT_KIND_LABELS)} optionType="button" />
      </Form.Item>
      <div className="form-grid">
        <Form.Item label="主体名称" name="subjectName" rules={[{ required: true, whitespace: true, message: '请输入主体名称' }]}>
          <Input maxLength={100} />
        </Form.Item>
        {subjectKind === 'person' ? (
          <Form.Item
            label="身份证号"
            name="idNumber"
            normalize={(v: string) => v.toUpperCase()}
            extra="保存后仅显示脱敏信息"
            rules={[
              { required: true, whitespace: true, message: '请输入身份证号' },
              { pattern: ID_NUMBER_PATTERN, message: ID_NUMBER_MESSAGE },
            ]}
          >
            <Input maxLength={18} className="mono" autoComplete="off" />
          </Form.Item>
        ) : (
          <Form.Item
            label="统一社会信用代码"
            name="uscc"
            normalize={(v: string) => v.toUpperCase()}
            rules={[
              { required: true, whitespace: true, message: '请输入统一社会信用代码' },
              { pattern: USCC_PATTERN, message: USCC_MESSAGE },
            ]}
          >
            <Input maxLength={18} className="mono" autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item label="参与角色" name="role" rules={[{ required: true, message: '请选择参与角色' }]}>
          <Select options={optionsOf(ROLE_LABELS)} />
        </Form.Item>
        <Form.Item label="记录类型" name="type" rules={[{ required: true, message: '请选择记录类型' }]}>
          <Select options={optionsOf(RECORD_TYPE_LABELS)} />
        </Form.Item>
        {adverse ? (
          <Form.Item label="严重程度" name="severity" rules={[{ required: true, message: '违法违规和黑名单记录须选择严重程度' }]}>
            <Radio.Group options={optionsOf(SEVERITY_LABELS)} optionType="button" />
          </Form.Item>
        ) : null}
        {adverse ? (
          <Form.Item label="不可修复情形" name="notRepairableReason" extra="属于下列情形的失信记录不得申请信用修复">
            <Select allowClear placeholder="不属于不可修复情形" options={optionsOf(NOT_REPAIRABLE_LABELS)} />
          </Form.Item>
        ) : null}
      </div>
      <Form.Item label="记录标题" name="title" rules={[{ required: true, whitespace: true, message: '请输入记录标题' }]}>
        <Input maxLength={200} placeholder="如 提供虚假材料谋取中标" />
      </Form.Item>
      <Form.Item label="失信（守信）事实" name="facts" rules={[{ required: true, whitespace: true, message: '请填写事实' }]}>
        <Input.TextArea rows={3} maxLength={4000} showCount />
      </Form.Item>
      <Form.Item label="认定依据" name="legalBasis" rules={[{ required: true, whitespace: true, message: '请填写认定依据' }]}>
        <Input.TextArea rows={2} maxLength={1000} placeholder="如《中华人民共和国招标投标法》第五十四条" />
      </Form.Item>
      <div className="form-grid">
        <Form.Item label="认定部门" name="sourceDepartment" rules={[{ required: true, whitespace: true, message: '请输入认定部门' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label="发布区划" name="regionCode" extra="记录的归属区划，决定谁能查看" rules={[{ required: true, message: '请选择发布区划' }]}>
          <TreeSelect treeData={regionTree} showSearch treeNodeFilterProp="title" placeholder="请选择行政区划" />
        </Form.Item>
        <Form.Item label="决定文号" name="decisionNumber" rules={[{ required: true, whitespace: true, message: '请输入决定文号' }]}>
          <Input maxLength={100} placeholder="如 并建罚〔2026〕12号" />
        </Form.Item>
        <Form.Item label="决定日期" name="decisionDate" extra="公示期和异议期限自决定日期起算" rules={[{ required: true, message: '请选择决定日期' }]}>
          <DatePicker format={DATE_FORMAT} className="full-width" disabledDate={(d) => d.isAfter(today, 'day')} />
        </Form.Item>
        <Form.Item label="生效日期" name="effectiveFrom" rules={[{ required: true, message: '请选择生效日期' }]}>
          <DatePicker format={DATE_FORMAT} className="full-width" />
        </Form.Item>
        <Form.Item label="失效日期" name="effectiveTo" extra="选填，长期有效则不填">
          <DatePicker format={DATE_FORMAT} className="full-width" />
        </Form.Item>
      </div>
      <div className="form-grid">
        <Form.Item label="对外公示" name="publishable" valuePropName="checked" extra={rule && !rule.publishedByDefault ? '轻微失信记录一般不公示' : undefined}>
          <Switch checkedChildren="公示" unCheckedChildren="不公示" />
        </Form.Item>
        {publishable && rule ? (
          <Form.Item
            label="公示期限（月）"
            name="disclosureMonths"
            initialValue={rule.defaultMonths}
            extra={`${adverse && severity ? `${SEVERITY_LABELS[severity]}失信` : '该类记录'}公示 ${rule.minMonths}–${rule.maxMonths} 个月，默认 ${rule.defaultMonths} 个月，自决定日期起算`}
            rules={[
              { required: true, message: '请填写公示期限' },
              { type: 'number', min: rule.minMonths, max: rule.maxMonths, message: `公示期限应为 ${rule.minMonths}–${rule.maxMonths} 个月` },
            ]}
          >
            <InputNumber min={1} max={36} precision={0} className="full-width" />
          </Form.Item>
        ) : null}
      </div>
      {adverse ? (
        <>
          <Form.Item
            label="禁止参与公共资源交易"
            name="hasBan"
            valuePropName="checked"
            extra={type === 'blacklist' ? '列入黑名单须设定禁止参与的范围和期限' : '政府采购一般 1–3 年；依法必须招标项目一般 1–2 年'}
          >
            <Switch checkedChildren="设定" unCheckedChildren="不设定" disabled={type === 'blacklist'} />
          </Form.Item>
          {hasBan ? (
            <div className="form-grid ban-grid">
              <Form.Item
                label="禁止参与的交易类别"
                name={['ban', 'categories']}
                rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个交易类别' }]}
                getValueFromEvent={(next: string[]) => normaliseCategories(next, form.getFieldValue(['ban', 'categories']) as string[] | undefined)}
              >
                <Select mode="multiple" options={reference.categoryOptions} placeholder="请选择交易类别" />
              </Form.Item>
              <Form.Item label="禁止参与区域" name={['ban', 'regionCode']} extra="含下级区划" rules={[{ required: true, message: '请选择禁止参与的区域' }]}>
                <TreeSelect treeData={regionTree} showSearch treeNodeFilterProp="title" placeholder="请选择行政区划" />
              </Form.Item>
              <Form.Item label="禁止参与期限" name={['ban', 'period']} extra="起止日期均含当日" rules={[{ required: true, message: '请选择开始和结束日期' }]}>
                <DatePicker.RangePicker format={DATE_FORMAT} className="full-width" />
              </Form.Item>
            </div>
          ) : null}
        </>
      ) : null}
      <Form.Item label="证据材料" name="evidence">
        <EvidencePicker inputLabel="选择证据材料文件" />
      </Form.Item>
    </FormModal>
  );
}
