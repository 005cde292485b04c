import { useMemo, useState, type Key } from 'react';
import { Alert, App, Button, Card, Input, Popconfirm, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { useAuth } from '../auth';
import { OrganisationForm } from '../components/OrganisationForm';
import { PageHeader } from '../components/PageHeader';
import { INDUSTRY_LABELS, KIND_LABELS, labelOf, optionsOf } from '../format';
import { buildTree, useAll, useOrganisations, useRegions, type TreeNode } from '../hooks';
import type { Organisation, OrganisationKind } from '../types';

type Row = TreeNode<Organisation>;

export default function OrganisationsPage() {
  const { canManage } = useAuth();
  const writable = canManage('org.organisation.');
  const { message } = App.useApp();
  const [kind, setKind] = useState<OrganisationKind | undefined>();
  const [q, setQ] = useState('');
  const list = useAll<Organisation>('/api/v1/organisations', { kind, q: q.trim() || undefined });
  const all = useOrganisations(writable);
  const regions = useRegions(writable);
  const [editing, setEditing] = useState<Organisation | null>(null);
  const [parent, setParent] = useState<Organisation | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [expanded, setExpanded] = useState<readonly Key[] | null>(null);

  const tree = useMemo(() => buildTree(list.items, (o) => o.id, (o) => o.parentId), [list.items]);
  const allKeys = useMemo(() => list.items.map((o) => o.id), [list.items]);

  const open = (org: Organisation | null, parentOrg: Organisation | null = null) => {
    setEditing(org);
    setParent(parentOrg);
    setFormOpen(true);
  };

  const setStatus = async (org: Organisation, status: Organisation['status']) => {
    try {
      await api.patch(`/api/v1/organisations/${org.id}`, { version: org.version, status });
      void message.success(status === 'inactive' ? `已停用“${org.name}”` : `已启用“${org.name}”`);
    } catch (error) {
      void message.error(errorText(error));
    }
    list.reload();
    all.reload();
  };

  const columns: TableColumnsType<Row> = [
    {
      title: '名称',
      dataIndex: 'name',
      render: (name: string, org) => (
        <span>
          {name}
          {org.shortName ? <span className="muted">（{org.shortName}）</span> : null}
        </span>
      ),
    },
    { title: '类型', dataIndex: 'kind', width: 130, render: (k: string) => labelOf(KIND_LABELS, k) },
    { title: '行政区划', dataIndex: 'regionName', width: 140, render: (v: string, o) => v || o.regionCode },
    { title: '监管行业', dataIndex: 'industry', width: 130, render: (v: string | null) => labelOf(INDUSTRY_LABELS, v) },
    { title: '统一社会信用代码', dataIndex: 'creditCode', width: 190, render: (v: string | null) => v ?? '—' },
    {
      title: '状态',
      dataIndex: 'status',
      width: 80,
      render: (s: string) => (s === 'active' ? <Tag color="green">正常</Tag> : <Tag>已停用</Tag>),
    },
  ];
  if (writable) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 200,
      fixed: 'right',
      render: (_, org) => (
        <Space size={4} wrap>
          <Button type="link" size="small" onClick={() => open(org)}>
            编辑
          </Button>
          {org.status === 'active' ? (
            <>
              <Button type="link" size="small" onClick={() => open(null, org)}>
                新建下级
              </Button>
              <Popconfirm
                title="停用机构"
                description="停用后不能在该机构下新建人员和账号，确定停用？"
                okText="确定"
                cancelText="取消"
                onConfirm={() => setStatus(org, 'inactive')}
              >
                <Button type="link" size="small" danger>
                  停用
                </Button>
              </Popconfirm>
            </>
          ) : (
            <Button type="link" size="small" onClick={() => void setStatus(org, 'active')}>
              启用
            </Button>
          )}
        </Space>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title="组织机构"
        description="交易中心、行政监督部门、审计部门及其内设部门，按上下级关系展示。"
        extra={
          writable ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open(null)}>
              新建机构
            </Button>
          ) : null
        }
      />
      <Card>
        <div className="filter-bar">
          <Select
            aria-label="机构类别筛选"
            placeholder="全部类型"
            allowClear
            className="filter-select"
            options={optionsOf(KIND_LABELS)}
            value={kind}
            onChange={(v?: OrganisationKind) => setKind(v)}
          />
          <Input.Search
            aria-label="机构关键字"
            placeholder="机构名称或简称"
            allowClear
            className="filter-search"
            onSearch={setQ}
          />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error.detail} className="table-alert" /> : null}
        {regions.error ? <Alert type="warning" showIcon title={`行政区划加载失败：${regions.error}`} className="table-alert" /> : null}
        <Table<Row>
          rowKey="id"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={tree}
          pagination={false}
          scroll={{ x: 1000 }}
          expandable={{
            expandedRowKeys: expanded ?? allKeys,
            onExpandedRowsChange: (keys) => setExpanded(keys),
          }}
          footer={() => `共 ${list.items.length} 个机构`}
        />
      </Card>
      <OrganisationForm
        open={formOpen}
        editing={editing}
        parent={parent}
        organisationTree={all.treeData}
        regionTree={regions.treeData}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          void message.success(editing ? '机构信息已保存' : '机构已创建');
          list.reload();
          all.reload();
        }}
      />
    </>
  );
}
