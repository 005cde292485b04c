import { useState } from 'react';
import { Alert, App, Button, Card, Input, Select, Space, Table, Tabs, Tag, TreeSelect, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { ExpertDrawer } from '../components/ExpertDrawer';
import { ExpertEligibility } from '../components/ExpertEligibility';
import { ExpertForm } from '../components/ExpertForm';
import { EXPERT_STATUS_COLORS, EXPERT_STATUS_LABELS, GENDER_LABELS, SpecialtyTags, useSpecialties } from '../components/ExpertShared';
import { labelOf, optionsOf } from '../format';
import { paginationOf, usePagedList, useRegions } from '../hooks';
import type { Expert, ExpertStatus } from '../types';

export default function ExpertsPage() {
  const { can } = useAuth();
  const writable = can('experts.expert.write');
  const { message } = App.useApp();
  const list = usePagedList<Expert>('/api/v1/experts');
  const regions = useRegions();
  const specialties = useSpecialties();
  const [editing, setEditing] = useState<Expert | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const [tab, setTab] = useState('list');
  const [revision, setRevision] = useState(0);
  // A fresh form (and form store) for every opening: no values carried over from the last expert.
  const [formKey, setFormKey] = useState(0);

  const filter = (patch: Record<string, string | undefined>) => list.setFilters({ ...list.filters, ...patch });
  const openForm = (expert: Expert | null) => {
    setEditing(expert);
    setFormKey((k) => k + 1);
    setFormOpen(true);
  };

  const columns: TableColumnsType<Expert> = [
    { title: '姓名', dataIndex: 'name', width: 100, fixed: 'left' },
    { title: '身份证号', dataIndex: 'idNumberMasked', width: 190, render: (v: string) => <span className="mono">{v}</span> },
    {
      title: '性别/出生年份',
      key: 'gender',
      width: 120,
      render: (_, e) => `${labelOf(GENDER_LABELS, e.gender)} / ${e.birthYear}`,
    },
    { title: '所在地区', dataIndex: 'regionName', width: 170 },
    { title: '工作单位', dataIndex: 'employerName', width: 180 },
    {
      title: '专业',
      key: 'specialties',
      width: 240,
      render: (_, e) => <SpecialtyTags specialties={e.specialties} primary={e.primarySpecialty} />,
    },
    { title: '职称', dataIndex: 'titles', width: 140, render: (t: string[]) => (t.length > 0 ? t.join('、') : '—') },
    {
      title: '状态',
      dataIndex: 'status',
      width: 80,
      render: (s: ExpertStatus, e) => (
        <Tag color={EXPERT_STATUS_COLORS[s]} title={e.statusReason ?? undefined}>
          {labelOf(EXPERT_STATUS_LABELS, s)}
        </Tag>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: writable ? 120 : 70,
      fixed: 'right',
      render: (_, e) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setViewing(e.id)} aria-label={`查看专家 ${e.name}`}>
            详情
          </Button>
          {writable && e.status !== 'removed' ? (
            <Button type="link" size="small" onClick={() => openForm(e)} aria-label={`编辑专家 ${e.name}`}>
              编辑
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  const loadError = specialties.error ?? regions.error;

  // On a city node the pool is the province's (the server refuses its business here with
  // rule province_experts): say where it is kept instead of showing an error and empty tools.
  if (list.errorRule === 'province_experts') {
    return (
      <>
        <PageHeaderBlock writable={false} onCreate={() => undefined} />
        <Card>
          <Alert
            type="info"
            showIcon
            title="本节点使用省级评标专家库"
            description={
              <>
                <p>{list.error}</p>
                <p>本市项目抽取评标专家时，平台向省级平台提出抽取条件，由省级专家库按专业、地区、回避和信用情况筛选；抽中的专家信息随抽取结果同步到本节点，并定期与省级平台核对更新。</p>
              </>
            }
          />
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeaderBlock writable={writable} onCreate={() => openForm(null)} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'list',
              label: '专家名册',
              children: (
                <>
                  <div className="filter-bar">
                    <TreeSelect
                      aria-label="专业类别筛选"
                      placeholder="全部专业"
                      allowClear
                      showSearch
                      treeNodeFilterProp="title"
                      className="filter-tree"
                      treeData={specialties.treeData}
                      onChange={(v?: string) => filter({ specialty: v })}
                    />
                    <TreeSelect
                      aria-label="区划筛选"
                      placeholder="全部地区"
                      allowClear
                      showSearch
                      treeNodeFilterProp="title"
                      className="filter-tree"
                      treeData={regions.treeData}
                      onChange={(v?: string) => filter({ regionCode: v })}
                    />
                    <Select
                      aria-label="在库情况筛选"
                      placeholder="全部状态"
                      allowClear
                      className="filter-select"
                      options={optionsOf(EXPERT_STATUS_LABELS)}
                      onChange={(v?: string) => filter({ status: v })}
                    />
                    <Input.Search
                      aria-label="专家检索"
                      placeholder="按姓名查找"
                      allowClear
                      maxLength={50}
                      className="filter-search"
                      onSearch={(v) => filter({ q: v.trim() || undefined })}
                    />
                    <Button icon={<ReloadOutlined />} onClick={list.reload}>
                      刷新
                    </Button>
                  </div>
                  {loadError ? <Alert type="warning" showIcon title={loadError} className="table-alert" /> : null}
                  {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
                  <Table<Expert>
                    rowKey="id"
                    size="middle"
                    loading={list.loading}
                    columns={columns}
                    dataSource={list.items}
                    pagination={paginationOf(list)}
                    scroll={{ x: 1330 }}
                  />
                </>
              ),
            },
            {
              key: 'eligible',
              label: '抽取条件试算',
              children: (
                <ExpertEligibility regionTree={regions.treeData} specialtyTree={specialties.treeData} nameOf={specialties.nameOf} />
              ),
            },
          ]}
        />
      </Card>
      <ExpertForm
        key={formKey}
        open={formOpen}
        editing={editing}
        regionTree={regions.treeData}
        specialtyTree={specialties.leafTreeData}
        nameOf={specialties.nameOf}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          void message.success(editing ? '专家信息已保存' : '专家已登记入库');
          list.reload();
          // An open drawer reads the saved record (and its new version) again.
          setRevision((r) => r + 1);
        }}
      />
      <ExpertDrawer
        expertId={viewing}
        revision={revision}
        writable={writable}
        onClose={() => setViewing(null)}
        onChanged={list.reload}
        onEdit={(expert) => openForm(expert)}
      />
    </>
  );
}

function PageHeaderBlock({ writable, onCreate }: { writable: boolean; onCreate: () => void }) {
  return (
    <PageHeader
      title="评标专家库"
      description="评标专家登记、专业与回避信息维护，以及抽取条件试算。身份证号、手机号仅显示脱敏信息。"
      extra={
        writable ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={onCreate}>
            登记专家
          </Button>
        ) : null
      }
    />
  );
}
