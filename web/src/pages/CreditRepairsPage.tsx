// 信用修复 (credit.repair.decide): repair requests to review, and the reviewed ones. Approval
// marks the record repaired: its disclosure and its ban end.
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Radio, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../auth';
import { DecisionDialog } from '../components/CreditDialogs';
import { CreditRecordDrawer } from '../components/CreditRecordDrawer';
import { EvidenceList, REPAIR_STATUS_COLORS, REPAIR_STATUS_LABELS, useCreditReference } from '../components/CreditShared';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { paginationOf, usePagedList, type PagedList } from '../hooks';
import type { RepairListItem } from '../types';

const OUTCOMES = [
  { value: 'approved' as const, label: '准予修复（记录标记为已修复，停止公示，禁止参与解除）' },
  { value: 'rejected' as const, label: '不予修复（记录维持不变）' },
];

export default function CreditRepairsPage() {
  const { can } = useAuth();
  const readable = can('credit.record.read');
  const { message } = App.useApp();
  const reference = useCreditReference();
  const [tab, setTab] = useState('pending');
  const pending = usePagedList<RepairListItem>('/api/v1/credit/repairs', { status: 'pending' });
  const decided = usePagedList<RepairListItem>('/api/v1/credit/repairs', { status: 'approved' });
  const [deciding, setDeciding] = useState<RepairListItem | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  const columns = (withActions: boolean): TableColumnsType<RepairListItem> => [
    {
      title: '信用记录',
      dataIndex: 'recordTitle',
      width: 220,
      render: (title: string, r) =>
        readable ? (
          <Button type="link" size="small" className="no-padding" onClick={() => setViewing(r.recordId)} aria-label={`查看信用记录 ${title}`}>
            {title}
          </Button>
        ) : (
          title
        ),
    },
    { title: '信用主体', dataIndex: 'subjectName', width: 180 },
    { title: '履行义务情况', dataIndex: 'obligations', width: 260, render: (v: string) => <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} className="cell-paragraph">{v}</Typography.Paragraph> },
    { title: '证明材料', dataIndex: 'evidence', width: 110, render: (e: RepairListItem['evidence']) => `${e.length} 份` },
    { title: '申请时间', dataIndex: 'requestedAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: '状态', dataIndex: 'status', width: 100, render: (s: RepairListItem['status']) => <Tag color={REPAIR_STATUS_COLORS[s]}>{REPAIR_STATUS_LABELS[s]}</Tag> },
    ...(withActions
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 80,
            fixed: 'right' as const,
            render: (_: unknown, r: RepairListItem) => (
              <Button type="link" size="small" onClick={() => setDeciding(r)} aria-label={`审核修复申请 ${r.recordTitle}`}>
                审核
              </Button>
            ),
          },
        ]
      : [
          { title: '审核理由', dataIndex: 'decisionReason', width: 220, render: (v: string | null) => v ?? '—' },
          { title: '审核时间', dataIndex: 'decidedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
        ]),
  ];

  const table = (which: PagedList<RepairListItem>, withActions: boolean) => (
    <>
      {which.error ? <Alert type="error" showIcon title={which.error} className="table-alert" /> : null}
      <Table<RepairListItem>
        rowKey="id"
        size="middle"
        loading={which.loading}
        columns={columns(withActions)}
        dataSource={which.items}
        pagination={paginationOf(which)}
        scroll={{ x: 1300 }}
        expandable={{ expandedRowRender: (r) => <RepairDetail repair={r} /> }}
        locale={{ emptyText: withActions ? '没有待审核的修复申请' : '没有符合条件的修复申请' }}
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
        title="信用修复"
        description="审核代信用主体提交的信用修复申请：已满最短公示期、已履行法定义务并作出公开信用承诺的，可准予修复。串通投标等不可修复的记录不能申请。"
        extra={
          <Button icon={<ReloadOutlined />} onClick={reload}>
            刷新
          </Button>
        }
      />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'pending', label: `待审核（${pending.total}）`, children: table(pending, true) },
            { key: 'decided', label: '已审核', children: <DecidedFilter list={decided} render={() => table(decided, false)} /> },
          ]}
        />
      </Card>
      {deciding ? (
        <DecisionDialog
          open
          title="审核信用修复申请"
          url={`/api/v1/credit/repairs/${deciding.id}/decision`}
          options={OUTCOMES}
          summary={[
            { label: '信用记录', value: deciding.recordTitle },
            { label: '信用主体', value: deciding.subjectName },
            { label: '履行义务情况', value: deciding.obligations },
            { label: '信用承诺', value: deciding.commitment.text },
            { label: '证明材料', value: <EvidenceList items={deciding.evidence} /> },
          ]}
          onClose={() => setDeciding(null)}
          onDecided={() => {
            setDeciding(null);
            void message.success('修复申请已审核');
            reload();
            setRevision((r) => r + 1);
          }}
        />
      ) : null}
      <CreditRecordDrawer recordId={viewing} revision={revision} reference={reference} onClose={() => setViewing(null)} onChanged={reload} />
    </>
  );
}

function RepairDetail({ repair }: { repair: RepairListItem }) {
  return (
    <div className="repair-detail">
      <div className="pre-wrap">履行义务情况：{repair.obligations}</div>
      <div className="pre-wrap">信用承诺：{repair.commitment.text}</div>
      <EvidenceList items={repair.evidence} />
    </div>
  );
}

function DecidedFilter({ list, render }: { list: PagedList<RepairListItem>; render: () => ReactNode }) {
  return (
    <>
      <div className="filter-bar">
        <Radio.Group
          aria-label="审核结果筛选"
          optionType="button"
          value={(list.filters.status as string | undefined) ?? 'all'}
          onChange={(e) => list.setFilters({ status: e.target.value === 'all' ? undefined : (e.target.value as string) })}
          options={[
            { value: 'approved', label: REPAIR_STATUS_LABELS.approved },
            { value: 'rejected', label: REPAIR_STATUS_LABELS.rejected },
            { value: 'all', label: '全部申请（含待审核）' },
          ]}
        />
      </div>
      {render()}
    </>
  );
}
