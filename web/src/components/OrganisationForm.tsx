import { Form, Input, Select, TreeSelect } from 'antd';
import { api } from '../api';
import { INDUSTRY_LABELS, KIND_LABELS, optionsOf } from '../format';
import type { SelectTreeNode } from '../hooks';
import type { Industry, Organisation, OrganisationKind } from '../types';
import { FormModal } from './FormModal';

interface Values {
  name: string;
  shortName?: string;
  kind: OrganisationKind;
  parentId?: string;
  regionCode: string;
  industry?: Industry;
  creditCode?: string;
}

const FIELDS = ['name', 'shortName', 'kind', 'parentId', 'regionCode', 'industry', 'creditCode'] as const;

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

export interface OrganisationFormProps {
  open: boolean;
  /** The organisation being edited; null to create. */
  editing: Organisation | null;
  /** Pre-selected parent when creating a sub-organisation. */
  parent?: Organisation | null;
  organisationTree: SelectTreeNode[];
  regionTree: SelectTreeNode[];
  onClose: () => void;
  onSaved: () => void;
}

export function OrganisationForm({ open, editing, parent, organisationTree, regionTree, onClose, onSaved }: OrganisationFormProps) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);

  const initialValues: Partial<Values> = editing
    ? {
        name: editing.name,
        shortName: editing.shortName ?? undefined,
        kind: editing.kind,
        parentId: editing.parentId ?? undefined,
        regionCode: editing.regionCode,
        industry: editing.industry ?? undefined,
        creditCode: editing.creditCode ?? undefined,
      }
    : { kind: parent ? 'department' : 'trading_centre', parentId: parent?.id, regionCode: parent?.regionCode };

  const submit = async (values: Values) => {
    const industry = values.kind === 'supervision' ? values.industry : undefined;
    if (!editing) {
      await api.post<Organisation>('/api/v1/organisations', {
        name: values.name.trim(),
        shortName: blank(values.shortName),
        kind: values.kind,
        parentId: values.parentId,
        regionCode: values.regionCode,
        industry,
        creditCode: blank(values.creditCode)?.toUpperCase(),
      });
    } else {
      // Send only what changed; a cleared optional text is sent as null.
      const patch: Record<string, unknown> = { version: editing.version };
      const change = (key: 'name' | 'shortName' | 'creditCode' | 'industry', next: string | undefined) => {
        const before = editing[key] ?? undefined;
        if (next !== before) patch[key] = next ?? null;
      };
      change('name', values.name.trim());
      change('shortName', blank(values.shortName));
      change('creditCode', blank(values.creditCode)?.toUpperCase());
      if (editing.kind === 'supervision') change('industry', industry);
      await api.patch<Organisation>(`/api/v1/organisations/${editing.id}`, patch);
    }
    onSaved();
  };

  return (
    <FormModal<Values>
      open={open}
      form={form}
      name="organisation"
      title={editing ? `编辑机构：${editing.name}` : '新建机构'}
      fields={FIELDS}
      initialValues={initialValues}
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.Item label="名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入机构名称' }]}>
        <Input maxLength={100} placeholder="如：太原市公共资源交易中心" />
      </Form.Item>
      <Form.Item label="简称" name="shortName">
        <Input maxLength={30} />
      </Form.Item>
      <Form.Item label="类型" name="kind" rules={[{ required: true, message: '请选择机构类型' }]}>
        <Select options={optionsOf(KIND_LABELS)} disabled={!!editing} />
      </Form.Item>
      {kind === 'supervision' ? (
        <Form.Item label="监管行业" name="industry" rules={[{ required: true, message: '请选择监管行业' }]}>
          <Select options={optionsOf(INDUSTRY_LABELS)} placeholder="行政监督部门所监管的行业" />
        </Form.Item>
      ) : null}
      <Form.Item label="上级机构" name="parentId" extra={editing ? '上级机构创建后不可更改' : '不选则为顶级机构'}>
        <TreeSelect
          treeData={organisationTree}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          disabled={!!editing}
          placeholder="请选择上级机构"
        />
      </Form.Item>
      <Form.Item
        label="行政区划"
        name="regionCode"
        rules={[{ required: true, message: '请选择行政区划' }]}
        extra={editing ? '行政区划创建后不可更改' : undefined}
      >
        <TreeSelect
          treeData={regionTree}
          showSearch
          treeNodeFilterProp="title"
          disabled={!!editing}
          placeholder="请选择省、市或县（区）"
        />
      </Form.Item>
      <Form.Item
        label="统一社会信用代码"
        name="creditCode"
        normalize={(v: string) => v.toUpperCase()}
        rules={[{ pattern: /^[0-9A-HJ-NPQRTUWXY]{18}$/, message: '统一社会信用代码为 18 位数字或大写字母' }]}
      >
        <Input maxLength={18} placeholder="18 位，可不填" />
      </Form.Item>
    </FormModal>
  );
}
