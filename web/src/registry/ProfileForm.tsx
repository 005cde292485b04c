// The fields of an entity's profile (ProfileInput): basics, legal representative, contacts,
// basic bank account, qualifications (with their state on the saved version), certificates
// with their attachment, and key personnel. The form instance belongs to the page.
import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, TreeSelect, Typography, Upload, type FormInstance } from 'antd';
import { DeleteOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { api, errorText, fetchObjectUrl } from '../api';
import { optionsOf } from '../format';
import type { FileRef, Qualification } from '../types';
import type { ProfileValues } from './profileForm';
import { ENTITY_ROLE_LABELS, formatSize, ID_NUMBER_PATTERN, KEY_PERSON_ROLE_LABELS, PHONE_PATTERN, QualificationStateTag, REGION_TREE } from './shared';

const DATE = 'YYYY-MM-DD';
const required = (message: string) => ({ required: true, whitespace: true, message });

export interface ProfileFormProps {
  form: FormInstance<ProfileValues>;
  disabled: boolean;
  /** Organisations must name their type, founding day and legal representative (as the licence does). */
  organisation: boolean;
  /** The saved qualifications with their state, by id (tags beside the rows). */
  qualificationStates: Map<string, Qualification>;
  onFinish: (values: ProfileValues) => void;
}

export function ProfileForm({ form, disabled, organisation, qualificationStates, onFinish }: ProfileFormProps) {
  return (
    <Form<ProfileValues> form={form} name="profile" layout="vertical" disabled={disabled} onFinish={onFinish} scrollToFirstError>
      <Card title="基本信息" size="small" className="section-card">
        <div className="form-grid">
          <Form.Item label="名称" name="name" rules={[required('请输入名称'), { min: 2, message: '名称至少 2 个字' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item label="注册地" name="regionCode" rules={[{ required: true, message: '请选择注册地' }]}>
            <TreeSelect treeData={REGION_TREE} showSearch treeNodeFilterProp="title" placeholder="请选择行政区划" />
          </Form.Item>
          <Form.Item label="主体类型" name="entityType" extra="如 有限责任公司" rules={organisation ? [required('请填写主体类型')] : []}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item label="注册资本（万元）" name="registeredCapitalWanYuan">
            <InputNumber min={0} max={100_000_000} className="full-width" />
          </Form.Item>
          <Form.Item label="成立日期" name="establishedOn" rules={organisation ? [{ required: true, message: '请选择成立日期' }] : []}>
            <DatePicker format={DATE} className="full-width" />
          </Form.Item>
          <Form.Item label="主体角色" name="roles" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个主体角色' }]}>
            <Select mode="multiple" options={optionsOf(ENTITY_ROLE_LABELS)} placeholder="在平台上的身份，可多选" />
          </Form.Item>
        </div>
        <Form.Item label="住所" name="address" rules={[required('请输入住所')]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label="经营范围" name="businessScope">
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </Card>

      <Card title={organisation ? '法定代表人' : '负责人（选填）'} size="small" className="section-card">
        <div className="form-grid">
          <Form.Item label="法定代表人姓名" name={['legalRepresentative', 'name']} rules={organisation ? [required('请填写法定代表人姓名')] : []}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            label="法定代表人身份证号"
            name={['legalRepresentative', 'idNumber']}
            normalize={(v: string) => v.toUpperCase()}
            rules={[{ pattern: ID_NUMBER_PATTERN, message: '身份证号为 18 位，末位可为数字或 X' }]}
          >
            <Input maxLength={18} className="mono" autoComplete="off" />
          </Form.Item>
        </div>
      </Card>

      <Card title="联系人（1–5 人）" size="small" className="section-card">
        <Form.List name="contacts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <div key={f.key} className="list-row">
                  <Form.Item label={`联系人 ${i + 1} 姓名`} name={[f.name, 'name']} rules={[required('请输入联系人姓名')]}>
                    <Input maxLength={50} />
                  </Form.Item>
                  <Form.Item label={`联系人 ${i + 1} 电话`} name={[f.name, 'phone']} rules={[required('请输入联系电话'), { pattern: PHONE_PATTERN, message: '请输入手机号或带区号的固定电话' }]}>
                    <Input maxLength={20} inputMode="tel" />
                  </Form.Item>
                  <Form.Item label={`联系人 ${i + 1} 邮箱`} name={[f.name, 'email']} rules={[{ type: 'email', message: '邮箱格式不正确' }]}>
                    <Input maxLength={100} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} disabled={disabled || fields.length <= 1} onClick={() => remove(f.name)} aria-label={`删除联系人 ${i + 1}`} className="list-row-remove" />
                </div>
              ))}
              <Button icon={<PlusOutlined />} disabled={disabled || fields.length >= 5} onClick={() => add({})}>
                添加联系人
              </Button>
            </>
          )}
        </Form.List>
      </Card>

      <Card title="基本存款账户" size="small" className="section-card">
        <div className="form-grid three">
          <Form.Item label="开户银行" name={['bankAccount', 'bankName']}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item label="账户名称" name={['bankAccount', 'accountName']}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item label="银行账号" name={['bankAccount', 'number']} rules={[{ pattern: /^\d{8,30}$/, message: '银行账号为 8–30 位数字' }]}>
            <Input maxLength={30} className="mono" />
          </Form.Item>
        </div>
      </Card>

      <Card title="资质" size="small" className="section-card">
        <Form.List name="qualifications">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => {
                const id = form.getFieldValue(['qualifications', f.name, 'id']) as string | undefined;
                const saved = id ? qualificationStates.get(id) : undefined;
                return (
                  <div key={f.key} className="list-block">
                    <Space className="list-block-head">
                      <Typography.Text strong>资质 {i + 1}</Typography.Text>
                      {saved ? <QualificationStateTag state={saved.state} /> : <Typography.Text type="secondary">保存后显示有效状态</Typography.Text>}
                      <Button size="small" type="link" danger disabled={disabled} onClick={() => remove(f.name)}>
                        删除
                      </Button>
                    </Space>
                    <div className="form-grid three">
                      <Form.Item label="资质类别" name={[f.name, 'category']} rules={[required('请输入资质类别')]}>
                        <Input maxLength={100} placeholder="如 建筑工程施工总承包" />
                      </Form.Item>
                      <Form.Item label="等级" name={[f.name, 'grade']} rules={[required('请输入等级')]}>
                        <Input maxLength={50} />
                      </Form.Item>
                      <Form.Item label="证书编号" name={[f.name, 'number']} rules={[required('请输入证书编号')]}>
                        <Input maxLength={100} />
                      </Form.Item>
                      <Form.Item label="发证机关" name={[f.name, 'issuer']} rules={[required('请输入发证机关')]}>
                        <Input maxLength={100} />
                      </Form.Item>
                      <Form.Item label="有效期起" name={[f.name, 'validFrom']} rules={[{ required: true, message: '请选择有效期起' }]}>
                        <DatePicker format={DATE} className="full-width" />
                      </Form.Item>
                      <Form.Item label="有效期至" name={[f.name, 'validTo']} rules={[{ required: true, message: '请选择有效期至' }]}>
                        <DatePicker format={DATE} className="full-width" />
                      </Form.Item>
                    </div>
                  </div>
                );
              })}
              <Button icon={<PlusOutlined />} disabled={disabled || fields.length >= 50} onClick={() => add({})}>
                添加资质
              </Button>
            </>
          )}
        </Form.List>
      </Card>

      <Card title="证书" size="small" className="section-card">
        <Form.List name="certificates">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <div key={f.key} className="list-block">
                  <Space className="list-block-head">
                    <Typography.Text strong>证书 {i + 1}</Typography.Text>
                    <Button size="small" type="link" danger disabled={disabled} onClick={() => remove(f.name)}>
                      删除
                    </Button>
                  </Space>
                  <div className="form-grid">
                    <Form.Item label="证书类型" name={[f.name, 'kind']} rules={[required('请输入证书类型')]}>
                      <Input maxLength={100} placeholder="如 安全生产许可证" />
                    </Form.Item>
                    <Form.Item label="证书编号" name={[f.name, 'number']} rules={[required('请输入证书编号')]}>
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item label="发证机关" name={[f.name, 'issuer']} rules={[required('请输入发证机关')]}>
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item label="有效期至" name={[f.name, 'validTo']}>
                      <DatePicker format={DATE} className="full-width" />
                    </Form.Item>
                  </div>
                  <Form.Item label="证书附件" name={[f.name, 'file']}>
                    <AttachmentField disabled={disabled} index={i} />
                  </Form.Item>
                </div>
              ))}
              <Button icon={<PlusOutlined />} disabled={disabled || fields.length >= 50} onClick={() => add({})}>
                添加证书
              </Button>
            </>
          )}
        </Form.List>
      </Card>

      <Card title="主要人员" size="small" className="section-card">
        <Form.List name="keyPersonnel">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <div key={f.key} className="list-block">
                  <Space className="list-block-head">
                    <Typography.Text strong>人员 {i + 1}</Typography.Text>
                    <Button size="small" type="link" danger disabled={disabled} onClick={() => remove(f.name)}>
                      删除
                    </Button>
                  </Space>
                  <div className="form-grid three">
                    <Form.Item label="姓名" name={[f.name, 'name']} rules={[required('请输入姓名')]}>
                      <Input maxLength={50} />
                    </Form.Item>
                    <Form.Item label="岗位" name={[f.name, 'role']} rules={[{ required: true, message: '请选择岗位' }]}>
                      <Select options={optionsOf(KEY_PERSON_ROLE_LABELS)} />
                    </Form.Item>
                    <Form.Item
                      label="身份证号"
                      name={[f.name, 'idNumber']}
                      normalize={(v: string) => v.toUpperCase()}
                      rules={[required('请输入身份证号'), { pattern: ID_NUMBER_PATTERN, message: '身份证号为 18 位，末位可为数字或 X' }]}
                    >
                      <Input maxLength={18} className="mono" autoComplete="off" />
                    </Form.Item>
                    <Form.Item label="执业证书类型" name={[f.name, 'certificateKind']} rules={[required('请输入证书类型')]}>
                      <Input maxLength={100} placeholder="如 一级注册建造师" />
                    </Form.Item>
                    <Form.Item label="执业证书编号" name={[f.name, 'certificateNumber']} rules={[required('请输入证书编号')]}>
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item label="证书有效期至" name={[f.name, 'certificateValidTo']}>
                      <DatePicker format={DATE} className="full-width" />
                    </Form.Item>
                  </div>
                </div>
              ))}
              <Button icon={<PlusOutlined />} disabled={disabled || fields.length >= 100} onClick={() => add({ role: 'project_manager' })}>
                添加人员
              </Button>
            </>
          )}
        </Form.List>
      </Card>
    </Form>
  );
}

/** A certificate's attachment: uploads the file (raw body) and keeps the returned reference. */
function AttachmentField({ value, onChange, disabled, index }: { value?: FileRef | null; onChange?: (v: FileRef | null) => void; disabled: boolean; index: number }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const pick = async (file: File) => {
    setBusy(true);
    try {
      onChange?.(await api.upload<FileRef>('POST', '/api/v1/registry/me/files', file, { name: file.name }));
    } catch (cause) {
      void message.error(errorText(cause));
    } finally {
      setBusy(false);
    }
  };
  const open = async (ref: FileRef) => {
    try {
      const url = await fetchObjectUrl(`/api/v1/registry/me/files/${ref.digest}`);
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (cause) {
      void message.error(errorText(cause));
    }
  };
  return (
    <Space wrap>
      {value ? (
        <Button type="link" icon={<PaperClipOutlined />} onClick={() => void open(value)}>
          {value.name}（{formatSize(value.size)}）
        </Button>
      ) : (
        <Typography.Text type="secondary">未上传</Typography.Text>
      )}
      <Upload accept="application/pdf,image/png,image/jpeg" showUploadList={false} disabled={disabled || busy} beforeUpload={(file) => {
          void pick(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy} aria-label={`上传证书 ${index + 1} 附件`}>
          {value ? '更换附件' : '上传附件'}
        </Button>
      </Upload>
      {value && !disabled ? (
        <Button size="small" type="link" danger onClick={() => onChange?.(null)}>
          移除附件
        </Button>
      ) : null}
    </Space>
  );
}
