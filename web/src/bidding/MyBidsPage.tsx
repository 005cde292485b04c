// 我的投标: this entity's bids (the latest attempt on each lot it bid on, from its own bid list),
// then the published tender projects it may bid on, each lot with this entity's bid on it, and
// the way into the lot's bid page.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { ApiError, api } from '../api';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { paginationOf, usePagedList } from '../hooks';
import { myBidPath } from './bidApi';
import { groupYuan } from './money';
import { BidStatusTag } from './shared';
import type { MyBid, MyBidListItem, TenderLot, TenderProject } from './types';

const STATUS_OPTIONS = [
  { value: 'bidding', label: '投标中' },
  { value: 'after_deadline', label: '已截标' },
  { value: 'finished', label: '已结束' },
];

/** This entity's bid on a lot, read when the row is shown. */
function MyBidCell({ lot }: { lot: TenderLot }) {
  const [state, setState] = useState<MyBid | null | 'none'>(null);
  useEffect(() => {
    let live = true;
    if (lot.status === 'pending') {
      setState('none');
      return;
    }
    api
      .get<MyBid>(myBidPath(lot.id))
      .then((m) => live && setState(m))
      .catch((e: unknown) => live && setState(e instanceof ApiError ? 'none' : null));
    return () => {
      live = false;
    };
  }, [lot.id, lot.status]);
  if (state === null) return <Typography.Text type="secondary">…</Typography.Text>;
  if (state === 'none' || !state.bid) return <Typography.Text type="secondary">未递交</Typography.Text>;
  return <BidStatusTag status={state.bid.status} />;
}

/** The entity's own bids, newest first: what became of each, with the receipt's time. */
function OwnBids() {
  const navigate = useNavigate();
  const list = usePagedList<MyBidListItem>('/api/v1/trading/bids/mine', {}, 10);
  const columns: TableColumnsType<MyBidListItem> = [
    { title: '项目名称', dataIndex: 'projectName' },
    { title: '标段', dataIndex: 'lotName' },
    { title: '标段编号', key: 'lotCode', render: (_, r) => <span className="mono">{r.bid.lotCode}</span> },
    { title: '投标截止时间', key: 'deadline', render: (_, r) => (r.bidDeadline ? formatDateTime(r.bidDeadline) : '—') },
    { title: '本主体投标', key: 'status', render: (_, r) => <BidStatusTag status={r.bid.status} /> },
    { title: '递交时间', key: 'received', render: (_, r) => (r.bid.receivedAt ? formatDateTime(r.bid.receivedAt) : '—') },
    { title: '标段状态', dataIndex: 'lotStatusName', render: (v: string) => <Tag>{v}</Tag> },
    {
      title: '操作',
      key: 'go',
      render: (_, r) => (
        <Button size="small" aria-label={`查看投标 ${r.projectName} ${r.lotName}`} onClick={() => void navigate(`/bidding/projects/${r.projectId}/lots/${r.bid.lotId}`)}>
          查看
        </Button>
      ),
    },
  ];
  return (
    <Card title="本主体的投标记录" style={{ marginBottom: 16 }} extra={<Button size="small" icon={<ReloadOutlined />} onClick={list.reload} aria-label="刷新投标记录" />}>
      {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
      <Table rowKey={(r) => r.bid.id} loading={list.loading} columns={columns} dataSource={list.items} pagination={paginationOf(list)} locale={{ emptyText: '尚未递交过投标文件' }} />
    </Card>
  );
}

export default function MyBidsPage() {
  const navigate = useNavigate();
  const list = usePagedList<TenderProject>('/api/v1/trading/projects', { status: 'bidding' }, 10);
  const [q, setQ] = useState('');

  const lotColumns = (p: TenderProject): TableColumnsType<TenderLot> => [
    { title: '标段', dataIndex: 'name' },
    { title: '标段编号', dataIndex: 'lotCode', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
    { title: '估算价（元）', dataIndex: 'estimatedPrice', render: (v: string) => groupYuan(v) },
    { title: '投标保证金（元）', dataIndex: 'bidSecurity', render: (v: string) => groupYuan(v) },
    { title: '标段状态', dataIndex: 'statusName', render: (v: string) => <Tag>{v}</Tag> },
    { title: '本主体投标', key: 'mine', render: (_, lot) => <MyBidCell lot={lot} /> },
    {
      title: '操作',
      key: 'go',
      render: (_, lot) => (
        <Button type="primary" size="small" aria-label={`进入投标 ${lot.name}`} onClick={() => void navigate(`/bidding/projects/${p.id}/lots/${lot.id}`)}>
          {lot.status === 'bidding' ? '投标' : '查看'}
        </Button>
      ),
    },
  ];

  const columns: TableColumnsType<TenderProject> = [
    { title: '项目名称', dataIndex: 'name' },
    { title: '统一交易标识码', dataIndex: 'dealCode', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
    { title: '投标截止（开标）时间', key: 'deadline', render: (_, p) => formatDateTime(p.schedule.bidDeadline) },
    { title: '项目状态', dataIndex: 'statusName', render: (v: string) => <Tag color="blue">{v}</Tag> },
  ];

  return (
    <>
      <PageHeader
        title="我的投标"
        description="已发布招标公告的项目。进入标段后可下载招标文件、填写开标一览表、在浏览器中加密并递交投标文件，开标时在线解密。"
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        }
      />
      <OwnBids />
      <Card title="可投标的项目">
        <Space className="filter-bar" wrap style={{ marginBottom: 16 }}>
          <Select aria-label="项目状态" allowClear placeholder="全部状态" style={{ width: 160 }} options={STATUS_OPTIONS} value={(list.filters.status as string | undefined) ?? null} onChange={(v: string | null) => list.setFilters({ ...list.filters, status: v ?? undefined })} />
          <Input.Search aria-label="搜索项目" placeholder="项目名称或交易标识码" allowClear value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => list.setFilters({ ...list.filters, q: v.trim() || undefined })} style={{ width: 280 }} />
        </Space>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table
          rowKey="id"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          pagination={paginationOf(list)}
          expandable={{
            // Always open: the lots are what a bidder acts on.
            expandedRowKeys: list.items.map((p) => p.id),
            showExpandColumn: false,
            expandedRowRender: (p) => <Table rowKey="id" size="small" columns={lotColumns(p)} dataSource={p.lots} pagination={false} />,
            rowExpandable: (p) => p.lots.length > 0,
          }}
          locale={{ emptyText: '暂无项目' }}
        />
      </Card>
    </>
  );
}
