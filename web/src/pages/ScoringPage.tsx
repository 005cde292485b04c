// 评标 of one lot, for a member of its panel: the decrypted bids (opening items, package
// downloads, audited by the server), the committee's price adjustments under 经评审的最低投标价法,
// and the scoring sheet.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Result, Space, Spin, Table, Typography, type TableColumnsType } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { formatDateTime } from '../format';
import { PageHeader } from '../components/PageHeader';
import { AdjustmentsCard } from '../evaluation/AdjustmentsCard';
import { ScoringSheet } from '../evaluation/ScoringSheet';
import { download } from '../evaluation/shared';
import type { BidsForExpert, OpenedBid } from '../evaluation/types';

export default function ScoringPage() {
  const { id } = useParams();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [data, setData] = useState<BidsForExpert | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .get<BidsForExpert>(`/api/v1/trading/lots/${id}/evaluation/bids`)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((cause: unknown) => setError(errorText(cause)));
  }, [id]);
  useEffect(load, [load]);

  if (error && !data) return <Result status="warning" title={error} extra={<Button onClick={() => void navigate('/evaluation/mine')}>返回我的评标</Button>} />;
  if (!data) return <Spin className="page-spin" />;

  const columns: TableColumnsType<OpenedBid> = [
    { title: '投标人', dataIndex: 'bidderName' },
    { title: '投标报价（元）', dataIndex: 'price', width: 160, align: 'right' },
    { title: '工期', key: 'duration', width: 110, render: (_, b) => (typeof b.items?.durationDays === 'number' ? `${b.items.durationDays} 日历天` : '—') },
    { title: '质量标准', key: 'quality', width: 110, render: (_, b) => b.items?.qualityStandard ?? '—' },
    { title: '项目经理', key: 'manager', width: 100, render: (_, b) => b.items?.projectManager ?? '—' },
    { title: '递交时间', dataIndex: 'receivedAt', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: '投标文件',
      key: 'package',
      width: 150,
      render: (_, b) => (
        <Button
          size="small"
          icon={<DownloadOutlined />}
          aria-label={`下载 ${b.bidderName} 的投标文件`}
          onClick={() => void download(`/api/v1/trading/lots/${data.lotId}/evaluation/bids/${b.bidId}/package`, `${b.bidderName}-投标文件.ggzypkg`).catch((c: unknown) => void message.error(errorText(c)))}
        >
          下载
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={`评标：${data.lotName}`}
        description={`${data.mine.seat} 号评委。评分仅本人可见，评标报告生成前不向任何人公开。`}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/evaluation/mine')}>
            返回
          </Button>
        }
      />
      {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
      <Card size="small" title={`投标文件（开标记录，共 ${data.bids.length} 份）`} className="section-card" aria-label="投标文件">
        <Table<OpenedBid> rowKey="bidId" size="small" columns={columns} dataSource={data.bids} pagination={false} scroll={{ x: 1000 }} />
        <Space className="section-card">
          <Typography.Text type="secondary">下载的投标文件为解密后的投标文件包（开标一览表及各文件的 SM3 清单），调阅留痕。</Typography.Text>
        </Space>
      </Card>
      {data.method.kind === 'lowest_evaluated_price' ? <AdjustmentsCard lotId={data.lotId} bids={data.bids} locked={data.mine.confirmedAt !== null} /> : null}
      <ScoringSheet key={data.mine.confirmedAt ?? 'open'} lotId={data.lotId} data={data} onSaved={(mine) => setData({ ...data, mine })} />
    </>
  );
}
