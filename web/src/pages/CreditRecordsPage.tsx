// 信用记录: the records in the caller's scope with filters and paging, 登记 (credit.record.write),
// 批量导入, and the detail drawer.
import { useState } from 'react';
import { Alert, App, Button, Card, Input, Select, Table, Tabs, Tag, Tooltip, TreeSelect, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../auth';
import { CreditImport } from '../components/CreditImport';
import { CreditRecordDrawer } from '../components/CreditRecordDrawer';
import { CreditRecordForm } from '../components/CreditRecordForm';
import {
  RECORD_STATUS_LABELS,
  RECORD_TYPE_LABELS,
  SeverityTag,
  StatusTag,
  banText,
  useCreditReference,
} from '../components/CreditShared';
import { PageHeader } from '../components/PageHeader';
import { labelOf, optionsOf } from '../format';
import { paginationOf, usePagedList, useRegions } from '../hooks';
import type { CreditRecord } from '../types';

export default function CreditRecordsPage() {
  const { can } = useAuth();
  const writable = can('credit.record.write');
  const { message } = App.useApp();
  const list = usePagedList<CreditRecord>('/api/v1/credit/records');
  const regions = useRegions();
  const reference = useCreditReference();
  const [formOpen, setFormOpen] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [viewing, setViewing] = useState<string | null>(null);
  const [tab, setTab] = useState('list');

  const filter = (patch: Record<string, string | undefined>) => list.setFilters({ ...list.filters, ...patch });
  const openForm = () => {
    setFormKey((k) => k + 1);
    setFormOpen(true);
  };

  const columns: TableColumnsType<CreditRecord> = [
    { title: '信用主体', dataIndex: 'subjectName', width: 200, fixed: 'left' },
    {
      title: '统一社会信用代码 / 身份证号',
      key: 'key',
      width: 200,
      render: (_, r) => <span className="mono">{r.uscc ?? r.idNumberMasked}</span>,
    },
    { title: '记录类型', dataIndex: 'type', width: 100, render: (t: string) => labelOf(RECORD_TYPE_LABELS, t) },
    { title: '严重程度', dataIndex: 'severity', width: 90, render: (_, r) => <SeverityTag severity={r.severity} /> },
    { title: '状态', dataIndex: 'status', width: 110, render: (_, r) => <StatusTag status={r.status} /> },
    {
      title: '禁止参与',
      key: 'ban',
      width: 130,
      render: (_, r) =>
        r.ban ? (
          <Tooltip title={banText(r.ban, reference.categoryName)}>
            <Tag color={r.status === 'revoked' || r.status === 'repaired' ? 'default' : 'red'}>至 {r.ban.to}</Tag>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    { title: '标题', dataIndex: 'title', width: 220 },
    { title: '发布区划', dataIndex: 'regionName', width: 140 },
    { title: '决定日期', dataIndex: 'decisionDate', width: 110 },
    {
      title: '操作',
      key: 'actions',
      width: 70,
      fixed: 'right',
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => setViewing(r.id)} aria-label={`查看信用记录 ${r.title}（${r.subjectName}）`}>
          详情
        </Button>
      ),
    },
  ];

  const loadError = regions.error ?? reference.error;
  const listTab = {
    key: 'list',
    label: '记录列表',
    children: (
      <>
        <div className="filter-bar">
          <Select aria-label="记录类型筛选" placeholder="全部类型" allowClear className="filter-select" options={optionsOf(RECORD_TYPE_LABELS)} onChange={(v?: string) => filter({ type: v })} />
          <Select aria-label="记录状态筛选" placeholder="全部状态" allowClear className="filter-select" options={optionsOf(RECORD_STATUS_LABELS)} onChange={(v?: string) => filter({ status: v })} />
          <TreeSelect
            aria-label="发布区划筛选"
            placeholder="全部区划"
            allowClear
            showSearch
            treeNodeFilterProp="title"
            className="filter-tree"
            treeData={regions.treeData}
            onChange={(v?: string) => filter({ regionCode: v })}
          />
          <Input.Search aria-label="主体名称检索" placeholder="按主体名称查找" allowClear maxLength={100} className="filter-search" onSearch={(v) => filter({ q: v.trim() || undefined })} />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {loadError ? <Alert type="warning" showIcon title={loadError} className="table-alert" /> : null}
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<CreditRecord> rowKey="id" size="middle" loading={list.loading} columns={columns} dataSource={list.items} pagination={paginationOf(list)} scroll={{ x: 1380 }} />
      </>
    ),
  };

  return (
    <>
      <PageHeader
        title="信用记录"
        description="本数据范围内的信用记录：违法违规、黑名单、表彰奖励等，以及禁止参与范围、公示期和异议、修复经过。身份证号仅显示脱敏信息。"
        extra={
          writable ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={openForm}>
              登记信用记录
            </Button>
          ) : null
        }
      />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={writable ? [listTab, { key: 'import', label: '批量导入', children: <CreditImport onImported={list.reload} /> }] : [listTab]}
        />
      </Card>
      {writable ? (
        <CreditRecordForm
          key={formKey}
          open={formOpen}
          regionTree={regions.treeData}
          reference={reference}
          onClose={() => setFormOpen(false)}
          onSaved={(record) => {
            setFormOpen(false);
            void message.success('信用记录已登记');
            list.reload();
            setViewing(record.id);
          }}
        />
      ) : null}
      <CreditRecordDrawer recordId={viewing} reference={reference} onClose={() => setViewing(null)} onChanged={list.reload} />
    </>
  );
}
