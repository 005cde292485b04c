// 招标公告 (bidders): projects whose notice is published and whose bidding is open.
import { Alert, Button, Card, Input, Table, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { PageHeader } from '../components/PageHeader';
import { paginationOf, usePagedList } from '../hooks';
import { regionName } from '../registry/shared';
import type { TenderProject } from '../types';
import { cst, formatDealCode } from '../trading/shared';

export default function TenderNoticesPage() {
  const list = usePagedList<TenderProject>('/api/v1/trading/projects', { status: 'bidding' });
  const columns: TableColumnsType<TenderProject> = [
    { title: '项目名称', dataIndex: 'name', render: (name: string, p) => <Link to={`/trading/notices/${p.id}`}>{name}</Link> },
    { title: '统一交易标识码', dataIndex: 'dealCode', width: 310, render: (c: string | null) => <span className="mono">{formatDealCode(c)}</span> },
    { title: '所在地区', dataIndex: 'regionCode', width: 150, render: (c: string) => regionName(c) },
    { title: '招标类别', dataIndex: 'categoryName', width: 150 },
    { title: '标段', key: 'lots', width: 60, render: (_, p) => p.lots.length },
    { title: '招标文件获取截止', key: 'until', width: 150, render: (_, p) => cst(p.schedule.documentsUntil) },
    { title: '投标截止', key: 'deadline', width: 150, render: (_, p) => cst(p.schedule.bidDeadline) },
  ];
  return (
    <>
      <PageHeader title="招标公告" description="正在投标的工程建设招标项目。投标前须在获取期内下载招标文件；对招标文件有异议的，应在投标截止 10 日前提出。" />
      <Card>
        <div className="filter-bar">
          <Input.Search placeholder="项目名称或统一交易标识码" allowClear className="filter-search" onSearch={(q) => list.setFilters({ status: 'bidding', q: q.trim() })} aria-label="搜索招标公告" />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<TenderProject> rowKey="id" size="middle" loading={list.loading} columns={columns} dataSource={list.items} pagination={paginationOf(list)} scroll={{ x: 1100 }} locale={{ emptyText: '暂无正在投标的项目' }} />
      </Card>
    </>
  );
}
