// 交易项目 (staff and supervisors): every tender project in the reader's data scope, each opening
// its 交易全过程.
import { Alert, Button, Card, Input, Select, Table, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { PageHeader } from '../components/PageHeader';
import { paginationOf, usePagedList } from '../hooks';
import { regionName } from '../registry/shared';
import type { TenderProject } from '../types';
import { cst, formatDealCode, ProjectStatusTag } from '../trading/shared';

const STATUSES = [
  ['submitted', '待受理'],
  ['returned', '已退回'],
  ['accepted', '已受理'],
  ['notice_review', '公告待审核'],
  ['bidding', '投标中'],
  ['after_deadline', '已截标'],
  ['finished', '已结束'],
].map(([value, label]) => ({ value: value!, label: label! }));

export default function DealsPage() {
  const list = usePagedList<TenderProject>('/api/v1/trading/projects');
  const columns: TableColumnsType<TenderProject> = [
    { title: '项目名称', dataIndex: 'name', render: (name: string, p) => <Link to={`/trading/timeline/${p.id}`}>{name}</Link> },
    { title: '统一交易标识码', dataIndex: 'dealCode', width: 310, render: (c: string | null) => (c ? <span className="mono">{formatDealCode(c)}</span> : '—') },
    { title: '所在地区', dataIndex: 'regionCode', width: 150, render: (c: string) => regionName(c) },
    { title: '状态', dataIndex: 'status', width: 110, render: (_, p) => <ProjectStatusTag status={p.status} name={p.statusName} /> },
    { title: '投标截止', key: 'deadline', width: 150, render: (_, p) => cst(p.schedule.bidDeadline) },
    {
      title: '操作',
      key: 'actions',
      width: 110,
      fixed: 'right',
      render: (_, p) => (
        <Link to={`/trading/timeline/${p.id}`} aria-label={`交易全过程 ${p.name}`}>
          交易全过程
        </Link>
      ),
    },
  ];
  return (
    <>
      <PageHeader title="交易项目" description="数据范围内的工程建设招标项目。点击项目查看按统一交易标识码记录的交易全过程。" />
      <Card>
        <div className="filter-bar">
          <Input.Search placeholder="项目名称或统一交易标识码" allowClear className="filter-search" onSearch={(q) => list.setFilters({ ...list.filters, q: q.trim() })} aria-label="搜索交易项目" />
          <Select allowClear placeholder="全部状态" options={STATUSES} className="filter-select" aria-label="状态" onChange={(status?: string) => list.setFilters({ ...list.filters, status })} />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<TenderProject> rowKey="id" size="middle" loading={list.loading} columns={columns} dataSource={list.items} pagination={paginationOf(list)} scroll={{ x: 1100 }} locale={{ emptyText: '暂无交易项目' }} />
      </Card>
    </>
  );
}
