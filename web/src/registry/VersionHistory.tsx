// The versions of an entity: number, kind, status, when, what changed, the review's reason.
import { Table, Typography, type TableColumnsType } from 'antd';
import { formatDateTime, labelOf } from '../format';
import type { Change, VersionSummary } from '../types';
import { VERSION_KIND_LABELS, VersionStatusTag } from './shared';

function Changes({ changes }: { changes: Change[] }) {
  if (changes.length === 0) return <Typography.Text type="secondary">无变化</Typography.Text>;
  return (
    <ul className="change-list">
      {changes.map((c) => (
        <li key={c.field}>
          <strong>{c.label}</strong>：{c.before ?? '（空）'} → {c.after ?? '（空）'}
        </li>
      ))}
    </ul>
  );
}

const short = (id: string | null) => (id ? <span className="mono" title={id}>{id.slice(0, 8)}</span> : '—');

export function VersionHistory({ items, loading }: { items: VersionSummary[]; loading?: boolean }) {
  const columns: TableColumnsType<VersionSummary> = [
    { title: '版本', dataIndex: 'number', width: 60, render: (n: number) => `第 ${n} 版` },
    { title: '类型', dataIndex: 'kind', width: 60, render: (k: string) => labelOf(VERSION_KIND_LABELS, k) },
    { title: '状态', dataIndex: 'status', width: 90, render: (_, v) => <VersionStatusTag status={v.status} /> },
    {
      title: '创建 / 提交',
      key: 'created',
      width: 170,
      render: (_, v) => (
        <>
          <div>创建 {formatDateTime(v.createdAt)}（{v.createdByName || short(v.createdBy)}）</div>
          {v.submittedAt ? <div>提交 {formatDateTime(v.submittedAt)}</div> : null}
        </>
      ),
    },
    { title: '改了什么', key: 'changes', render: (_, v) => <Changes changes={v.changes} /> },
    {
      title: '审核',
      key: 'review',
      width: 200,
      render: (_, v) =>
        v.reviewedAt ? (
          <>
            <div>
              {formatDateTime(v.reviewedAt)}（{v.reviewedByName || short(v.reviewedBy)}）
            </div>
            {v.reviewReason ? <div>原因：{v.reviewReason}</div> : null}
          </>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <Table<VersionSummary>
      rowKey="id"
      size="small"
      loading={loading ?? false}
      columns={columns}
      dataSource={items}
      pagination={false}
      scroll={{ x: 860 }}
      locale={{ emptyText: '暂无版本' }}
      aria-label="版本历史"
    />
  );
}

export { Changes };
