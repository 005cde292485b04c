// The body of a credit archive: the subject, its score and grade with what moved it, its records
// (ban, disclosure period, status) and their objections and repairs. Staff read a subject's
// archive on 信用档案; an entity's own users read theirs on 本主体信用 (`own`).
import { Button, Card, Descriptions, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { formatDateTime, labelOf } from '../format';
import type { CreditArchive, CreditRecord, Objection, Repair } from '../types';
import {
  OBJECTION_STATUS_COLORS,
  OBJECTION_STATUS_LABELS,
  OWN_OBJECTION_STATUS_LABELS,
  RECORD_TYPE_LABELS,
  REPAIR_STATUS_COLORS,
  REPAIR_STATUS_LABELS,
  SUBJECT_KIND_LABELS,
  SeverityTag,
  StatusTag,
  banText,
  type CreditReference,
} from './CreditShared';

export interface CreditArchiveViewProps {
  archive: CreditArchive;
  reference: CreditReference;
  onOpen: (id: string) => void;
  /** The subject reads its own archive (its wording; everything about it is shown). */
  own?: boolean;
}

export function CreditArchiveView({ archive, reference, onOpen, own = false }: CreditArchiveViewProps) {
  const objectionLabels = own ? OWN_OBJECTION_STATUS_LABELS : OBJECTION_STATUS_LABELS;
  const titleOf = (id: string) => archive.records.find((r) => r.id === id)?.title ?? '—';
  const grades = reference.rules?.score;
  const recordColumns: TableColumnsType<CreditRecord> = [
    { title: '标题', dataIndex: 'title', width: 200 },
    { title: '记录类型', dataIndex: 'type', width: 100, render: (t: string) => labelOf(RECORD_TYPE_LABELS, t) },
    { title: '严重程度', key: 'severity', width: 90, render: (_, r) => <SeverityTag severity={r.severity} /> },
    {
      title: '决定',
      key: 'decision',
      width: 170,
      render: (_, r) => (
        <>
          <div>{r.decisionNumber}</div>
          <Typography.Text type="secondary">{r.decisionDate}</Typography.Text>
        </>
      ),
    },
    { title: '公示期', key: 'disclosure', width: 200, render: (_, r) => (r.disclosureTo ? `${r.decisionDate} 至 ${r.disclosureTo}` : '不公示') },
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
    ...(own ? [] : [{ title: '异议提出人', dataIndex: 'onBehalfOf', width: 160 }]),
    { title: '提出时间', dataIndex: 'filedAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: '理由', dataIndex: 'reason', render: (v: string) => <span className="pre-wrap">{v}</span> },
    {
      title: '状态',
      key: 'status',
      width: 150,
      render: (_, o) => (
        <>
          <Tag color={OBJECTION_STATUS_COLORS[o.status]}>{objectionLabels[o.status]}</Tag>
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
        <Table<CreditRecord> rowKey="id" size="small" columns={recordColumns} dataSource={archive.records} pagination={false} scroll={{ x: 1000 }} locale={{ emptyText: own ? '本主体暂无信用记录' : '您的数据范围内没有该主体的信用记录' }} />
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
