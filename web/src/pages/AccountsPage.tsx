import { useState } from 'react';
import { Alert, App, Button, Card, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, TreeSelect, type TableColumnsType } from 'antd';
import { LockOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { useAuth } from '../auth';
import { AssignRolesModal, CreateAccountModal, ResetPasswordModal } from '../components/AccountDialogs';
import { PageHeader } from '../components/PageHeader';
import { SCOPE_LABELS, formatDateTime, labelOf } from '../format';
import { paginationOf, useOrganisations, usePagedList } from '../hooks';
import type { Account } from '../types';

type Dialog = 'create' | 'password' | 'roles' | null;

const STATUS_OPTIONS = [
  { value: 'active', label: '正常' },
  { value: 'disabled', label: '已停用' },
];

export default function AccountsPage() {
  const { canManage } = useAuth();
  // System administrators create accounts and reset passwords; security administrators grant
  // roles, unlock and reset MFA. The server decides; the buttons follow the write permissions.
  const writable = canManage('identity.', 'org.role.');
  const { message } = App.useApp();
  const list = usePagedList<Account>('/api/v1/accounts');
  const orgs = useOrganisations();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [target, setTarget] = useState<Account | null>(null);

  const filter = (patch: Record<string, string | undefined>) => list.setFilters({ ...list.filters, ...patch });
  const show = (which: Dialog, account: Account | null = null) => {
    setTarget(account);
    setDialog(which);
  };
  const saved = (text: string) => {
    setDialog(null);
    void message.success(text);
    list.reload();
  };

  const act = async (account: Account, run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      void message.success(`${done}：${account.username}`);
    } catch (error) {
      void message.error(errorText(error));
    }
    list.reload();
  };
  const setStatus = (a: Account, status: Account['status']) =>
    act(a, () => api.patch(`/api/v1/accounts/${a.id}`, { version: a.version, status }), status === 'active' ? '已启用' : '已停用');
  const unlock = (a: Account) => act(a, () => api.post(`/api/v1/accounts/${a.id}/unlock`), '已解锁');
  const resetMfa = (a: Account) => act(a, () => api.post(`/api/v1/accounts/${a.id}/reset-mfa`), '已重置双因素认证');

  const confirmButton = (title: string, description: string, onConfirm: () => Promise<void>, label: string, danger = false) => (
    <Popconfirm title={title} description={description} okText="确定" cancelText="取消" onConfirm={onConfirm}>
      <Button type="link" size="small" danger={danger}>
        {label}
      </Button>
    </Popconfirm>
  );

  const columns: TableColumnsType<Account> = [
    { title: '用户名', dataIndex: 'username', width: 130, render: (v: string) => <span className="mono">{v}</span> },
    { title: '姓名', dataIndex: 'displayName', width: 150 },
    { title: '所属机构', dataIndex: 'organisationName', width: 200, ellipsis: true },
    {
      title: '状态',
      key: 'status',
      width: 150,
      render: (_, a) => (
        <Space size={2} wrap>
          {a.status === 'active' ? <Tag color="green">正常</Tag> : <Tag>已停用</Tag>}
          {a.locked ? (
            <Tooltip title={a.lockedUntil ? `锁定至 ${formatDateTime(a.lockedUntil)}` : undefined}>
              <Tag color="red" icon={<LockOutlined />}>
                已锁定
              </Tag>
            </Tooltip>
          ) : null}
          {a.mustChangePassword ? <Tag color="orange">待改密</Tag> : null}
        </Space>
      ),
    },
    {
      title: '双因素',
      dataIndex: 'mfaEnabled',
      width: 80,
      render: (v: boolean) => (v ? <Tag color="blue">已绑定</Tag> : <Tag>未绑定</Tag>),
    },
    {
      title: '角色及数据范围',
      dataIndex: 'roles',
      render: (roles: Account['roles']) =>
        roles.length === 0 ? (
          <span className="muted">未分配</span>
        ) : (
          <Space size={[2, 4]} wrap>
            {roles.map((g) => (
              <Tag key={`${g.roleId}:${g.scope}`} color="geekblue">
                {g.name} · {labelOf(SCOPE_LABELS, g.scope)}
              </Tag>
            ))}
          </Space>
        ),
    },
    { title: '最近登录', dataIndex: 'lastLoginAt', width: 140, render: (v: string | null) => formatDateTime(v) },
  ];
  if (writable) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 300,
      fixed: 'right',
      render: (_, a) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => show('roles', a)}>
            分配角色
          </Button>
          <Button type="link" size="small" onClick={() => show('password', a)}>
            重置密码
          </Button>
          {a.locked ? confirmButton('解锁账号', '解锁后该用户可立即重新登录，确定解锁？', () => unlock(a), '解锁') : null}
          {a.mfaEnabled
            ? confirmButton('重置双因素认证', '重置后该用户下次登录时须重新绑定身份验证器，确定重置？', () => resetMfa(a), '重置双因素')
            : null}
          {a.status === 'active'
            ? confirmButton('停用账号', '停用后该账号将无法登录，确定停用？', () => setStatus(a, 'disabled'), '停用', true)
            : confirmButton('启用账号', '确定启用该账号？', () => setStatus(a, 'active'), '启用')}
        </Space>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title="用户账号"
        description="账号开通、启用停用、密码重置、解锁及角色授权。"
        extra={
          writable ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => show('create')}>
              新建账号
            </Button>
          ) : null
        }
      />
      <Card>
        <div className="filter-bar">
          <Input.Search
            aria-label="账号关键字"
            placeholder="用户名或姓名"
            allowClear
            className="filter-search"
            onSearch={(v) => filter({ q: v.trim() || undefined })}
          />
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
          <Select
            aria-label="启停筛选"
            placeholder="全部状态"
            allowClear
            className="filter-select"
            options={STATUS_OPTIONS}
            onChange={(v?: string) => filter({ status: v })}
          />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<Account>
          rowKey="id"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          pagination={paginationOf(list)}
          scroll={{ x: 1450 }}
        />
      </Card>
      <CreateAccountModal
        open={dialog === 'create'}
        organisationTree={orgs.treeData}
        onClose={() => setDialog(null)}
        onSaved={() => saved('账号已创建，用户首次登录时须修改初始密码')}
      />
      <ResetPasswordModal
        open={dialog === 'password'}
        account={target}
        onClose={() => setDialog(null)}
        onSaved={() => saved('密码已重置，用户下次登录时须修改')}
      />
      <AssignRolesModal
        open={dialog === 'roles'}
        account={target}
        onClose={() => setDialog(null)}
        onSaved={() => saved('角色已保存')}
      />
    </>
  );
}
