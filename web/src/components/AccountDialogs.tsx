// Dialogs of the account screen: create an account, reset its password, assign roles.
import { Button, Form, Input, Select, Space, TreeSelect } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../api';
import { PASSWORD_POLICY_TEXT, SCOPE_LABELS, optionsOf, passwordPolicyProblem } from '../format';
import { useAll, type SelectTreeNode } from '../hooks';
import type { Account, Personnel, Role, Scope } from '../types';
import { FormModal } from './FormModal';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}

interface CreateValues {
  username: string;
  displayName: string;
  organisationId: string;
  personnelId?: string;
  initialPassword: string;
}

export function CreateAccountModal({ open, onClose, onSaved, organisationTree }: DialogProps & { organisationTree: SelectTreeNode[] }) {
  const [form] = Form.useForm<CreateValues>();
  const organisationId = Form.useWatch('organisationId', form);
  const username = Form.useWatch('username', form);
  const personnel = useAll<Personnel>('/api/v1/personnel', { organisationId }, open && !!organisationId);
  const personnelOptions = personnel.items
    .filter((p) => !p.accountId && p.status === 'active')
    .map((p) => ({ value: p.id, label: p.position ? `${p.name}（${p.position}）` : p.name, name: p.name }));

  const submit = async (values: CreateValues) => {
    await api.post<Account>('/api/v1/accounts', {
      username: values.username.trim(),
      displayName: values.displayName.trim(),
      organisationId: values.organisationId,
      personnelId: values.personnelId || undefined,
      initialPassword: values.initialPassword,
    });
    onSaved();
  };

  return (
    <FormModal<CreateValues>
      open={open}
      form={form}
      name="account"
      title="新建账号"
      fields={['username', 'displayName', 'organisationId', 'personnelId', 'initialPassword']}
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.Item
        label="用户名"
        name="username"
        rules={[
          { required: true, whitespace: true, message: '请输入用户名' },
          { pattern: /^[A-Za-z0-9_.@-]{3,64}$/, message: '3–64 位字母、数字或 _ . @ -' },
        ]}
      >
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item
        label="所属机构"
        name="organisationId"
        rules={[{ required: true, message: '请选择所属机构' }]}
      >
        <TreeSelect
          treeData={organisationTree}
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          placeholder="请选择"
          onChange={() => form.setFieldValue('personnelId', undefined)}
        />
      </Form.Item>
      <Form.Item label="关联人员" name="personnelId" extra="可选：关联人员信息库中尚未开通账号的在职人员">
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          loading={personnel.loading}
          disabled={!organisationId}
          placeholder={organisationId ? '不关联' : '请先选择所属机构'}
          options={personnelOptions}
          onChange={(_, option) => {
            const picked = Array.isArray(option) ? undefined : option;
            if (picked && !form.getFieldValue('displayName')) form.setFieldValue('displayName', picked.name);
          }}
        />
      </Form.Item>
      <Form.Item
        label="初始密码"
        name="initialPassword"
        extra={`用户首次登录时须修改。${PASSWORD_POLICY_TEXT}`}
        rules={[
          { required: true, message: '请输入初始密码' },
          {
            validator: async (_, value: string | undefined) => {
              const problem = value ? passwordPolicyProblem(value, username) : null;
              if (problem) throw new Error(problem);
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
    </FormModal>
  );
}

export function ResetPasswordModal({ open, onClose, onSaved, account }: DialogProps & { account: Account | null }) {
  const submit = async (values: { newPassword: string }) => {
    if (!account) return;
    await api.post(`/api/v1/accounts/${account.id}/reset-password`, { newPassword: values.newPassword });
    onSaved();
  };
  return (
    <FormModal<{ newPassword: string }>
      open={open}
      name="resetPassword"
      title={`重置密码：${account?.displayName ?? ''}（${account?.username ?? ''}）`}
      okText="确认重置"
      fields={['newPassword']}
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.Item
        label="新密码"
        name="newPassword"
        extra={`临时密码，用户下次登录时须修改。${PASSWORD_POLICY_TEXT}`}
        rules={[
          { required: true, message: '请输入新密码' },
          {
            validator: async (_, value: string | undefined) => {
              const problem = value ? passwordPolicyProblem(value, account?.username) : null;
              if (problem) throw new Error(problem);
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
    </FormModal>
  );
}

interface GrantValues {
  grants: { roleId?: string; scope?: Scope }[];
}

export function AssignRolesModal({ open, onClose, onSaved, account }: DialogProps & { account: Account | null }) {
  const roles = useAll<Role>('/api/v1/roles', {}, open);
  const roleOptions = roles.items.map((r) => ({ value: r.id, label: r.name }));
  const initial: GrantValues = {
    grants: account?.roles.length ? account.roles.map((g) => ({ roleId: g.roleId, scope: g.scope })) : [{ scope: 'organisation' }],
  };

  const submit = async (values: GrantValues) => {
    if (!account) return;
    const grants = (values.grants ?? []).filter((g) => g.roleId && g.scope);
    await api.put(`/api/v1/accounts/${account.id}/roles`, { grants });
    onSaved();
  };

  return (
    <FormModal<GrantValues>
      open={open}
      name="grants"
      width={680}
      title={`分配角色：${account?.displayName ?? ''}（${account?.username ?? ''}）`}
      fields={['grants']}
      initialValues={initial}
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.List name="grants">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field) => (
              <Space key={field.key} align="start" className="grant-row" wrap>
                <Form.Item
                  label="角色"
                  name={[field.name, 'roleId']}
                  rules={[
                    { required: true, message: '请选择角色' },
                    ({ getFieldValue }) => ({
                      validator: async (_, value: string | undefined) => {
                        const all = (getFieldValue('grants') as GrantValues['grants']).filter((g) => g?.roleId === value);
                        if (value && all.length > 1) throw new Error('同一角色不能重复分配');
                      },
                    }),
                  ]}
                >
                  <Select
                    className="grant-role"
                    options={roleOptions}
                    loading={roles.loading}
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder="请选择角色"
                  />
                </Form.Item>
                <Form.Item label="数据范围" name={[field.name, 'scope']} rules={[{ required: true, message: '请选择数据范围' }]}>
                  <Select className="grant-scope" options={optionsOf(SCOPE_LABELS)} placeholder="请选择" />
                </Form.Item>
                <Button
                  type="text"
                  className="grant-remove"
                  aria-label="移除此行"
                  icon={<MinusCircleOutlined />}
                  onClick={() => remove(field.name)}
                />
              </Space>
            ))}
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ scope: 'organisation' })}>
              添加角色
            </Button>
          </>
        )}
      </Form.List>
    </FormModal>
  );
}
