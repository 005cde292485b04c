// 市场主体库: search the province's shared registry (name fragment or USCC, with filters), the
// detail of an entity (masked; 查看明文 for holders of registry.entity.reveal, audited), its
// version history, and the qualifications that are about to expire.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Drawer, Input, InputNumber, Modal, Select, Space, Spin, Table, Tabs, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../auth';
import { api, errorText } from '../api';
import { formatDateTime, labelOf, optionsOf } from '../format';
import { paginationOf, usePagedList } from '../hooks';
import { PageHeader } from '../components/PageHeader';
import { ProfileDetails } from '../registry/ProfileDetails';
import {
  ENTITY_KIND_LABELS,
  ENTITY_ROLE_LABELS,
  ENTITY_STATUS_LABELS,
  EntityStatusTag,
  QualificationStateTag,
  REGION_TREE,
  RoleTags,
  VersionStatusTag,
} from '../registry/shared';
import { VersionHistory } from '../registry/VersionHistory';
import type { EntityDetail, ExpiringItem, MarketEntity, ProfileView, VersionSummary } from '../types';

export default function EntitiesPage() {
  const [viewing, setViewing] = useState<string | null>(null);
  const [tab, setTab] = useState('search');
  return (
    <>
      <PageHeader title="市场主体库" description="全省共享的市场主体信息（已审核），敏感信息脱敏显示；查看明文逐次审计。" />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'search', label: '主体检索', children: <EntitySearch onView={setViewing} /> },
            { key: 'expiring', label: '资质到期提醒', children: <ExpiringList onView={setViewing} /> },
          ]}
        />
      </Card>
      <EntityDrawer entityId={viewing} onClose={() => setViewing(null)} />
    </>
  );
}

function EntitySearch({ onView }: { onView: (id: string) => void }) {
  const list = usePagedList<MarketEntity>('/api/v1/registry/entities');
  const filter = (patch: Record<string, string | undefined>) => list.setFilters({ ...list.filters, ...patch });
  const columns: TableColumnsType<MarketEntity> = [
    { title: '名称', dataIndex: 'name', fixed: 'left', width: 240 },
    {
      title: '统一社会信用代码 / 身份证号',
      key: 'code',
      width: 200,
      render: (_, e) => <span className="mono">{e.uscc ?? e.idNumberMasked ?? '—'}</span>,
    },
    { title: '类型', dataIndex: 'kind', width: 120, render: (k: string) => labelOf(ENTITY_KIND_LABELS, k) },
    { title: '主体角色', dataIndex: 'roles', width: 200, render: (_, e) => <RoleTags roles={e.roles} /> },
    { title: '注册地', dataIndex: 'regionName', width: 170 },
    { title: '状态', dataIndex: 'status', width: 90, render: (_, e) => <EntityStatusTag status={e.status} /> },
    {
      title: '资质提醒',
      dataIndex: 'qualificationWarnings',
      width: 100,
      render: (n: number) => (n > 0 ? <Tag color="orange">{n} 项</Tag> : '—'),
    },
    { title: '生效时间', dataIndex: 'approvedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
    {
      title: '操作',
      key: 'actions',
      width: 70,
      fixed: 'right',
      render: (_, e) => (
        <Button type="link" size="small" onClick={() => onView(e.id)} aria-label={`查看主体 ${e.name}`}>
          详情
        </Button>
      ),
    },
  ];
  const pagination = {
    ...paginationOf(list),
    showTotal: (total: number) => (list.more ? `共 ${total}+ 条（仅计至此，请缩小检索范围）` : `共 ${total} 条`),
  };
  return (
    <>
      <div className="filter-bar">
        <Input.Search
          aria-label="主体检索"
          placeholder="名称任意片段或统一社会信用代码"
          allowClear
          maxLength={100}
          className="filter-search"
          onSearch={(v) => filter({ q: v.trim() || undefined })}
        />
        <Select aria-label="主体类型筛选" placeholder="全部类型" allowClear className="filter-select" options={optionsOf(ENTITY_KIND_LABELS)} onChange={(v?: string) => filter({ kind: v })} />
        <Select aria-label="主体角色筛选" placeholder="全部角色" allowClear className="filter-select" options={optionsOf(ENTITY_ROLE_LABELS)} onChange={(v?: string) => filter({ role: v })} />
        <Select aria-label="主体状态筛选" placeholder="全部状态" allowClear className="filter-select" options={optionsOf(ENTITY_STATUS_LABELS)} onChange={(v?: string) => filter({ status: v })} />
        <TreeSelect
          aria-label="注册地筛选"
          placeholder="全部地区"
          allowClear
          showSearch
          treeNodeFilterProp="title"
          className="filter-tree"
          treeData={REGION_TREE}
          onChange={(v?: string) => filter({ regionCode: v })}
        />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          刷新
        </Button>
      </div>
      {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
      <Table<MarketEntity>
        rowKey="id"
        size="middle"
        loading={list.loading}
        columns={columns}
        dataSource={list.items}
        pagination={pagination}
        scroll={{ x: 1400 }}
      />
    </>
  );
}

function ExpiringList({ onView }: { onView: (id: string) => void }) {
  const list = usePagedList<ExpiringItem>('/api/v1/registry/qualifications/expiring', { days: 30 });
  const columns: TableColumnsType<ExpiringItem> = [
    {
      title: '主体',
      dataIndex: 'entityName',
      render: (v: string, i) => (
        <Button type="link" size="small" onClick={() => onView(i.entityId)}>
          {v}
        </Button>
      ),
    },
    { title: '统一社会信用代码', dataIndex: 'uscc', width: 190, render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
    { title: '资质类别', dataIndex: 'category' },
    { title: '等级', dataIndex: 'grade', width: 80 },
    { title: '证书编号', dataIndex: 'number' },
    { title: '有效期至', dataIndex: 'validTo', width: 110 },
    { title: '状态', dataIndex: 'state', width: 90, render: (_, i) => <QualificationStateTag state={i.state} /> },
    { title: '剩余天数', dataIndex: 'daysLeft', width: 90, render: (d: number) => (d < 0 ? `已过期 ${-d} 天` : `${d} 天`) },
  ];
  return (
    <>
      <div className="filter-bar">
        <Space>
          <span>到期前</span>
          <InputNumber
            aria-label="提前天数"
            min={1}
            max={365}
            defaultValue={30}
            onChange={(v) => {
              if (typeof v === 'number') list.setFilters({ days: v });
            }}
          />
          <span>天内</span>
        </Space>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          刷新
        </Button>
      </div>
      {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
      <Table<ExpiringItem>
        rowKey="qualificationId"
        size="middle"
        loading={list.loading}
        columns={columns}
        dataSource={list.items}
        pagination={paginationOf(list)}
        scroll={{ x: 1100 }}
        locale={{ emptyText: '期限内没有即将到期的资质' }}
      />
    </>
  );
}

function EntityDrawer({ entityId, onClose }: { entityId: string | null; onClose: () => void }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const [detail, setDetail] = useState<EntityDetail | null>(null);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [clear, setClear] = useState<ProfileView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revealing, setRevealing] = useState(false);
  const [statusReason, setStatusReason] = useState<string | null>(null);
  const [changingStatus, setChangingStatus] = useState(false);

  const load = useCallback((id: string) => {
    setDetail(null);
    setClear(null);
    setError(null);
    Promise.all([api.get<EntityDetail>(`/api/v1/registry/entities/${id}`), api.get<{ items: VersionSummary[] }>(`/api/v1/registry/entities/${id}/versions`)])
      .then(([d, v]) => {
        setDetail(d);
        setVersions(v.items);
      })
      .catch((cause: unknown) => setError(errorText(cause)));
  }, []);

  useEffect(() => {
    if (entityId) load(entityId);
  }, [entityId, load]);

  const reveal = async () => {
    if (!entityId) return;
    setRevealing(true);
    try {
      setClear(await api.post<ProfileView>(`/api/v1/registry/entities/${entityId}/reveal`));
    } catch (cause) {
      void message.error(errorText(cause));
    } finally {
      setRevealing(false);
    }
  };

  /** Suspends an active entity or reinstates a suspended one, with the reason typed in the dialog. */
  const changeStatus = async () => {
    if (!entityId || !detail || statusReason === null) return;
    setChangingStatus(true);
    try {
      await api.post(`/api/v1/registry/entities/${entityId}/status`, { status: detail.status === 'active' ? 'suspended' : 'active', reason: statusReason.trim() });
      void message.success(detail.status === 'active' ? '主体已暂停' : '主体已恢复');
      setStatusReason(null);
      load(entityId);
    } catch (cause) {
      void message.error(errorText(cause));
    } finally {
      setChangingStatus(false);
    }
  };
  const mayChangeStatus = detail !== null && can('registry.entity.review') && (detail.status === 'active' || detail.status === 'suspended');

  const profile = clear ?? detail?.profile ?? null;
  const warned = profile?.qualifications.filter((q) => q.state === 'expiring' || q.state === 'expired') ?? [];

  return (
    <Drawer
      open={entityId !== null}
      onClose={onClose}
      size={900}
      title={detail ? `主体详情：${detail.name}` : '主体详情'}
      destroyOnHidden
      extra={
        <Space>
          {mayChangeStatus ? (
            <Button danger={detail.status === 'active'} onClick={() => setStatusReason('')}>
              {detail.status === 'active' ? '暂停主体' : '恢复主体'}
            </Button>
          ) : null}
          {detail?.profile && can('registry.entity.reveal') ? (
            clear ? (
              <Button onClick={() => setClear(null)}>恢复脱敏</Button>
            ) : (
              <Button icon={<EyeOutlined />} loading={revealing} onClick={() => void reveal()}>
                查看明文
              </Button>
            )
          ) : null}
        </Space>
      }
    >
      <Modal
        open={statusReason !== null}
        title={detail?.status === 'active' ? '暂停主体' : '恢复主体'}
        okText="确定"
        cancelText="取消"
        okButtonProps={{ disabled: !statusReason?.trim(), loading: changingStatus }}
        onOk={() => void changeStatus()}
        onCancel={() => setStatusReason(null)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {detail?.status === 'active' ? '暂停后，该主体不能修改信息，其资质不能用于投标；原因将向主体及查询人员显示。' : '恢复后，该主体可正常参与交易。'}
        </Typography.Paragraph>
        <Input.TextArea aria-label="原因" placeholder="请填写原因（必填）" rows={3} maxLength={1000} value={statusReason ?? ''} onChange={(e) => setStatusReason(e.target.value)} />
      </Modal>
      {error ? <Alert type="error" showIcon title={error} /> : null}
      {!detail && !error ? <Spin className="page-spin" /> : null}
      {detail ? (
        <>
          <Space wrap className="section-card">
            <EntityStatusTag status={detail.status} />
            <Typography.Text className="mono">{detail.uscc ?? detail.idNumberMasked}</Typography.Text>
            <Typography.Text type="secondary">
              {labelOf(ENTITY_KIND_LABELS, detail.kind)} · {detail.regionName} · 注册于 {formatDateTime(detail.createdAt)}
            </Typography.Text>
            {detail.openVersion ? (
              <span>
                在办：第 {detail.openVersion.number} 版 <VersionStatusTag status={detail.openVersion.status} />
              </span>
            ) : null}
          </Space>
          {detail.status === 'suspended' ? <Alert type="error" showIcon className="section-card" title={`该主体已被暂停：${detail.statusReason ?? ''}`} /> : null}
          {warned.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              className="section-card"
              title={`${warned.length} 项资质即将到期或已过期`}
              description={warned.map((q) => `${q.category}${q.grade}（${q.number}）有效期至 ${q.validTo}`).join('；')}
            />
          ) : null}
          {profile ? <ProfileDetails profile={profile} /> : <Alert type="info" showIcon className="section-card" title="该主体尚无审核通过的信息" />}
          <Typography.Title level={5}>版本历史</Typography.Title>
          <VersionHistory items={versions} />
        </>
      ) : null}
    </Drawer>
  );
}
