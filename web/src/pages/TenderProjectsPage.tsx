// 招标项目: the entity's own tender projects (as tenderer or agency) with their status and deal
// code, and the registration of a new one.
import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Input, Select, Table, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useMe } from '../auth';
import { PageHeader } from '../components/PageHeader';
import type { TenderProject, TenderProjectStatus } from '../types';
import { useIsAgency, useOwnProjects } from '../trading/hooks';
import { ProjectFormModal } from '../trading/ProjectForm';
import { cst, formatDealCode, ProjectStatusTag } from '../trading/shared';

const STATUS_OPTIONS: { value: TenderProjectStatus; label: string }[] = [
  { value: 'draft', label: '登记中' },
  { value: 'submitted', label: '待受理' },
  { value: 'returned', label: '已退回' },
  { value: 'accepted', label: '已受理' },
  { value: 'notice_review', label: '公告待审核' },
  { value: 'bidding', label: '投标中' },
  { value: 'after_deadline', label: '已截标' },
  { value: 'finished', label: '已结束' },
];

export default function TenderProjectsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const list = useOwnProjects(me.entity?.id ?? null);
  const agency = useIsAgency();
  const [registering, setRegistering] = useState(false);
  const [status, setStatus] = useState<TenderProjectStatus | undefined>();
  const [q, setQ] = useState('');

  const shown = useMemo(() => {
    const text = q.trim().replace(/-/g, '').toUpperCase();
    return list.items.filter((p) => (!status || p.status === status) && (!text || p.name.toUpperCase().includes(text) || (p.dealCode ?? '').includes(text)));
  }, [list.items, status, q]);

  const columns: TableColumnsType<TenderProject> = [
    { title: '项目名称', dataIndex: 'name', render: (name: string, p) => <Link to={`/trading/projects/${p.id}`}>{name}</Link> },
    { title: '统一交易标识码', dataIndex: 'dealCode', width: 310, render: (c: string | null) => (c ? <span className="mono">{formatDealCode(c)}</span> : '受理后赋码') },
    { title: '招标类别', dataIndex: 'categoryName', width: 150 },
    { title: '标段', key: 'lots', width: 70, render: (_, p) => p.lots.length },
    { title: '状态', dataIndex: 'status', width: 110, render: (_, p) => <ProjectStatusTag status={p.status} name={p.statusName} /> },
    { title: '投标截止', key: 'deadline', width: 150, render: (_, p) => cst(p.schedule.bidDeadline) },
    { title: '登记时间', dataIndex: 'createdAt', width: 150, render: (v: string) => cst(v) },
  ];

  return (
    <>
      <PageHeader
        title="招标项目"
        description="本主体作为招标人或招标代理机构登记的工程建设项目。登记后提交交易中心受理，受理后赋统一交易标识码，再编制招标公告与招标文件。"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
            登记招标项目
          </Button>
        }
      />
      <Card>
        <div className="filter-bar">
          <Input.Search placeholder="项目名称或统一交易标识码" allowClear className="filter-search" onSearch={setQ} aria-label="搜索招标项目" />
          <Select allowClear placeholder="全部状态" options={STATUS_OPTIONS} value={status} onChange={setStatus} className="filter-select" aria-label="状态" />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<TenderProject>
          rowKey="id"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={shown}
          pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 条` }}
          scroll={{ x: 1100 }}
          locale={{ emptyText: '尚未登记招标项目' }}
        />
      </Card>
      <ProjectFormModal
        open={registering}
        project={null}
        agency={agency}
        onClose={() => setRegistering(false)}
        onSaved={(p) => {
          void message.success(`已登记：${p.name}`);
          setRegistering(false);
          void navigate(`/trading/projects/${p.id}`);
        }}
      />
    </>
  );
}
