// 评标 of one lot: which members have saved and confirmed their scores (staff watch it refresh),
// the report once every member confirmed — the ranking and the candidates, or the failure for
// insufficient competition — and the signed report PDF.
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, List, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { formatDateTime } from '../format';
import { download, yuan } from './shared';
import type { Evaluation, EvaluationReport, ReportCandidate } from './types';

type Member = Evaluation['members'][number];

export function EvaluationCard({ lotId, evaluation, staff, canDownload, onChanged }: { lotId: string; evaluation: Evaluation; staff: boolean; canDownload: boolean; onChanged: () => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const confirmed = evaluation.members.filter((m) => m.confirmedAt !== null).length;
  const all = evaluation.members.length;

  const report = async () => {
    setBusy(true);
    try {
      const e = await api.post<Evaluation>(`/api/v1/trading/lots/${lotId}/evaluation/report`);
      void message.success(e.outcome === 'ok' ? '评标报告已生成并签名' : '有效投标不足，评标委员会否决全部投标，本标段招标失败');
      onChanged();
    } catch (cause) {
      void message.error(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<Member> = [
    { title: '席位', dataIndex: 'seat', width: 70, render: (n: number) => `${n} 号` },
    { title: '评委', dataIndex: 'name' },
    { title: '提交评分', dataIndex: 'submittedAt', width: 160, render: (v: string | null) => (v ? formatDateTime(v) : <Typography.Text type="secondary">未提交</Typography.Text>) },
    { title: '确认评分', dataIndex: 'confirmedAt', width: 180, render: (v: string | null) => (v ? <Tag color="green">已确认 {formatDateTime(v)}</Tag> : <Tag>未确认</Tag>) },
  ];

  return (
    <Card size="small" title="评标" className="section-card" aria-label="评标">
      <Descriptions size="small" column={{ xs: 1, md: 3 }} className="section-card">
        <Descriptions.Item label="开始评标">{formatDateTime(evaluation.startedAt)}</Descriptions.Item>
        <Descriptions.Item label="评分确认">{evaluation.startedAt ? `${confirmed} / ${all} 人` : '—'}</Descriptions.Item>
        <Descriptions.Item label="评标报告">{evaluation.reportedAt ? formatDateTime(evaluation.reportedAt) : '未生成'}</Descriptions.Item>
      </Descriptions>
      {evaluation.startedAt ? <Table<Member> rowKey="seat" size="small" columns={columns} dataSource={evaluation.members} pagination={false} aria-label="评委评分情况" /> : null}
      {staff && evaluation.lotStatus === 'evaluating' ? (
        <Space className="section-card" wrap>
          <Button type="primary" loading={busy} disabled={confirmed < all} onClick={() => void report()}>
            生成评标报告
          </Button>
          {confirmed < all ? <Typography.Text type="secondary">全体评委确认评分后方可生成评标报告；本页每 5 秒自动刷新</Typography.Text> : null}
        </Space>
      ) : null}
      {evaluation.report ? <ReportView report={evaluation.report} /> : null}
      {evaluation.reportSm3 && canDownload ? (
        <Space className="section-card">
          <Button icon={<DownloadOutlined />} onClick={() => void download(`/api/v1/trading/lots/${lotId}/evaluation/report.pdf`, '评标报告.pdf').catch((c: unknown) => void message.error(errorText(c)))}>
            下载评标报告（PDF）
          </Button>
          <Typography.Text type="secondary" className="mono">
            SM3 {evaluation.reportSm3}
          </Typography.Text>
        </Space>
      ) : null}
    </Card>
  );
}

export function ReportView({ report }: { report: EvaluationReport }) {
  const comprehensive = report.method.kind === 'comprehensive';
  const columns: TableColumnsType<ReportCandidate> = [
    { title: '排名', dataIndex: 'rank', width: 70 },
    { title: '投标人', dataIndex: 'bidderName' },
    { title: '投标报价（元）', dataIndex: 'priceFen', width: 160, align: 'right', render: (f: number) => yuan(f) },
    comprehensive
      ? { title: '综合得分', dataIndex: 'totalPoints', width: 110, align: 'right', render: (p: number | null) => (p === null ? '—' : p.toFixed(2)) }
      : { title: '评标价（元）', dataIndex: 'evaluatedPriceFen', width: 160, align: 'right', render: (f: number | null) => yuan(f) },
    { title: '推荐', key: 'candidate', width: 130, render: (_, r) => (report.candidates.some((c) => c.bidId === r.bidId) ? <Tag color="gold">中标候选人</Tag> : null) },
  ];
  return (
    <div className="section-card" aria-label="评标结果">
      <Typography.Title level={5}>评标结果（{report.method.label}）</Typography.Title>
      {report.status === 'insufficient_competition' ? (
        <Alert
          type="error"
          showIcon
          title={`有效投标 ${report.validBidCount} 个，少于 ${report.minValidBids} 个：评标委员会否决全部投标，本标段招标失败`}
          description="依法必须进行招标的项目，招标人应当重新招标（招标投标法第四十二条、实施条例第四十三条）。招标失败公告已发布。"
        />
      ) : (
        <Table<ReportCandidate> rowKey="bidId" size="small" columns={columns} dataSource={report.ranking} pagination={false} aria-label="排名" />
      )}
      {report.rejected.length > 0 ? (
        <List
          size="small"
          header={<Typography.Text strong>否决投标</Typography.Text>}
          dataSource={report.rejected}
          renderItem={(r) => (
            <List.Item>
              {r.bidderName}：{r.reasons.join('；')}
            </List.Item>
          )}
        />
      ) : null}
      <Typography.Paragraph type="secondary">
        评标委员会：{report.panel.map((p) => p.name).join('、')}；报告生成于 {formatDateTime(report.generatedAt)}
      </Typography.Paragraph>
    </div>
  );
}
