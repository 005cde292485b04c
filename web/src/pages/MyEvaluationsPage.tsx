// 我的评标: the lots the signed-in expert sits on the panel of, with the state of its own sheet.
import { Alert, Button, Card, Table, Tag, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../format';
import { paginationOf, usePagedList } from '../hooks';
import { PageHeader } from '../components/PageHeader';
import { codeText, LotStatusTag } from '../evaluation/shared';
import type { ExpertLot } from '../evaluation/types';

export default function MyEvaluationsPage() {
  const list = usePagedList<ExpertLot>('/api/v1/trading/evaluations/mine', {}, 20);
  const columns: TableColumnsType<ExpertLot> = [
    { title: '项目名称', dataIndex: 'projectName' },
    { title: '标段', dataIndex: 'lotName', width: 160 },
    { title: '标段编号', dataIndex: 'lotCode', width: 340, render: (c: string) => <span className="mono">{codeText(c)}</span> },
    { title: '席位', dataIndex: 'seat', width: 80, render: (n: number) => `${n} 号` },
    { title: '标段状态', key: 'status', width: 150, render: (_, r) => <LotStatusTag status={r.lotStatus} name={r.lotStatusName} /> },
    {
      title: '本人评分',
      key: 'mine',
      width: 200,
      render: (_, r) => (r.confirmedAt ? <Tag color="green">已确认 {formatDateTime(r.confirmedAt)}</Tag> : r.submittedAt ? <Tag color="blue">已保存，待确认</Tag> : <Tag>未评分</Tag>),
    },
    {
      title: '操作',
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, r) => (
        <Link to={`/evaluation/lots/${r.lotId}`} aria-label={`评分 ${r.projectName} ${r.lotName}`}>
          {r.lotStatus === 'evaluating' && !r.confirmedAt ? '评分' : '查看'}
        </Link>
      ),
    },
  ];
  return (
    <>
      <PageHeader title="我的评标" description="您作为评标委员会成员参加评标的标段。评标开始后可调阅投标文件、逐项评分并确认；确认后评分锁定。" />
      <Card>
        <div className="filter-bar">
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<ExpertLot> rowKey="lotId" size="middle" loading={list.loading} columns={columns} dataSource={list.items} pagination={paginationOf(list)} scroll={{ x: 1100 }} locale={{ emptyText: '暂无评标任务' }} />
      </Card>
    </>
  );
}
