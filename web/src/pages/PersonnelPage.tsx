import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Drawer, Input, Select, Space, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { PersonnelForm } from '../components/PersonnelForm';
import { SubjectCredit } from '../components/SubjectCredit';
import { PERSONNEL_STATUS_LABELS, labelOf, optionsOf } from '../format';
import { paginationOf, useOrganisations, usePagedList } from '../hooks';
import type { Personnel } from '../types';

const STATUS_COLORS: Record<string, string> = { active: 'green', suspended: 'orange', left: 'default' };

export default function PersonnelPage() {
  const { canManage, can } = useAuth();
  const writable = canManage('org.personnel.');
  // A staff member's credit archive needs both: seeing the person and reading credit records.
  const creditReader = can('credit.record.read');
  const { message } = App.useApp();
  const list = usePagedList<Personnel>('/api/v1/personnel');
  const orgs = useOrganisations();
  const [editing, setEditing] = useState<Personnel | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [creditOf, setCreditOf] = useState<Personnel | null>(null);

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
  if (writable || creditReader) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: creditReader && writable ? 150 : 90,
      fixed: 'right',
      render: (_, p) => (
        <Space size={0}>
          {writable ? (
            <Button
              type="link"
              size="small"
              aria-label={`编辑 ${p.name}`}
              onClick={() => {
                setEditing(p);
                setFormOpen(true);
              }}
            >
              编辑
            </Button>
          ) : null}
          {creditReader ? (
            <Button type="link" size="small" aria-label={`信用档案 ${p.name}`} onClick={() => setCreditOf(p)}>
              信用档案
            </Button>
          ) : null}
        </Space>
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
      <Drawer
        title={creditOf ? `从业人员信用档案：${creditOf.name}` : ''}
        open={creditOf !== null}
        size={960}
        onClose={() => setCreditOf(null)}
        destroyOnHidden
      >
        {creditOf ? (
          <>
            <Descriptions bordered size="small" column={2} className="drawer-section">
              <Descriptions.Item label="姓名">{creditOf.name}</Descriptions.Item>
              <Descriptions.Item label="身份证号">
                <span className="mono">{creditOf.idNumberMasked}</span>
              </Descriptions.Item>
              <Descriptions.Item label="所属机构">{creditOf.organisationName}</Descriptions.Item>
              <Descriptions.Item label="职务">{creditOf.position || '—'}</Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph type="secondary">以身份证号归集该人员作为信用主体的全部记录，含异议、修复与信用评分。</Typography.Paragraph>
            <SubjectCredit key={creditOf.id} url={`/api/v1/credit/personnel/${creditOf.id}/archive`} />
          </>
        ) : null}
      </Drawer>
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
