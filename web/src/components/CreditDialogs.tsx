// The dialogs of a record's paths: filing an objection and requesting repair on the subject's
// behalf (credit.objection.file) or, with `own`, by the subject's own account on its own record
// (credit.self.read: no 异议提出人, the entity is the filer), and deciding either
// (credit.objection.decide / .repair.decide).
import type { ReactNode } from 'react';
import { Checkbox, Descriptions, Form, Input, Radio, Typography } from 'antd';
import { api } from '../api';
import type { CreditRecord, EvidenceRef, Objection, Repair } from '../types';
import { EvidencePicker } from './EvidencePicker';
import { FormModal } from './FormModal';
import { evidenceField, renameFields } from './CreditShared';

interface ObjectionValues {
  /** Staff only: the subject files through the staff member. */
  onBehalfOf?: string;
  reason: string;
  evidence?: EvidenceRef[];
}

export interface StepDialogProps {
  record: CreditRecord;
  open: boolean;
  onClose: () => void;
  /** Filed by the subject's own account (/credit/me/…), not by staff on its behalf. */
  own?: boolean;
}

/** Where a record's objections and repairs are filed: the staff route, or the subject's own. */
function stepUrl(record: CreditRecord, own: boolean, step: 'objections' | 'repairs'): string {
  return own ? `/api/v1/credit/me/records/${record.id}/${step}` : `/api/v1/credit/records/${record.id}/${step}`;
}

export function ObjectionDialog({ record, open, onClose, onFiled, own = false }: StepDialogProps & { onFiled: (o: Objection) => void }) {
  const submit = async (v: ObjectionValues) => {
    const body = {
      ...(own ? {} : { onBehalfOf: (v.onBehalfOf ?? '').trim() }),
      reason: v.reason.trim(),
      ...(v.evidence && v.evidence.length > 0 ? { evidence: v.evidence } : {}),
    };
    try {
      onFiled(await api.post<Objection>(stepUrl(record, own, 'objections'), body));
    } catch (error) {
      throw renameFields(error, evidenceField);
    }
  };
  return (
    <FormModal<ObjectionValues>
      open={open}
      name="creditObjection"
      title="提出异议"
      okText="提交异议"
      fields={own ? ['reason', 'evidence'] : ['onBehalfOf', 'reason', 'evidence']}
      initialValues={own ? { evidence: [] } : { onBehalfOf: record.subjectName, evidence: [] }}
      onSubmit={submit}
      onClose={onClose}
      width={680}
    >
      <Descriptions size="small" column={1} bordered className="form-banner">
        <Descriptions.Item label="信用记录">{record.title}</Descriptions.Item>
        <Descriptions.Item label="异议期限">{record.objectionDeadline} 前（含当日）</Descriptions.Item>
      </Descriptions>
      {own ? (
        <Typography.Paragraph type="secondary">以本主体「{record.subjectName}」的名义提出，系统记录提交账号。异议处理期间记录标注“异议处理中”，处理结果将在本页显示。</Typography.Paragraph>
      ) : (
        <Form.Item
          label="异议提出人"
          name="onBehalfOf"
          extra="代信用主体提交，系统同时记录经办账号"
          rules={[{ required: true, whitespace: true, message: '请填写异议提出人' }]}
        >
          <Input maxLength={100} />
        </Form.Item>
      )}
      <Form.Item label="异议理由" name="reason" rules={[{ required: true, whitespace: true, message: '请填写异议理由' }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount />
      </Form.Item>
      <Form.Item label="证明材料" name="evidence">
        <EvidencePicker inputLabel="选择异议证明材料文件" />
      </Form.Item>
    </FormModal>
  );
}

interface RepairValues {
  obligations: string;
  evidence: EvidenceRef[];
  commitment: { accepted: boolean; text: string };
}

const COMMITMENT_TEXT =
  '本主体郑重承诺：已履行行政处罚等决定规定的义务，所提交材料真实、有效；今后严格遵守公共资源交易法律法规，依法诚信参与交易活动。如有违反，自愿接受相应处理，并同意将本承诺向社会公开。';

export function RepairDialog({ record, open, onClose, onRequested, own = false }: StepDialogProps & { onRequested: (r: Repair) => void }) {
  const submit = async (v: RepairValues) => {
    const body = { obligations: v.obligations.trim(), evidence: v.evidence, commitment: { accepted: v.commitment.accepted, text: v.commitment.text.trim() } };
    try {
      onRequested(await api.post<Repair>(stepUrl(record, own, 'repairs'), body));
    } catch (error) {
      throw renameFields(error, evidenceField);
    }
  };
  return (
    <FormModal<RepairValues>
      open={open}
      name="creditRepair"
      title="申请信用修复"
      okText="提交申请"
      fields={['obligations', 'evidence', 'commitment']}
      initialValues={{ evidence: [], commitment: { accepted: false, text: COMMITMENT_TEXT } }}
      onSubmit={submit}
      onClose={onClose}
      width={680}
    >
      <Descriptions size="small" column={1} bordered className="form-banner">
        <Descriptions.Item label="信用记录">{record.title}</Descriptions.Item>
        <Descriptions.Item label="信用主体">{record.subjectName}</Descriptions.Item>
      </Descriptions>
      <Form.Item label="履行义务情况" name="obligations" rules={[{ required: true, whitespace: true, message: '请说明履行法定义务、纠正失信行为的情况' }]}>
        <Input.TextArea rows={3} maxLength={2000} showCount placeholder="如 已于 2026 年 5 月缴清罚款，并完成整改" />
      </Form.Item>
      <Form.Item label="证明材料" name="evidence" rules={[{ required: true, type: 'array', min: 1, message: '请至少提供一份证明材料' }]}>
        <EvidencePicker inputLabel="选择修复证明材料文件" />
      </Form.Item>
      <Form.Item label="信用承诺书" name={['commitment', 'text']} rules={[{ required: true, whitespace: true, message: '请填写信用承诺内容' }]}>
        <Input.TextArea rows={4} maxLength={2000} />
      </Form.Item>
      <Form.Item
        name={['commitment', 'accepted']}
        valuePropName="checked"
        rules={[{ validator: (_, v: boolean) => (v ? Promise.resolve() : Promise.reject(new Error('须作出信用承诺方可申请修复'))) }]}
      >
        <Checkbox>{own ? '本主体作出上述信用承诺，并同意向社会公开' : '信用主体已作出上述公开信用承诺'}</Checkbox>
      </Form.Item>
    </FormModal>
  );
}

interface DecisionValues<O extends string> {
  outcome: O;
  reason: string;
}

export interface DecisionDialogProps<O extends string> {
  open: boolean;
  title: string;
  /** POST target of the decision. */
  url: string;
  options: { value: O; label: string }[];
  summary: { label: string; value: ReactNode }[];
  onClose: () => void;
  onDecided: () => void;
}

export function DecisionDialog<O extends string>({ open, title, url, options, summary, onClose, onDecided }: DecisionDialogProps<O>) {
  const submit = async (v: DecisionValues<O>) => {
    await api.post(url, { outcome: v.outcome, reason: v.reason.trim() });
    onDecided();
  };
  return (
    <FormModal<DecisionValues<O>> open={open} name="creditDecision" title={title} okText="确认处理" fields={['outcome', 'reason']} onSubmit={submit} onClose={onClose} width={640}>
      <Descriptions size="small" column={1} bordered className="form-banner">
        {summary.map((s) => (
          <Descriptions.Item key={s.label} label={s.label}>
            <span className="pre-wrap">{s.value}</span>
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Form.Item label="处理结果" name="outcome" rules={[{ required: true, message: '请选择处理结果' }]}>
        <Radio.Group options={options} />
      </Form.Item>
      <Form.Item label="处理理由" name="reason" rules={[{ required: true, whitespace: true, message: '请填写处理理由' }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount />
      </Form.Item>
    </FormModal>
  );
}
