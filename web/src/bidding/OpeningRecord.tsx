// The published opening record of a lot (开标记录): bidders in order of arrival, the decryption
// outcome and the price each declared in its sealed opening form. Read from the timeline's
// `opening_published` event; the signed record document's SM3 is shown for checking.
import { Card, Table, Tag, Typography } from 'antd';
import { formatDateTime } from '../format';
import { groupYuan } from './money';
import { OUTCOME_LABELS } from './shared';
import type { OpeningRow } from './types';

export function OpeningRecord({ record }: { record: { at: string; rows: OpeningRow[]; documentSm3: string | null } }) {
  return (
    <Card size="small" title="开标记录" aria-label="开标记录" extra={<Typography.Text type="secondary">公布于 {formatDateTime(record.at)}</Typography.Text>}>
      <Table
        size="small"
        rowKey={(r) => `${r.bidder}-${r.price ?? ''}`}
        pagination={false}
        dataSource={record.rows}
        columns={[
          { title: '序号', key: 'n', width: 64, render: (_, __, i) => i + 1 },
          { title: '投标人', dataIndex: 'bidder' },
          { title: '解密结果', dataIndex: 'outcome', render: (v: string) => <Tag color={v === 'decrypted' ? 'green' : 'red'}>{OUTCOME_LABELS[v] ?? v}</Tag> },
          { title: '投标报价（元）', dataIndex: 'price', align: 'right', render: (v: string | null) => (v === null ? '—' : groupYuan(v)) },
        ]}
      />
      {record.documentSm3 ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          平台签章的开标记录文件 SM3：<span className="mono">{record.documentSm3}</span>
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}
