import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { AdminClassTag } from '../components/PermissionPicker';
import { RoleForm } from '../components/RoleForm';
import { paginationOf, useAll, usePagedList } from '../hooks';
import type { Permission, Role } from '../types';

export default function RolesPage() {
  const { canManage } = useAuth();
  const writable = canManage('org.role.', 'identity.role.');
  const { message } = App.useApp();
  const list = usePagedList<Role>('/api/v1/roles');
  // The catalogue is open to the security administrator; others see permission codes only.
  const catalogue = useAll<Permission>('/api/v1/permissions', {}, writable);
  const names = useMemo(() => new Map(catalogue.items.map((p) => [p.code, p.name])), [catalogue.items]);
  const [editing, setEditing] = useState<Role | null>(null);
  const [formOpen, setFormOpen] = useState(false);

  const open = (role: Role | null) => {
    setEditing(role);
    setFormOpen(true);
  };

  const remove = async (role: Role) => {
    try {
      await api.del(`/api/v1/roles/${role.id}`);
      void message.success(`已删除角色“${role.name}”`);
      list.reload();
    } catch (error) {
      void message.error(errorText(error));
    }
  };

  const columns: TableColumnsType<Role> = [
    {
      title: '角色名称',
      dataIndex: 'name',
      render: (name: string, r) => (
        <Space size={4}>
          {name}
          {r.builtin ? <Tag>内置</Tag> : null}
        </Space>
      ),
    },
    { title: '角色编码', dataIndex: 'code', width: 180, render: (v: string) => <span className="mono">{v}</span> },
    {
      title: '管理员类别',
      dataIndex: 'adminClass',
      width: 120,
      render: (v: Role['adminClass']) => (v ? <AdminClassTag adminClass={v} /> : <span className="muted">业务角色</span>),
    },
    { title: '权限数', dataIndex: 'permissions', width: 80, align: 'right', render: (p: string[]) => p.length },
    {
      title: '双因素认证',
      dataIndex: 'mfaRequired',
      width: 110,
      render: (v: boolean) => (v ? <Tag color="green">需要</Tag> : <Tag>不需要</Tag>),
    },
    { title: '描述', dataIndex: 'description', ellipsis: true, render: (v: string | null) => v || '—' },
  ];
  if (writable) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 130,
      fixed: 'right',
      render: (_, role) => (
        <Space size={4}>
          <Button type="link" size="small" onClick={() => open(role)}>
            {role.builtin && role.adminClass ? '查看' : '编辑'}
          </Button>
          {!role.builtin ? (
            <Popconfirm
              title="删除角色"
              description="只能删除未分配给任何账号的角色，确定删除？"
              okText="确定"
              cancelText="取消"
              onConfirm={() => remove(role)}
            >
              <Button type="link" size="small" danger>
                删除
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title="角色权限"
        description="系统管理员、安全管理员、审计管理员三权分立，一个角色只能包含一类管理员权限。"
        extra={
          writable ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open(null)}>
              新建角色
            </Button>
          ) : null
        }
      />
      <Card>
        <div className="filter-bar">
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        {catalogue.error ? (
          <Alert type="warning" showIcon title={`权限目录加载失败：${catalogue.error.detail}`} className="table-alert" />
        ) : null}
        <Table<Role>
          rowKey="id"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          pagination={paginationOf(list)}
          scroll={{ x: 960 }}
          expandable={{
            expandedRowRender: (role) => (
              <div className="permission-tags">
                <Typography.Text type="secondary">权限：</Typography.Text>
                {role.permissions.length === 0 ? '无' : null}
                {role.permissions.map((code) => (
                  <Tag key={code} title={code}>
                    {names.get(code) ?? code}
                  </Tag>
                ))}
              </div>
            ),
          }}
        />
      </Card>
      <RoleForm
        open={formOpen}
        editing={editing}
        catalogue={catalogue.items}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          void message.success(editing ? '角色已保存' : '角色已创建');
          list.reload();
        }}
      />
    </>
  );
}
