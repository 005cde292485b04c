// The bidder's workbench for one lot: the deadline on the deal's clock, the current bid with its
// signed receipt, and tabs to submit (or replace) a sealed bid, rehearse the decryption, decrypt
// at the opening and read the opening record, lodge the bid security, and see every attempt.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { decryptionClosesAt, documentsOf, getTimeline, myBidPath, openingOf } from './bidApi';
import { Countdown, DealTime, useDealOffset, useReached } from './dealClock';
import { DecryptPanel, RehearsalPanel } from './KeyPanels';
import { sizeText } from './money';
import { OpeningRecord } from './OpeningRecord';
import { ReceiptCard } from './ReceiptCard';
import { SecurityPanel } from './SecurityPanel';
import { SubmitBid } from './SubmitBid';
import { BidStatusTag, problemText } from './shared';
import type { MyBid, SealingKeyInfo, TenderProject, Timeline } from './types';

interface Data {
  project: TenderProject;
  mine: MyBid;
  timeline: Timeline;
  keys: SealingKeyInfo[];
}

export default function BidLotPage() {
  const { projectId = '', lotId = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [project, mine, timeline, keys] = await Promise.all([
        api.get<TenderProject>(`/api/v1/trading/projects/${projectId}`),
        api.get<MyBid>(myBidPath(lotId)),
        getTimeline(projectId),
        api.get<{ items: SealingKeyInfo[] }>('/api/v1/trading/sealing-keys'),
      ]);
      setData({ project, mine, timeline, keys: keys.items });
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? '标段不存在或不可见' : problemText(e));
    }
  }, [projectId, lotId]);

  useEffect(() => {
    void load();
  }, [load]);

  const offset = useDealOffset(data?.project.dealNow);
  const lot = data?.project.lots.find((l) => l.id === lotId) ?? null;
  const deadline = data ? new Date(data.mine.lot.bidDeadline).getTime() : null;
  const lotStatus = data?.mine.lot.lotStatus;
  const deadlineReached = useReached(deadline, offset);
  const beforeDeadline = deadline !== null && !deadlineReached;
  const bidOpen = lotStatus === 'bidding' && beforeDeadline;
  const closes = useMemo(() => {
    if (!data) return null;
    const announced = decryptionClosesAt(data.timeline.events, data.mine.lot.lotCode);
    if (announced) return new Date(announced).getTime();
    const minutes = data.project.schedule.decryptionMinutes;
    return deadline !== null && minutes !== null ? deadline + minutes * 60_000 : null;
  }, [data, deadline]);
  const opening = data ? openingOf(data.timeline.events, data.mine.lot.lotCode) : null;

  // The platform closes bidding and ends the decryption on its own (every second): follow it.
  // While something is about to change, read again every few seconds; otherwise now and then,
  // which also picks up a deal clock moved ahead in demo mode.
  const waiting = lotStatus === 'decrypting' || (lotStatus === 'bidding' && !beforeDeadline);
  useEffect(() => {
    const t = setInterval(() => void load(), waiting ? 3000 : 15000);
    return () => clearInterval(t);
  }, [load, waiting]);

  if (error && !data) return <Alert type="error" showIcon title={error} action={<Button onClick={() => void load()}>重试</Button>} />;
  if (!data || !lot) return <Spin className="page-spin" />;
  const { project, mine } = data;
  const bid = mine.bid;
  const standing = bid && bid.status !== 'withdrawn' && bid.status !== 'replaced' && bid.status !== 'incomplete' ? bid : null;
  const activeTab = tab ?? (lotStatus === 'decrypting' || lotStatus === 'opened' || opening ? 'opening' : 'submit');

  const withdraw = async () => {
    try {
      await api.del(myBidPath(lotId));
      void message.success('投标文件已撤回');
      void load();
    } catch (e) {
      void message.error(problemText(e), 6);
    }
  };

  return (
    <>
      <PageHeader
        title={`${lot.name}`}
        description={project.name}
        extra={
          <Space>
            <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/bidding')}>
              我的投标
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              刷新
            </Button>
          </Space>
        }
      />
      <Space orientation="vertical" size="middle" className="full-width">
        <Card size="small">
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2, xl: 3 }}
            items={[
              { key: 'deal', label: '统一交易标识码', children: <span className="mono">{project.dealCode ?? '—'}</span> },
              { key: 'lot', label: '标段编号', children: <span className="mono">{mine.lot.lotCode}</span> },
              { key: 'status', label: '标段状态', children: <Tag color="blue">{lot.statusName}</Tag> },
              { key: 'deadline', label: '投标截止（开标）时间', children: formatDateTime(mine.lot.bidDeadline) },
              {
                key: 'left',
                label: '距投标截止',
                children: beforeDeadline ? (
                  <Typography.Text strong aria-label="投标截止倒计时">
                    <Countdown to={deadline!} offset={offset} />
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary">投标已截止</Typography.Text>
                ),
              },
              { key: 'now', label: '交易时间', children: <span title="本交易的时钟（演示环境可能快于实际时间）"><DealTime offset={offset} /></span> },
              { key: 'mine', label: '本主体投标', children: standing ? <BidStatusTag status={standing.status} /> : <Typography.Text type="secondary">未递交</Typography.Text> },
            ]}
          />
          {project.pausedSince ? <Alert type="warning" showIcon title={`招标投标活动自 ${formatDateTime(project.pausedSince)} 起暂停（异议处理中），开标顺延`} /> : null}
        </Card>

        {standing?.receipt && standing.receiptSignature ? (
          <Card
            size="small"
            title="当前投标文件"
            extra={
              standing.status === 'received' && bidOpen ? (
                <Popconfirm title="撤回已递交的投标文件？" description="撤回后可在截止前重新递交；截止时没有投标文件即视为未投标。" okText="撤回" cancelText="取消" onConfirm={() => withdraw()}>
                  <Button danger size="small">
                    撤回投标文件
                  </Button>
                </Popconfirm>
              ) : null
            }
          >
            <ReceiptCard receipt={standing.receipt} signature={standing.receiptSignature} />
          </Card>
        ) : null}

        <Card size="small">
          <Tabs
            activeKey={activeTab}
            onChange={setTab}
            items={[
              {
                key: 'submit',
                label: standing?.status === 'received' ? '重新递交' : '递交投标文件',
                children: (
                  <SubmitBid
                    projectId={projectId}
                    lotId={lotId}
                    documents={documentsOf(data.timeline.events)}
                    keys={data.keys}
                    open={bidOpen}
                    replacing={standing?.status === 'received'}
                    dealNow={() => Date.now() + offset}
                    onSubmitted={() => void load()}
                  />
                ),
              },
              { key: 'rehearsal', label: '解密演练', children: <RehearsalPanel lotId={lotId} mine={mine} onDone={() => void load()} /> },
              {
                key: 'opening',
                label: '开标解密',
                children: (
                  <Space orientation="vertical" size="middle" className="full-width">
                    {opening ? <OpeningRecord record={opening} /> : null}
                    {!opening || standing?.status === 'received' ? <DecryptPanel lotId={lotId} mine={mine} closesAt={closes} offset={offset} onDone={() => void load()} /> : null}
                    {!opening && lotStatus === 'decrypting' ? <Typography.Text type="secondary">全部投标文件解密完成或解密时间结束后，平台公布开标记录。</Typography.Text> : null}
                  </Space>
                ),
              },
              { key: 'security', label: '投标保证金', children: <SecurityPanel lot={lot} security={mine.security} open={bidOpen} onSaved={() => void load()} /> },
              {
                key: 'attempts',
                label: '递交记录',
                children: (
                  <Space orientation="vertical" size="middle" className="full-width">
                    <Table
                      size="small"
                      rowKey="id"
                      pagination={false}
                      dataSource={mine.attempts}
                      locale={{ emptyText: '尚无递交记录' }}
                      columns={[
                        { title: '次序', dataIndex: 'attempt', render: (n: number) => `第 ${n} 次` },
                        { title: '开始上传', dataIndex: 'startedAt', render: (v: string) => formatDateTime(v) },
                        { title: '接收完成', dataIndex: 'receivedAt', render: (v: string | null) => formatDateTime(v) },
                        { title: '状态', dataIndex: 'status', render: (s: Parameters<typeof BidStatusTag>[0]['status']) => <BidStatusTag status={s} /> },
                        { title: '说明', dataIndex: 'failureReason', render: (v: string | null) => v ?? '' },
                      ]}
                    />
                    <Table
                      size="small"
                      rowKey="sealingKeyId"
                      pagination={false}
                      dataSource={mine.seals}
                      title={() => '当前投标文件的密钥封装'}
                      locale={{ emptyText: '—' }}
                      columns={[
                        { title: '密封密钥', dataIndex: 'label' },
                        { title: '指纹', dataIndex: 'fingerprint', render: (v: string) => <span className="mono">{v.slice(0, 16)}…</span> },
                        { title: '方式', dataIndex: 'via', render: (v: string) => (v === 'reseal' ? '密钥更新后补充' : '递交时封装') },
                        { title: '时间', dataIndex: 'addedAt', render: (v: string) => formatDateTime(v) },
                        { title: '', dataIndex: 'keyRevoked', render: (r: boolean) => (r ? <Tag>密钥已撤销</Tag> : null) },
                      ]}
                    />
                    {standing?.size ? <Typography.Text type="secondary">当前加密文件 {sizeText(standing.size)}</Typography.Text> : null}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
