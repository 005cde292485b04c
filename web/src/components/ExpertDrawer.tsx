// Detail drawer of one expert: the record, 不可参评时段, 回避关系 and the status actions.
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { ExpertAccountButton } from '../evaluation/ExpertAccountButton';
import { formatDateTime, labelOf, optionsOf } from '../format';
import type { Expert, ExpertPeriod, ExpertRelation, ExpertRelationKind } from '../types';
import {
  DATE_FORMAT,
  EXPERT_STATUS_COLORS,
  EXPERT_STATUS_LABELS,
  GENDER_LABELS,
  RELATION_KIND_LABELS,
  SpecialtyTags,
  USCC_MESSAGE,
  USCC_PATTERN,
  showInlineErrors,
} from './ExpertShared';
import { ExpertStatusDialog, type StatusAction } from './ExpertStatusDialog';
import { SubjectCredit } from './SubjectCredit';
import { useAuth } from '../auth';

export interface ExpertDrawerProps {
  /** The expert to show; null closes the drawer. */
  expertId: string | null;
  /** Bumped by the page after an edit elsewhere: read the expert again. */
  revision: number;
  writable: boolean;
  onClose: () => void;
  /** Something changed: the list should reload. */
  onChanged: () => void;
  onEdit: (expert: Expert) => void;
}

const DONE_TEXT: Record<StatusAction, string> = { suspend: '专家已暂停', resume: '专家已恢复在库', remove: '专家已除名' };

export function ExpertDrawer({ expertId, revision, writable, onClose, onChanged, onEdit }: ExpertDrawerProps) {
  const { message } = App.useApp();
  const { can } = useAuth();
  const [expert, setExpert] = useState<Expert | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<StatusAction | null>(null);

  const load = useCallback((id: string) => {
    setLoading(true);
    api
      .get<Expert>(`/api/v1/experts/${id}`)
      .then((answer) => {
        setExpert(answer);
        setError(null);
      })
      .catch((cause: unknown) => setError(errorText(cause)))
      .finally(() => setLoading(false));
  }, []);

  useEffect(() => {
    setExpert(null);
    setAction(null);
    setError(null);
  }, [expertId]);

  useEffect(() => {
    if (expertId) load(expertId);
  }, [expertId, revision, load]);

  /** Every change answers the whole expert, with its new version. */
  const changed = (answer: Expert, text: string) => {
    setExpert(answer);
    onChanged();
    void message.success(text);
  };

  const removePeriod = async (period: ExpertPeriod) => {
    if (!expert) return;
    try {
      changed(await api.del<Expert>(`/api/v1/experts/${expert.id}/unavailability/${period.id}`), '不可参评时段已删除');
    } catch (cause) {
      void message.error(errorText(cause));
    }
  };

  const removeRelation = async (relation: ExpertRelation) => {
    if (!expert) return;
    try {
      changed(await api.del<Expert>(`/api/v1/experts/${expert.id}/relations/${relation.id}`), '回避关系已删除');
    } catch (cause) {
      void message.error(errorText(cause));
    }
  };

  const periodColumns: TableColumnsType<ExpertPeriod> = [
    { title: '开始日期', dataIndex: 'from', width: 110 },
    { title: '结束日期', dataIndex: 'to', width: 110 },
    { title: '原因', dataIndex: 'reason' },
  ];
  const relationColumns: TableColumnsType<ExpertRelation> = [
    { title: '统一社会信用代码', dataIndex: 'uscc', width: 190, render: (v: string) => <span className="mono">{v}</span> },
    { title: '关系', dataIndex: 'kind', width: 100, render: (k: ExpertRelationKind) => labelOf(RELATION_KIND_LABELS, k) },
    { title: '说明', dataIndex: 'note', render: (v: string) => v || '—' },
    { title: '申报日期', dataIndex: 'declaredOn', width: 110 },
  ];
  if (writable) {
    periodColumns.push({
      title: '操作',
      key: 'actions',
      width: 70,
      render: (_, p) => (
        <Popconfirm title="删除该不可参评时段？" okText="删除" cancelText="取消" onConfirm={() => removePeriod(p)}>
          <Button type="link" size="small" danger aria-label={`删除时段 ${p.from} 至 ${p.to}`}>
            删除
          </Button>
        </Popconfirm>
      ),
    });
    relationColumns.push({
      title: '操作',
      key: 'actions',
      width: 70,
      render: (_, r) => (
        <Popconfirm title="删除该回避关系？" okText="删除" cancelText="取消" onConfirm={() => removeRelation(r)}>
          <Button type="link" size="small" danger aria-label={`删除回避关系 ${r.uscc}`}>
            删除
          </Button>
        </Popconfirm>
      ),
    });
  }

  const statusActions =
    expert && writable ? (
      <Space wrap>
        <Button onClick={() => onEdit(expert)} disabled={expert.status === 'removed'}>
          编辑
        </Button>
        {expert.status === 'active' ? <Button onClick={() => setAction('suspend')}>暂停</Button> : null}
        {expert.status === 'active' ? <ExpertAccountButton expert={expert} /> : null}
        {expert.status === 'suspended' ? <Button onClick={() => setAction('resume')}>恢复</Button> : null}
        {expert.status !== 'removed' ? (
          <Button danger onClick={() => setAction('remove')}>
            除名
          </Button>
        ) : null}
      </Space>
    ) : null;

  return (
    <Drawer
      open={expertId !== null}
      onClose={onClose}
      size={760}
      title={expert ? `专家详情：${expert.name}` : '专家详情'}
      extra={statusActions}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
      {loading && !expert ? <Spin className="page-spin" /> : null}
      {expert ? (
        <>
          <Descriptions size="small" column={2} bordered style={{ marginBottom: 24 }}>
            <Descriptions.Item label="姓名">{expert.name}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={EXPERT_STATUS_COLORS[expert.status]}>{labelOf(EXPERT_STATUS_LABELS, expert.status)}</Tag>
              {expert.statusReason ? <Typography.Text type="secondary">原因：{expert.statusReason}</Typography.Text> : null}
            </Descriptions.Item>
            <Descriptions.Item label="身份证号">
              <span className="mono">{expert.idNumberMasked}</span>
            </Descriptions.Item>
            <Descriptions.Item label="性别/出生年份">
              {labelOf(GENDER_LABELS, expert.gender)} / {expert.birthYear}
            </Descriptions.Item>
            <Descriptions.Item label="手机号">
              <span className="mono">{expert.phoneMasked}</span>
            </Descriptions.Item>
            <Descriptions.Item label="所在地区">{expert.regionName}</Descriptions.Item>
            <Descriptions.Item label="工作单位" span={2}>
              {expert.employerName}（<span className="mono">{expert.employerUscc}</span>）
            </Descriptions.Item>
            <Descriptions.Item label="职称" span={2}>
              {expert.titles.length > 0 ? expert.titles.map((t) => <Tag key={t}>{t}</Tag>) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="评标专业" span={2}>
              <SpecialtyTags specialties={expert.specialties} primary={expert.primarySpecialty} />
            </Descriptions.Item>
            <Descriptions.Item label="登记时间">{formatDateTime(expert.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="更新时间">{formatDateTime(expert.updatedAt)}</Descriptions.Item>
          </Descriptions>

          <Typography.Title level={5}>不可参评时段</Typography.Title>
          <Table<ExpertPeriod>
            rowKey="id"
            size="small"
            columns={periodColumns}
            dataSource={expert.unavailability}
            pagination={false}
            locale={{ emptyText: '暂无不可参评时段' }}
          />
          {writable ? <PeriodForm expert={expert} onAdded={(answer) => changed(answer, '不可参评时段已登记')} /> : null}

          <Typography.Title level={5} style={{ marginTop: 24 }}>
            回避关系
          </Typography.Title>
          <Table<ExpertRelation>
            rowKey="id"
            size="small"
            columns={relationColumns}
            dataSource={expert.relations}
            pagination={false}
            locale={{ emptyText: '暂无申报的回避关系' }}
          />
          {writable ? <RelationForm expert={expert} onAdded={(answer) => changed(answer, '回避关系已登记')} /> : null}

          {can('credit.record.read') ? (
            <>
              <Typography.Title level={5} style={{ marginTop: 24 }}>
                信用档案
              </Typography.Title>
              <SubjectCredit key={expert.id} url={`/api/v1/experts/${expert.id}/credit`} loadLabel="查看该专家的信用档案" />
            </>
          ) : null}

          <ExpertStatusDialog
            key={`${expert.id}-${expert.version}`}
            expert={expert}
            action={action}
            onClose={() => setAction(null)}
            onDone={(answer, done) => {
              setAction(null);
              changed(answer, DONE_TEXT[done]);
            }}
          />
        </>
      ) : null}
    </Drawer>
  );
}

interface PeriodValues {
  range: [Dayjs, Dayjs];
  reason: string;
}

function PeriodForm({ expert, onAdded }: { expert: Expert; onAdded: (expert: Expert) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PeriodValues>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: PeriodValues) => {
    setSaving(true);
    try {
      const answer = await api.post<Expert>(`/api/v1/experts/${expert.id}/unavailability`, {
        from: values.range[0].format(DATE_FORMAT),
        to: values.range[1].format(DATE_FORMAT),
        reason: values.reason.trim(),
      });
      form.resetFields();
      onAdded(answer);
    } catch (cause) {
      if (!showInlineErrors(form, cause, ['range', 'reason'], { from: 'range', to: 'range' })) void message.error(errorText(cause));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<PeriodValues> form={form} name="expertPeriod" layout="vertical" style={{ marginTop: 12 }} onFinish={(v) => void submit(v)}>
      <div className="form-grid">
        <Form.Item label="不可参评日期" name="range" rules={[{ required: true, message: '请选择开始和结束日期' }]}>
          <DatePicker.RangePicker format={DATE_FORMAT} className="full-width" />
        </Form.Item>
        <Form.Item
          label="不可参评原因"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '请填写原因' },
            { max: 200, message: '原因最多 200 字' },
          ]}
        >
          <Input maxLength={200} placeholder="如 出差、培训" />
        </Form.Item>
      </div>
      <Button htmlType="submit" loading={saving}>
        添加时段
      </Button>
    </Form>
  );
}

interface RelationValues {
  uscc: string;
  kind: ExpertRelationKind;
  note?: string;
}

function RelationForm({ expert, onAdded }: { expert: Expert; onAdded: (expert: Expert) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<RelationValues>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: RelationValues) => {
    setSaving(true);
    try {
      const note = values.note?.trim() ?? '';
      const answer = await api.post<Expert>(`/api/v1/experts/${expert.id}/relations`, {
        uscc: values.uscc.trim().toUpperCase(),
        kind: values.kind,
        ...(note ? { note } : {}),
      });
      form.resetFields();
      onAdded(answer);
    } catch (cause) {
      if (!showInlineErrors(form, cause, ['uscc', 'kind', 'note'])) void message.error(errorText(cause));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<RelationValues> form={form} name="expertRelation" layout="vertical" style={{ marginTop: 12 }} onFinish={(v) => void submit(v)}>
      <div className="form-grid">
        <Form.Item
          label="回避单位统一社会信用代码"
          name="uscc"
          normalize={(v: string) => v.toUpperCase()}
          rules={[
            { required: true, whitespace: true, message: '请输入统一社会信用代码' },
            { pattern: USCC_PATTERN, message: USCC_MESSAGE },
          ]}
        >
          <Input maxLength={18} className="mono" autoComplete="off" />
        </Form.Item>
        <Form.Item label="关系类型" name="kind" rules={[{ required: true, message: '请选择关系类型' }]}>
          <Select options={optionsOf(RELATION_KIND_LABELS)} placeholder="请选择" />
        </Form.Item>
      </div>
      <Form.Item label="关系说明" name="note" rules={[{ max: 200, message: '说明最多 200 字' }]}>
        <Input maxLength={200} placeholder="选填，如 配偶任职单位" />
      </Form.Item>
      <Button htmlType="submit" loading={saving}>
        添加回避关系
      </Button>
    </Form>
  );
}
