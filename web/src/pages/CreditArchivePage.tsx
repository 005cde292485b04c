// 信用档案: one subject's archive by USCC or ID number (score, grade, what moved the score,
// records, objections, repairs), and 参与资格核验, the check every trading procedure runs.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Radio, Select, Space, Statistic, Table, Tabs, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { CreditRecordDrawer } from '../components/CreditRecordDrawer';
import {
  ID_NUMBER_MESSAGE,
  ID_NUMBER_PATTERN,
  OBJECTION_STATUS_COLORS,
  OBJECTION_STATUS_LABELS,
  RECORD_TYPE_LABELS,
  REPAIR_STATUS_COLORS,
  REPAIR_STATUS_LABELS,
  SUBJECT_KIND_LABELS,
  SeverityTag,
  StatusTag,
  banText,
  useCreditReference,
  type CreditReference,
} from '../components/CreditShared';
import { USCC_MESSAGE, USCC_PATTERN, showInlineErrors } from '../components/ExpertShared';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime, labelOf } from '../format';
import { useRegions, type SelectTreeNode } from '../hooks';
import type { CreditArchive, CreditRecord, Objection, ParticipationAnswer, Repair } from '../types';

type KeyKind = 'uscc' | 'idNumber';

interface SubjectValues {
  keyKind: KeyKind;
  key: string;
}

const KEY_LABELS: Record<KeyKind, string> = { uscc: '统一社会信用代码', idNumber: '身份证号' };

/** The subject key field: USCC or ID number, checked for shape here and for check digits by the server. */
function SubjectKeyFields({ keyKind, label }: { keyKind: KeyKind | undefined; label: string }) {
  const kind = keyKind ?? 'uscc';
  return (
    <>
      <Form.Item name="keyKind" label="查询方式">
        <Radio.Group optionType="button" options={[{ value: 'uscc', label: '统一社会信用代码' }, { value: 'idNumber', label: '身份证号' }]} />
      </Form.Item>
      <Form.Item
        name="key"
        label={label}
        normalize={(v: string) => v.toUpperCase()}
        rules={[
          { required: true, whitespace: true, message: `请输入${KEY_LABELS[kind]}` },
          kind === 'uscc' ? { pattern: USCC_PATTERN, message: USCC_MESSAGE } : { pattern: ID_NUMBER_PATTERN, message: ID_NUMBER_MESSAGE },
        ]}
      >
        <Input maxLength={18} className="mono subject-key" autoComplete="off" placeholder={kind === 'uscc' ? '18 位统一社会信用代码' : '18 位身份证号'} />
      </Form.Item>
    </>
  );
}

const subjectBody = (v: SubjectValues) => ({ [v.keyKind]: v.key.trim().toUpperCase() });

function ArchiveView({ archive, reference, onOpen }: { archive: CreditArchive; reference: CreditReference; onOpen: (id: string) => void }) {
  const titleOf = (id: string) => archive.records.find((r) => r.id === id)?.title ?? '—';
  const grades = reference.rules?.score;
  const recordColumns: TableColumnsType<CreditRecord> = [
    { title: '标题', dataIndex: 'title', width: 200 },
    { title: '记录类型', dataIndex: 'type', width: 100, render: (t: string) => labelOf(RECORD_TYPE_LABELS, t) },
    { title: '严重程度', key: 'severity', width: 90, render: (_, r) => <SeverityTag severity={r.severity} /> },
    { title: '决定日期', dataIndex: 'decisionDate', width: 110 },
    { title: '公示至', dataIndex: 'disclosureTo', width: 110, render: (v: string | null) => v ?? '不公示' },
    {
      title: '禁止参与',
      key: 'ban',
      render: (_, r) =>
        r.ban ? (
          <Typography.Text type={r.status === 'revoked' || r.status === 'repaired' ? 'secondary' : 'danger'} delete={r.status === 'revoked' || r.status === 'repaired'}>
            {banText(r.ban, reference.categoryName)}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    { title: '状态', key: 'status', width: 110, render: (_, r) => <StatusTag status={r.status} /> },
    {
      title: '操作',
      key: 'actions',
      width: 70,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => onOpen(r.id)} aria-label={`查看信用记录 ${r.title}`}>
          详情
        </Button>
      ),
    },
  ];
  const objectionColumns: TableColumnsType<Objection> = [
    { title: '信用记录', key: 'record', width: 200, render: (_, o) => titleOf(o.recordId) },
    { title: '异议提出人', dataIndex: 'onBehalfOf', width: 160 },
    { title: '提出时间', dataIndex: 'filedAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: '理由', dataIndex: 'reason', render: (v: string) => <span className="pre-wrap">{v}</span> },
    {
      title: '状态',
      key: 'status',
      width: 150,
      render: (_, o) => (
        <>
          <Tag color={OBJECTION_STATUS_COLORS[o.status]}>{OBJECTION_STATUS_LABELS[o.status]}</Tag>
          {o.overdue ? <Tag color="red">逾期</Tag> : null}
        </>
      ),
    },
    {
      title: '处理理由',
      key: 'decision',
      render: (_, o) => (o.status === 'pending' ? <Typography.Text type="secondary">应于 {o.dueOn} 前处理</Typography.Text> : <span className="pre-wrap">{o.decisionReason}</span>),
    },
  ];
  const repairColumns: TableColumnsType<Repair> = [
    { title: '信用记录', key: 'record', width: 200, render: (_, r) => titleOf(r.recordId) },
    { title: '申请时间', dataIndex: 'requestedAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: '履行义务情况', dataIndex: 'obligations', render: (v: string) => <span className="pre-wrap">{v}</span> },
    { title: '状态', key: 'status', width: 100, render: (_, r) => <Tag color={REPAIR_STATUS_COLORS[r.status]}>{REPAIR_STATUS_LABELS[r.status]}</Tag> },
    { title: '审核理由', dataIndex: 'decisionReason', render: (v: string | null) => v ?? '—' },
  ];
  const explanationColumns: TableColumnsType<CreditArchive['score']['explanation'][number]> = [
    { title: '信用记录', dataIndex: 'title' },
    { title: '分值', dataIndex: 'weight', width: 90, render: (v: number) => (v > 0 ? `+${v}` : String(v)) },
    { title: '剩余公示期比例', dataIndex: 'remaining', width: 140, render: (v: number) => `${(v * 100).toFixed(1)}%` },
    { title: '计入得分', dataIndex: 'contribution', width: 110, render: (v: number) => <Typography.Text type={v < 0 ? 'danger' : 'success'}>{v > 0 ? `+${v}` : v}</Typography.Text> },
  ];
  const s = archive.subject;
  return (
    <section aria-label="信用档案" className="archive-view">
      <div className="archive-head">
        <Descriptions size="small" column={2} bordered className="archive-subject">
          <Descriptions.Item label="信用主体">{s.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="主体类型">{labelOf(SUBJECT_KIND_LABELS, s.kind)}</Descriptions.Item>
          <Descriptions.Item label={s.kind === 'organisation' ? '统一社会信用代码' : '身份证号'} span={2}>
            <span className="mono">{s.uscc ?? s.idNumberMasked ?? '—'}</span>
          </Descriptions.Item>
        </Descriptions>
        <Card size="small" className="archive-score">
          <Space size="large">
            <Statistic title="信用分" value={archive.score.score} precision={1} />
            <Statistic title="信用等级" value={archive.score.grade} />
          </Space>
          {grades ? (
            <Typography.Paragraph type="secondary" className="archive-score-note">
              基础分 {grades.base}；{grades.grades.map((g) => `${g.grade} 级 ≥ ${g.min}`).join('，')}，其余为 {grades.fallbackGrade} 级
            </Typography.Paragraph>
          ) : null}
        </Card>
      </div>
      <section aria-label="得分构成">
        <Typography.Title level={5}>得分构成</Typography.Title>
        <Typography.Paragraph type="secondary">每条生效中的记录按其分值乘以剩余公示期比例计入；已撤销、已修复或公示期已满的记录不计分。</Typography.Paragraph>
        <Table rowKey="recordId" size="small" columns={explanationColumns} dataSource={archive.score.explanation} pagination={false} locale={{ emptyText: '没有影响得分的记录' }} />
      </section>
      <section aria-label="档案信用记录">
        <Typography.Title level={5}>信用记录</Typography.Title>
        <Table<CreditRecord> rowKey="id" size="small" columns={recordColumns} dataSource={archive.records} pagination={false} scroll={{ x: 1000 }} locale={{ emptyText: '您的数据范围内没有该主体的信用记录' }} />
      </section>
      <section aria-label="档案异议">
        <Typography.Title level={5}>异议</Typography.Title>
        <Table<Objection> rowKey="id" size="small" columns={objectionColumns} dataSource={archive.objections} pagination={false} locale={{ emptyText: '暂无异议' }} />
      </section>
      <section aria-label="档案信用修复">
        <Typography.Title level={5}>信用修复</Typography.Title>
        <Table<Repair> rowKey="id" size="small" columns={repairColumns} dataSource={archive.repairs} pagination={false} locale={{ emptyText: '暂无修复申请' }} />
      </section>
    </section>
  );
}

function ArchiveTab({ reference, onOpen, revision }: { reference: CreditReference; onOpen: (id: string) => void; revision: number }) {
  const [form] = Form.useForm<SubjectValues>();
  const keyKind = Form.useWatch('keyKind', form);
  const [archive, setArchive] = useState<CreditArchive | null>(null);
  const [asked, setAsked] = useState<SubjectValues | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const shown = useRef(revision);

  const query = async (v: SubjectValues) => {
    setLoading(true);
    setError(null);
    try {
      setArchive(await api.post<CreditArchive>('/api/v1/credit/subjects/archive', subjectBody(v)));
      setAsked(v);
    } catch (cause) {
      setArchive(null);
      if (!showInlineErrors(form, cause, ['key'], { uscc: 'key', idNumber: 'key' })) setError(errorText(cause));
    } finally {
      setLoading(false);
    }
  };

  // A change made in the drawer (an objection filed) shows in the archive at once.
  useEffect(() => {
    if (shown.current === revision) return;
    shown.current = revision;
    if (asked) void query(asked);
  }, [revision]);

  return (
    <>
      <Form<SubjectValues> form={form} name="creditArchive" layout="inline" className="filter-form" initialValues={{ keyKind: 'uscc' }} onFinish={(v) => void query(v)}>
        <SubjectKeyFields keyKind={keyKind} label="主体代码" />
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={loading}>
            查询档案
          </Button>
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
      {archive ? (
        <ArchiveView archive={archive} reference={reference} onOpen={onOpen} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="输入统一社会信用代码或身份证号查询信用档案" />
      )}
    </>
  );
}

interface CheckValues extends SubjectValues {
  category: string;
  regionCode: string;
  at: Dayjs;
}

function ParticipationTab({ reference, regionTree, onOpen }: { reference: CreditReference; regionTree: SelectTreeNode[]; onOpen: (id: string) => void }) {
  const [form] = Form.useForm<CheckValues>();
  const keyKind = Form.useWatch('keyKind', form);
  const [answer, setAnswer] = useState<ParticipationAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const check = async (v: CheckValues) => {
    setLoading(true);
    setError(null);
    try {
      setAnswer(await api.post<ParticipationAnswer>('/api/v1/credit/participation-check', { subject: subjectBody(v), category: v.category, regionCode: v.regionCode, at: v.at.toISOString() }));
    } catch (cause) {
      setAnswer(null);
      // `subject.uscc` / `subject.idNumber` → the one key field.
      const rename = { subject: 'key' };
      if (!showInlineErrors(form, cause, ['key', 'category', 'regionCode', 'at'], rename)) setError(errorText(cause));
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <Typography.Paragraph type="secondary">按交易类别、交易所在区划和时间核验主体是否被禁止参与（与交易系统报名、投标、定标时的核验相同；不受数据范围限制，任何地区发布的禁止参与都计入）。</Typography.Paragraph>
      <Form<CheckValues> form={form} name="creditParticipation" layout="vertical" initialValues={{ keyKind: 'uscc', at: dayjs() }} onFinish={(v) => void check(v)} className="participation-form">
        <div className="form-grid">
          <SubjectKeyFields keyKind={keyKind} label="核验主体代码" />
          <Form.Item name="category" label="交易类别" rules={[{ required: true, message: '请选择交易类别' }]}>
            <Select options={(reference.categories?.items ?? []).map((c) => ({ value: c.code, label: c.name }))} placeholder="请选择交易类别" />
          </Form.Item>
          <Form.Item name="regionCode" label="交易所在区划" rules={[{ required: true, message: '请选择交易所在区划' }]}>
            <TreeSelect treeData={regionTree} showSearch treeNodeFilterProp="title" placeholder="请选择行政区划" />
          </Form.Item>
          <Form.Item name="at" label="核验时间" rules={[{ required: true, message: '请选择核验时间' }]}>
            <DatePicker showTime format="YYYY-MM-DD HH:mm" className="full-width" />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit" loading={loading}>
          核验参与资格
        </Button>
      </Form>
      {error ? <Alert type="error" showIcon title={error} className="import-result" /> : null}
      {answer ? (
        answer.allowed ? (
          <Alert className="import-result" type="success" showIcon title="可以参与" description="未发现覆盖该交易类别、区划和时间的禁止参与记录。" />
        ) : (
          <section className="import-result" aria-label="参与资格核验结果">
            <Alert type="error" showIcon title="不得参与" description={`共 ${answer.blocking.length} 条禁止参与记录覆盖该交易。`} className="form-banner" />
            {answer.blocking.map((b) => (
              <Card key={b.recordId} size="small" className="drawer-card" title={b.title} extra={<SeverityTag severity={b.severity} />}>
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label="禁止参与">{b.reason}</Descriptions.Item>
                  <Descriptions.Item label="依据">{b.basis}</Descriptions.Item>
                  <Descriptions.Item label="截止日期">{b.until}</Descriptions.Item>
                </Descriptions>
                <Button type="link" size="small" onClick={() => onOpen(b.recordId)} className="no-padding">
                  查看信用记录
                </Button>
              </Card>
            ))}
          </section>
        )
      ) : null}
    </>
  );
}

export default function CreditArchivePage() {
  const reference = useCreditReference();
  const regions = useRegions();
  const [viewing, setViewing] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const loadError = reference.error ?? regions.error;
  return (
    <>
      <PageHeader title="信用档案" description="按统一社会信用代码或身份证号查询主体的信用分、等级、信用记录、异议和修复，或核验其参与某项交易的资格。身份证号只在请求内容中传递，不出现在地址中。" />
      <Card>
        {loadError ? <Alert type="warning" showIcon title={loadError} className="table-alert" /> : null}
        <Tabs
          items={[
            { key: 'archive', label: '信用档案', children: <ArchiveTab reference={reference} onOpen={setViewing} revision={revision} /> },
            { key: 'participation', label: '参与资格核验', children: <ParticipationTab reference={reference} regionTree={regions.treeData} onOpen={setViewing} /> },
          ]}
        />
      </Card>
      <CreditRecordDrawer recordId={viewing} reference={reference} onClose={() => setViewing(null)} onChanged={() => setRevision((r) => r + 1)} />
    </>
  );
}

