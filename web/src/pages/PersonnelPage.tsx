import { useState } from 'react';
import { Alert, App, Button, Card, Input, Select, Table, Tag, TreeSelect, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { PersonnelForm } from '../components/PersonnelForm';
import { PERSONNEL_STATUS_LABELS, labelOf, optionsOf } from '../format';
import { paginationOf, useOrganisations, usePagedList } from '../hooks';
import type { Personnel } from '../types';

const STATUS_COLORS: Record<string, string> = { active: 'green', suspended: 'orange', left: 'default' };

export default function PersonnelPage() {
  const { canManage } = useAuth();
  const writable = canManage('org.personnel.');
  const { message } = App.useApp();
  const list = usePagedList<Personnel>('/api/v1/personnel');
  const orgs = useOrganisations();
  const [editing, setEditing] = useState<Personnel | null>(null);
  const [formOpen, setFormOpen] = useState(false);

  const filter = (patch: Record<string, string | undefined>) => list.setFilters({ ...list.filters, ...patch });

  const columns: TableColumnsType<Personnel> = [
    { title: '姓名', dataIndex: 'name', width: 110 },
    { title: '性别', dataIndex: 'gender', width: 70, render: (g: string | null) => ({ male: '男', female: '女', M: '男', F: '女' } as Record<string, string>)[g ?? ''] ?? g ?? '—' },
    { title: '身份证号', dataIndex: 'idNumberMasked', width: 190, render: (v: string) => <span className="mono">{v}</span> },
    { title: '所属机构', dataIndex: 'organisationName' },
    { title: '职务', dataIndex: 'position', width: 140, render: (v: string | null) => v || '—' },
    { title: '手机号', dataIndex: 'phoneMasked', width: 130, render: (v: string | null) => (v ? <span className="mono">{v}</span> : '—') },
    {
      title: '系统账号',
      dataIndex: 'accountId',
      width: 90,
      render: (v: string | null) => (v ? <Tag color="blue">已开通</Tag> : <Tag>未开通</Tag>),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 80,
      render: (s: string) => <Tag color={STATUS_COLORS[s]}>{labelOf(PERSONNEL_STATUS_LABELS, s)}</Tag>,
    },
  ];
  if (writable) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, p) => (
        <Button
          type="link"
          size="small"
          onClick={() => {
            setEditing(p);
            setFormOpen(true);
          }}
        >
          编辑
        </Button>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title="人员信息"
        description="各机构工作人员名册。身份证号、手机号仅显示脱敏信息。"
        extra={
          writable ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(null);
                setFormOpen(true);
              }}
            >
              新增人员
            </Button>
          ) : null
        }
      />
      <Card>
        <div className="filter-bar">
          <TreeSelect
            aria-label="机构筛选"
            placeholder="全部机构"
            allowClear
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandAll
            className="filter-tree"
            treeData={orgs.treeData}
            onChange={(v?: string) => filter({ organisationId: v })}
          />
          <Input.Search
            aria-label="人员关键字"
            placeholder="姓名"
            allowClear
            className="filter-search"
            onSearch={(v) => filter({ q: v.trim() || undefined })}
          />
          <Select
            aria-label="在职情况筛选"
            placeholder="全部状态"
            allowClear
            className="filter-select"
            options={optionsOf(PERSONNEL_STATUS_LABELS)}
            onChange={(v?: string) => filter({ status: v })}
          />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<Personnel>
          rowKey="id"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          pagination={paginationOf(list)}
          scroll={{ x: 1100 }}
        />
      </Card>
      <PersonnelForm
        open={formOpen}
        editing={editing}
        organisationTree={orgs.treeData}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          void message.success(editing ? '人员信息已保存' : '人员已登记');
          list.reload();
        }}
      />
    </>
  );
}
