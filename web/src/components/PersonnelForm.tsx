import { Form, Input, Select, TreeSelect } from 'antd';
import { api } from '../api';
import { PERSONNEL_STATUS_LABELS, optionsOf } from '../format';
import type { SelectTreeNode } from '../hooks';
import type { Personnel, PersonnelStatus } from '../types';
import { FormModal } from './FormModal';

interface Values {
  name: string;
  idNumber?: string;
  organisationId: string;
  position?: string;
  phone?: string;
  status: PersonnelStatus;
}

const FIELDS = ['name', 'idNumber', 'organisationId', 'position', 'phone', 'status'] as const;

export interface PersonnelFormProps {
  open: boolean;
  editing: Personnel | null;
  organisationTree: SelectTreeNode[];
  onClose: () => void;
  onSaved: () => void;
}

export function PersonnelForm({ open, editing, organisationTree, onClose, onSaved }: PersonnelFormProps) {
  const initialValues: Partial<Values> = editing
    ? {
        name: editing.name,
        organisationId: editing.organisationId,
        position: editing.position ?? undefined,
        status: editing.status,
      }
    : { status: 'active' };

  const submit = async (values: Values) => {
    const position = values.position?.trim() ?? '';
    const phone = values.phone?.trim() ?? '';
    if (!editing) {
      await api.post<Personnel>('/api/v1/personnel', {
        name: values.name.trim(),
        idNumber: (values.idNumber ?? '').trim().toUpperCase(),
        organisationId: values.organisationId,
        position,
        phone: phone || undefined,
        status: values.status,
      });
    } else {
      // Only what changed; the phone is only ever shown masked, so an empty field keeps it.
      const patch: Record<string, unknown> = { version: editing.version };
      if (values.name.trim() !== editing.name) patch.name = values.name.trim();
      if (position !== (editing.position ?? '')) patch.position = position;
      if (phone) patch.phone = phone;
      if (values.organisationId !== editing.organisationId) patch.organisationId = values.organisationId;
      if (values.status !== editing.status) patch.status = values.status;
      await api.patch<Personnel>(`/api/v1/personnel/${editing.id}`, patch);
    }
    onSaved();
  };

  return (
    <FormModal<Values>
      open={open}
      name="personnel"
      title={editing ? `编辑人员：${editing.name}` : '新增人员'}
      fields={FIELDS}
      initialValues={initialValues}
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.Item label="姓名" name="name" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
        <Input maxLength={50} />
      </Form.Item>
      {editing ? (
        <Form.Item label="身份证号" extra="身份证号登记后不可修改，仅显示脱敏信息">
          <Input value={editing.idNumberMasked} disabled />
        </Form.Item>
      ) : (
        <Form.Item
          label="身份证号"
          name="idNumber"
          normalize={(v: string) => v.toUpperCase()}
          rules={[
            { required: true, whitespace: true, message: '请输入身份证号' },
            { pattern: /^\d{17}[\dX]$/, message: '身份证号为 18 位，末位可为数字或 X' },
          ]}
        >
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item label="所属机构" name="organisationId" rules={[{ required: true, message: '请选择所属机构' }]}>
        <TreeSelect treeData={organisationTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll placeholder="请选择" />
      </Form.Item>
      <Form.Item label="职务" name="position" rules={[{ required: !editing, whitespace: true, message: '请输入职务' }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item
        label="手机号"
        name="phone"
        rules={[{ pattern: /^1\d{10}$/, message: '请输入 11 位手机号' }]}
        extra={editing?.phoneMasked ? `当前：${editing.phoneMasked}，留空则不修改` : undefined}
      >
        <Input maxLength={11} inputMode="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item label="状态" name="status" rules={[{ required: true, message: '请选择状态' }]}>
        <Select options={optionsOf(PERSONNEL_STATUS_LABELS)} />
      </Form.Item>
    </FormModal>
  );
}
