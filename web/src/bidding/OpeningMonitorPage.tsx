// 开标监控 (centre staff): the projects in bidding or at their opening, and for one project each
// lot's bid box. Before the deadline only the count and arrival times (the API discloses no more);
// during decryption the progress (from the deal's event stream) and the time left; afterwards
// the published opening record. In demo mode the deal's clock can be moved to the deadline.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, List, Popconfirm, Progress, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ArrowLeftOutlined, FastForwardOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../api';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { paginationOf, usePagedList } from '../hooks';
import { decryptionClosesAt, getTimeline, openingOf } from './bidApi';
import { Countdown, DealTime, useDealOffset, useReached } from './dealClock';
import { OpeningRecord } from './OpeningRecord';
import { BidStatusTag, problemText } from './shared';
import type { DealEventItem, StaffBids, TenderLot, TenderProject, Timeline } from './types';

export function OpeningListPage() {
  const navigate = useNavigate();
  const list = usePagedList<TenderProject>('/api/v1/trading/projects', { status: 'bidding' }, 20);
  const columns: TableColumnsType<TenderProject> = [
    { title: '项目名称', dataIndex: 'name' },
    { title: '统一交易标识码', dataIndex: 'dealCode', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
    { title: '投标截止（开标）时间', key: 'deadline', render: (_, p) => formatDateTime(p.schedule.bidDeadline) },
    { title: '标段', key: 'lots', render: (_, p) => p.lots.map((l) => <Tag key={l.id}>{`${l.name}：${l.statusName}`}</Tag>) },
    { title: '项目状态', dataIndex: 'statusName', render: (v: string) => <Tag color="blue">{v}</Tag> },
    {
      title: '操作',
      key: 'go',
      render: (_, p) => (
        <Button size="small" type="primary" aria-label={`开标监控 ${p.name}`} onClick={() => void navigate(`/opening/projects/${p.id}`)}>
          监控
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageHeader title="开标监控" description="投标截止前只显示各标段已递交的数量与时间；投标截止后平台自动开标，投标人在线解密，解密结束后公布开标记录。" extra={<Button icon={<ReloadOutlined />} onClick={list.reload}>刷新</Button>} />
      <Card>
        <Space style={{ marginBottom: 16 }}>
          {[
            { value: 'bidding', label: '投标中' },
            { value: 'after_deadline', label: '已截标' },
            { value: 'finished', label: '已结束' },
          ].map((o) => (
            <Button key={o.value} type={list.filters.status === o.value ? 'primary' : 'default'} onClick={() => list.setFilters({ status: o.value })}>
              {o.label}
            </Button>
          ))}
        </Space>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table rowKey="id" loading={list.loading} columns={columns} dataSource={list.items} pagination={paginationOf(list)} locale={{ emptyText: '暂无项目' }} />
      </Card>
    </>
  );
}

function decidedCount(events: DealEventItem[], lotCode: string | null): number {
  return new Set(events.filter((e) => e.lotCode === lotCode && (e.type === 'bid_decrypted' || e.type === 'bid_decryption_failed')).map((e) => String(e.payload.bidId ?? e.id))).size;
}

function LotMonitor({ lot, bids, timeline, deadline, offset }: { lot: TenderLot; bids: StaffBids | null; timeline: Timeline; deadline: number | null; offset: number }) {
  const passed = useReached(deadline, offset);
  const opening = openingOf(timeline.events, lot.lotCode);
  const closesText = decryptionClosesAt(timeline.events, lot.lotCode);
  const closes = closesText ? new Date(closesText).getTime() : null;
  const decided = decidedCount(timeline.events, lot.lotCode);
  const count = bids?.count ?? 0;
  return (
    <Card size="small" title={`${lot.name}（${lot.lotCode ?? '—'}）`} extra={<Tag color="blue">{lot.statusName}</Tag>} aria-label={`标段 ${lot.name}`}>
      <Space orientation="vertical" size="middle" className="full-width">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'count', label: '已递交投标文件', children: <span aria-label="投标文件数量">{bids ? `${count} 份` : '…'}</span> },
            ...(lot.status === 'bidding' && deadline !== null ? [{ key: 'left', label: '距投标截止', children: !passed ? <Countdown to={deadline} offset={offset} /> : '已到截止时间，等待平台开标…' }] : []),
            ...(lot.status === 'decrypting' && closes !== null ? [{ key: 'closes', label: '解密剩余时间', children: <Countdown to={closes} offset={offset} /> }] : []),
          ]}
        />
        {lot.status === 'failed' ? <Alert type="error" showIcon title={lot.statusReason ?? '招标失败'} /> : null}
        {lot.status === 'bidding' && bids?.receivedAt ? (
          <List
            size="small"
            header="递交时间（开标前不显示投标人）"
            dataSource={bids.receivedAt}
            locale={{ emptyText: '尚无投标文件' }}
            renderItem={(at, i) => (
              <List.Item>
                {i + 1}. {formatDateTime(at)}
              </List.Item>
            )}
          />
        ) : null}
        {lot.status === 'decrypting' ? (
          <div aria-label="解密进度">
            <Typography.Text>
              已解密 {decided} / {count} 份
            </Typography.Text>
            <Progress percent={count === 0 ? 0 : Math.round((decided / count) * 100)} status="active" />
          </div>
        ) : null}
        {opening ? <OpeningRecord record={opening} /> : null}
        {bids?.disclosed && bids.bids ? (
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={bids.bids}
            title={() => '投标文件'}
            columns={[
              { title: '投标人', key: 'b', render: (_, b) => b.bidder.name },
              { title: '递交时间', dataIndex: 'receivedAt', render: (v: string | null) => formatDateTime(v) },
              { title: '状态', dataIndex: 'status', render: (s: Parameters<typeof BidStatusTag>[0]['status']) => <BidStatusTag status={s} /> },
            ]}
          />
        ) : null}
      </Space>
    </Card>
  );
}

export function OpeningProjectPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [project, setProject] = useState<TenderProject | null>(null);
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [bids, setBids] = useState<Record<string, StaffBids>>({});
  const [error, setError] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);

  const load = useCallback(async () => {
    try {
      const [p, t] = await Promise.all([api.get<TenderProject>(`/api/v1/trading/projects/${id}`), getTimeline(id)]);
      const coded = p.lots.filter((l) => l.status !== 'pending');
      const answers = await Promise.all(coded.map((l) => api.get<StaffBids>(`/api/v1/trading/lots/${l.id}/bids`)));
      setProject(p);
      setTimeline(t);
      setBids(Object.fromEntries(coded.map((l, i) => [l.id, answers[i]!])));
      setError(null);
    } catch (e) {
      setError(problemText(e));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const offset = useDealOffset(project?.dealNow);
  const deadline = project?.schedule.bidDeadline ? new Date(project.schedule.bidDeadline).getTime() : null;
  const passed = useReached(deadline, offset);
  const busy = !!project && (project.lots.some((l) => l.status === 'decrypting') || (project.status === 'bidding' && passed));
  useEffect(() => {
    const t = setInterval(() => void load(), busy ? 3000 : 15000);
    return () => clearInterval(t);
  }, [load, busy]);

  if (error && !project) return <Alert type="error" showIcon title={error} action={<Button onClick={() => void load()}>重试</Button>} />;
  if (!project || !timeline) return <Spin className="page-spin" />;

  const fastForward = async () => {
    setMoving(true);
    try {
      const r = await api.post<{ dealNow: string }>(`/api/v1/trading/projects/${id}/demo-clock`, { to: project.schedule.bidDeadline });
      void message.success(`交易时钟已快进到 ${formatDateTime(r.dealNow)}，平台将自动开标`);
      await load();
    } catch (e) {
      void message.error(problemText(e), 6);
    } finally {
      setMoving(false);
    }
  };

  const canMove = can('trading.project.accept') && project.status === 'bidding' && deadline !== null && !passed;

  return (
    <>
      <PageHeader
        title={project.name}
        description={`统一交易标识码 ${project.dealCode ?? '—'}`}
        extra={
          <Space>
            <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/opening')}>
              开标监控
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              刷新
            </Button>
            {canMove ? (
              <Popconfirm title="快进到投标截止？" description={`演示环境：本项目的交易时钟将快进到投标截止时间 ${formatDateTime(project.schedule.bidDeadline)}，平台随即截标并开标。生产环境不允许此操作。`} okText="快进" cancelText="取消" onConfirm={() => fastForward()}>
                <Button type="primary" icon={<FastForwardOutlined />} loading={moving}>
                  快进到投标截止
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        }
      />
      <Space orientation="vertical" size="middle" className="full-width">
        <Card size="small">
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              { key: 'status', label: '项目状态', children: <Tag color="blue">{project.statusName}</Tag> },
              { key: 'deadline', label: '投标截止（开标）时间', children: formatDateTime(project.schedule.bidDeadline) },
              { key: 'now', label: '交易时间', children: <DealTime offset={offset} /> },
              { key: 'minutes', label: '解密时限', children: project.schedule.decryptionMinutes ? `${project.schedule.decryptionMinutes} 分钟` : '—' },
            ]}
          />
        </Card>
        {project.lots.map((lot) => (
          <LotMonitor key={lot.id} lot={lot} bids={bids[lot.id] ?? null} timeline={timeline} deadline={deadline} offset={offset} />
        ))}
      </Space>
    </>
  );
}
