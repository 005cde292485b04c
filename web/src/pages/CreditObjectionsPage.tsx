// 异议处理 (credit.objection.decide): pending objections with the overdue ones marked, the
// decided ones, and the decision (upheld → the record is revoked; dismissed → it stands).
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Radio, Space, Table, Tabs, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../auth';
import { DecisionDialog } from '../components/CreditDialogs';
import { CreditRecordDrawer } from '../components/CreditRecordDrawer';
import { OBJECTION_STATUS_COLORS, OBJECTION_STATUS_LABELS, useCreditReference } from '../components/CreditShared';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { paginationOf, usePagedList, type PagedList } from '../hooks';
import type { ObjectionListItem } from '../types';

const OUTCOMES = [
  { value: 'upheld' as const, label: '异议成立（撤销该信用记录）' },
  { value: 'dismissed' as const, label: '异议不成立（维持该信用记录）' },
];

export default function CreditObjectionsPage() {
  const { can } = useAuth();
  const readable = can('credit.record.read');
  const { message } = App.useApp();
  const reference = useCreditReference();
  const [tab, setTab] = useState<'pending' | 'decided'>('pending');
  const pending = usePagedList<ObjectionListItem>('/api/v1/credit/objections', { status: 'pending' });
  const decided = usePagedList<ObjectionListItem>('/api/v1/credit/objections', { status: 'upheld' });
  const [deciding, setDeciding] = useState<ObjectionListItem | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  const columns = (withActions: boolean): TableColumnsType<ObjectionListItem> => [
    {
      title: '信用记录',
      dataIndex: 'recordTitle',
      width: 220,
      render: (title: string, o) =>
        readable ? (
          <Button type="link" size="small" className="no-padding" onClick={() => setViewing(o.recordId)} aria-label={`查看信用记录 ${title}`}>
            {title}
          </Button>
        ) : (
          title
        ),
    },
    { title: '信用主体', dataIndex: 'subjectName', width: 180 },
    { title: '异议提出人', dataIndex: 'onBehalfOf', width: 160 },
    { title: '异议理由', dataIndex: 'reason', width: 260, render: (v: string) => <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} className="cell-paragraph">{v}</Typography.Paragraph> },
    { title: '提出时间', dataIndex: 'filedAt', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: '处理期限',
      dataIndex: 'dueOn',
      width: 150,
      render: (due: string, o) => (
        <Space size={4}>
          <span>{due}</span>
          {o.overdue ? (
            <Tooltip title="已超过处理期限，请尽快处理">
              <Tag color="red">逾期</Tag>
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
    { title: '状态', dataIndex: 'status', width: 110, render: (s: ObjectionListItem['status']) => <Tag color={OBJECTION_STATUS_COLORS[s]}>{OBJECTION_STATUS_LABELS[s]}</Tag> },
    ...(withActions
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 80,
            fixed: 'right' as const,
            render: (_: unknown, o: ObjectionListItem) => (
              <Button type="link" size="small" onClick={() => setDeciding(o)} aria-label={`处理异议 ${o.recordTitle}`}>
                处理
              </Button>
            ),
          },
        ]
      : [
          { title: '处理理由', dataIndex: 'decisionReason', width: 220, render: (v: string | null) => v ?? '—' },
          { title: '处理时间', dataIndex: 'decidedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
        ]),
  ];

  const table = (which: PagedList<ObjectionListItem>, withActions: boolean) => (
    <>
      {which.error ? <Alert type="error" showIcon title={which.error} className="table-alert" /> : null}
      <Table<ObjectionListItem>
        rowKey="id"
        size="middle"
        loading={which.loading}
        columns={columns(withActions)}
        dataSource={which.items}
        pagination={paginationOf(which)}
        scroll={{ x: 1400 }}
        rowClassName={(o) => (o.overdue ? 'row-overdue' : '')}
        locale={{ emptyText: withActions ? '没有待处理的异议' : '没有符合条件的异议' }}
      />
    </>
  );

  const reload = () => {
    pending.reload();
    decided.reload();
  };

  return (
    <>
      <PageHeader
        title="异议处理"
        description={`信用主体对信用记录提出的异议。异议成立的撤销记录（禁止参与随之解除），不成立的记录恢复生效；${reference.rules ? `应在提出后 ${reference.rules.objectionDecisionDays} 日内处理，` : ''}逾期未处理的已标出。`}
        extra={
          <Button icon={<ReloadOutlined />} onClick={reload}>
            刷新
          </Button>
        }
      />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as 'pending' | 'decided')}
          items={[
            { key: 'pending', label: `待处理（${pending.total}）`, children: table(pending, true) },
            { key: 'decided', label: '已处理', children: <DecidedFilter list={decided} render={() => table(decided, false)} /> },
          ]}
        />
      </Card>
      {deciding ? (
        <DecisionDialog
          open
          title="处理异议"
          url={`/api/v1/credit/objections/${deciding.id}/decision`}
          options={OUTCOMES}
          summary={[
            { label: '信用记录', value: deciding.recordTitle },
            { label: '信用主体', value: deciding.subjectName },
            { label: '异议提出人', value: deciding.onBehalfOf },
            { label: '异议理由', value: deciding.reason },
          ]}
          onClose={() => setDeciding(null)}
          onDecided={() => {
            setDeciding(null);
            void message.success('异议已处理');
            reload();
            setRevision((r) => r + 1);
          }}
        />
      ) : null}
      <CreditRecordDrawer recordId={viewing} revision={revision} reference={reference} onClose={() => setViewing(null)} onChanged={reload} />
    </>
  );
}

/** 已处理: one outcome at a time (the list filters by one status), or every objection. */
function DecidedFilter({ list, render }: { list: PagedList<ObjectionListItem>; render: () => ReactNode }) {
  return (
    <>
      <div className="filter-bar">
        <Radio.Group
          aria-label="处理结果筛选"
          optionType="button"
          value={(list.filters.status as string | undefined) ?? 'all'}
          onChange={(e) => list.setFilters({ status: e.target.value === 'all' ? undefined : (e.target.value as string) })}
          options={[
            { value: 'upheld', label: OBJECTION_STATUS_LABELS.upheld },
            { value: 'dismissed', label: OBJECTION_STATUS_LABELS.dismissed },
            { value: 'all', label: '全部异议（含待处理）' },
          ]}
        />
      </div>
      {render()}
    </>
  );
}
