// Create / edit dialog of an evaluation expert. The server's field errors land on the fields.
import { useEffect } from 'react';
import { Form, Input, Select, TreeSelect } from 'antd';
import { api } from '../api';
import type { SelectTreeNode } from '../hooks';
import type { Expert } from '../types';
import { USCC_MESSAGE, USCC_PATTERN, remapFieldErrors } from './ExpertShared';
import { FormModal } from './FormModal';

interface Values {
  name: string;
  idNumber?: string;
  phone?: string;
  regionCode: string;
  employerName: string;
  employerUscc: string;
  titles?: string[];
  specialties: string[];
  primarySpecialty?: string;
}

const FIELDS = [
  'name',
  'idNumber',
  'phone',
  'regionCode',
  'employerName',
  'employerUscc',
  'titles',
  'specialties',
  'primarySpecialty',
] as const;

export interface ExpertFormProps {
  open: boolean;
  editing: Expert | null;
  regionTree: SelectTreeNode[];
  /** Leaves only selectable. */
  specialtyTree: SelectTreeNode[];
  nameOf: (code: string) => string;
  onClose: () => void;
  onSaved: (expert: Expert) => void;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function ExpertForm({ open, editing, regionTree, specialtyTree, nameOf, onClose, onSaved }: ExpertFormProps) {
  const [form] = Form.useForm<Values>();
  const chosen = Form.useWatch('specialties', form);
  const primary = Form.useWatch('primarySpecialty', form);

  // The primary specialty is one of the chosen ones; follow the list when it changes.
  useEffect(() => {
    if (!open || !chosen) return;
    if (chosen.length === 0) {
      if (primary !== undefined) form.setFieldValue('primarySpecialty', undefined);
    } else if (!primary || !chosen.includes(primary)) {
      form.setFieldValue('primarySpecialty', chosen[0]);
    }
  }, [open, chosen, primary, form]);

  const initialValues: Partial<Values> = editing
    ? {
        name: editing.name,
        regionCode: editing.regionCode,
        employerName: editing.employerName,
        employerUscc: editing.employerUscc,
        titles: editing.titles,
        specialties: editing.specialties.map((s) => s.code),
        primarySpecialty: editing.primarySpecialty || undefined,
      }
    : { titles: [], specialties: [] };

  const submit = async (values: Values) => {
    const titles = (values.titles ?? []).map((t) => t.trim()).filter(Boolean);
    const phone = values.phone?.trim() ?? '';
    try {
      let saved: Expert;
      if (!editing) {
        saved = await api.post<Expert>('/api/v1/experts', {
          name: values.name.trim(),
          idNumber: (values.idNumber ?? '').trim().toUpperCase(),
          phone,
          regionCode: values.regionCode,
          employerName: values.employerName.trim(),
          employerUscc: values.employerUscc.trim().toUpperCase(),
          titles,
          specialties: values.specialties,
          primarySpecialty: values.primarySpecialty,
        });
      } else {
        // Only what changed; the phone is only ever shown masked, so an empty field keeps it.
        const patch: Record<string, unknown> = { version: editing.version };
        const name = values.name.trim();
        const employerName = values.employerName.trim();
        const employerUscc = values.employerUscc.trim().toUpperCase();
        if (name !== editing.name) patch.name = name;
        if (phone) patch.phone = phone;
        if (values.regionCode !== editing.regionCode) patch.regionCode = values.regionCode;
        if (employerName !== editing.employerName) patch.employerName = employerName;
        if (employerUscc !== editing.employerUscc) patch.employerUscc = employerUscc;
        if (!sameList(titles, editing.titles)) patch.titles = titles;
        const codes = editing.specialties.map((s) => s.code);
        if (!sameList(values.specialties, codes)) patch.specialties = values.specialties;
        if (values.primarySpecialty && values.primarySpecialty !== editing.primarySpecialty) patch.primarySpecialty = values.primarySpecialty;
        saved = await api.patch<Expert>(`/api/v1/experts/${editing.id}`, patch);
      }
      onSaved(saved);
    } catch (error) {
      // `specialties.1`, `titles.0` → the multi-value field that holds them.
      throw remapFieldErrors(error);
    }
  };

  return (
    <FormModal<Values>
      open={open}
      form={form}
      name="expert"
      title={editing ? `编辑专家：${editing.name}` : '登记专家'}
      fields={FIELDS}
      initialValues={initialValues}
      onSubmit={submit}
      onClose={onClose}
      width={720}
    >
      <div className="form-grid">
        <Form.Item label="姓名" name="name" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
          <Input maxLength={50} />
        </Form.Item>
        {editing ? (
          <Form.Item label="身份证号" extra="登记后不可修改，仅显示脱敏信息">
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
        <Form.Item
          label="手机号"
          name="phone"
          rules={[
            { required: !editing, whitespace: true, message: '请输入手机号' },
            { pattern: /^1\d{10}$/, message: '请输入 11 位手机号' },
          ]}
          extra={editing ? `当前：${editing.phoneMasked}，留空则不修改` : undefined}
        >
          <Input maxLength={11} inputMode="tel" autoComplete="off" />
        </Form.Item>
        <Form.Item label="所在地区" name="regionCode" rules={[{ required: true, message: '请选择所在地区' }]}>
          <TreeSelect treeData={regionTree} showSearch treeNodeFilterProp="title" placeholder="请选择行政区划" />
        </Form.Item>
      </div>
      <Form.Item
        label="工作单位"
        name="employerName"
        rules={[
          { required: true, whitespace: true, message: '请输入工作单位' },
          { min: 2, message: '工作单位至少 2 个字' },
        ]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        label="工作单位统一社会信用代码"
        name="employerUscc"
        normalize={(v: string) => v.toUpperCase()}
        rules={[
          { required: true, whitespace: true, message: '请输入工作单位统一社会信用代码' },
          { pattern: USCC_PATTERN, message: USCC_MESSAGE },
        ]}
      >
        <Input maxLength={18} className="mono" autoComplete="off" />
      </Form.Item>
      <Form.Item
        label="职称"
        name="titles"
        extra="输入后按回车添加，最多 10 个"
        rules={[{ type: 'array', max: 10, message: '职称最多 10 个' }]}
      >
        <Select mode="tags" open={false} suffixIcon={null} placeholder="如 高级工程师" tokenSeparators={[',', '，']} />
      </Form.Item>
      <Form.Item
        label="评标专业"
        name="specialties"
        rules={[
          { required: true, type: 'array', min: 1, message: '请至少选择一个评标专业' },
          { type: 'array', max: 10, message: '评标专业最多 10 个' },
        ]}
      >
        <TreeSelect
          treeData={specialtyTree}
          multiple
          showSearch
          treeNodeFilterProp="title"
          treeDefaultExpandAll
          placeholder="选择具体专业（可多选）"
        />
      </Form.Item>
      <Form.Item label="主专业" name="primarySpecialty" rules={[{ required: true, message: '请选择主专业' }]}>
        <Select
          placeholder="从已选评标专业中选择"
          disabled={!chosen || chosen.length === 0}
          options={(chosen ?? []).map((code) => ({ value: code, label: `${code} ${nameOf(code)}` }))}
        />
      </Form.Item>
    </FormModal>
  );
}
