import { Alert, Form, Input, Switch } from 'antd';
import { api } from '../api';
import { ADMIN_CLASS_LABELS } from '../format';
import type { Permission, Role } from '../types';
import { FormModal } from './FormModal';
import { PermissionPicker, adminClassesOf } from './PermissionPicker';

interface Values {
  code: string;
  name: string;
  description?: string;
  permissions: string[];
  mfaRequired: boolean;
}

const FIELDS = ['code', 'name', 'description', 'permissions', 'mfaRequired'] as const;

export interface RoleFormProps {
  open: boolean;
  editing: Role | null;
  catalogue: Permission[];
  onClose: () => void;
  onSaved: () => void;
}

export function RoleForm({ open, editing, catalogue, onClose, onSaved }: RoleFormProps) {
  const [form] = Form.useForm<Values>();
  const permissions = Form.useWatch('permissions', form) ?? [];
  const classes = adminClassesOf(permissions, catalogue);
  const locked = !!editing?.builtin && !!editing.adminClass;

  const initialValues: Partial<Values> = editing
    ? {
        code: editing.code,
        name: editing.name,
        description: editing.description ?? undefined,
        permissions: editing.permissions,
        mfaRequired: editing.mfaRequired,
      }
    : { permissions: [], mfaRequired: true };

  const submit = async (values: Values) => {
    const description = values.description?.trim() ?? '';
    if (!editing) {
      await api.post<Role>('/api/v1/roles', {
        code: values.code.trim(),
        name: values.name.trim(),
        description: description || undefined,
        permissions: values.permissions,
        mfaRequired: values.mfaRequired,
      });
    } else {
      await api.patch<Role>(`/api/v1/roles/${editing.id}`, {
        version: editing.version,
        name: values.name.trim(),
        description,
        permissions: values.permissions,
        mfaRequired: values.mfaRequired,
      });
    }
    onSaved();
  };

  return (
    <FormModal<Values>
      open={open}
      form={form}
      name="role"
      width={860}
      title={editing ? `编辑角色：${editing.name}` : '新建角色'}
      fields={FIELDS}
      initialValues={initialValues}
      onSubmit={submit}
      onClose={onClose}
      readOnly={locked}
    >
      {locked ? (
        <Alert type="info" showIcon className="form-banner" title="内置管理员角色不可修改，仅供查看。" />
      ) : null}
      <div className="form-grid">
        <Form.Item
          label="角色编码"
          name="code"
          rules={[
            { required: true, message: '请输入角色编码' },
            { pattern: /^[a-z][a-z0-9_.-]{1,63}$/, message: '以小写字母开头，可含小写字母、数字、下划线、点和短横线' },
          ]}
          extra={editing ? '编码创建后不可修改' : '如 trading_clerk'}
        >
          <Input disabled={!!editing} maxLength={64} />
        </Form.Item>
        <Form.Item label="角色名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入角色名称' }]}>
          <Input disabled={locked} maxLength={50} />
        </Form.Item>
      </div>
      <Form.Item label="描述" name="description">
        <Input.TextArea disabled={locked} rows={2} maxLength={200} />
      </Form.Item>
      <Form.Item
        label="需要双因素认证"
        name="mfaRequired"
        valuePropName="checked"
        extra="开启后，拥有此角色的用户登录时必须输入身份验证器动态验证码；管理员角色应当开启。"
      >
        <Switch disabled={locked} checkedChildren="是" unCheckedChildren="否" />
      </Form.Item>
      <Form.Item
        label="权限"
        name="permissions"
        rules={[
          {
            validator: async (_, value: string[] | undefined) => {
              if (adminClassesOf(value ?? [], catalogue).length > 1)
                throw new Error('一个角色只能包含一类管理员（系统、安全、审计）的权限');
            },
          },
        ]}
        extra={
          classes.length === 1 && classes[0]
            ? `管理员类别：${ADMIN_CLASS_LABELS[classes[0]]}`
            : classes.length === 0
              ? '管理员类别：无（业务角色）'
              : undefined
        }
      >
        <PermissionPicker catalogue={catalogue} disabled={locked} />
      </Form.Item>
    </FormModal>
  );
}
