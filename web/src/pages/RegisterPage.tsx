// Public self-registration of a market entity (法人及其他组织 or 自然人) with its first account:
// POST /api/v1/public/registrations. The server's field errors land on their fields; a code that
// is already registered shows the server's explanation (it names the existing entity).
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Radio, TreeSelect, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, api, errorText } from '../api';
import { applyFieldErrors } from '../formErrors';
import { PASSWORD_POLICY_TEXT, passwordPolicyProblem } from '../format';
import { ID_NUMBER_PATTERN, isShanxiUscc, REGION_TREE, USCC_PATTERN } from '../registry/shared';
import type { EntityKind } from '../types';
import '../login.css';

interface Values {
  entity: { kind: EntityKind; uscc?: string; idNumber?: string; name: string; regionCode?: string };
  username: string;
  password: string;
  confirm: string;
  displayName: string;
}

const FIELDS = ['entity', 'username', 'password', 'displayName'] as const;

export interface RegisteredNotice {
  registered: { username: string; entityName: string };
}

export default function RegisterPage() {
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const kind = Form.useWatch(['entity', 'kind'], form) ?? 'organisation';
  const uscc = Form.useWatch(['entity', 'uscc'], form) ?? '';
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ text: string; more: string[] } | null>(null);
  const regionRequired = kind === 'person' || (USCC_PATTERN.test(uscc) && !isShanxiUscc(uscc));

  const submit = async (values: Values) => {
    setBusy(true);
    setConflict(null);
    setBanner(null);
    const e = values.entity;
    const entity =
      e.kind === 'organisation'
        ? { kind: e.kind, uscc: (e.uscc ?? '').trim().toUpperCase(), name: e.name.trim(), ...(e.regionCode ? { regionCode: e.regionCode } : {}) }
        : { kind: e.kind, idNumber: (e.idNumber ?? '').trim().toUpperCase(), name: e.name.trim(), ...(e.regionCode ? { regionCode: e.regionCode } : {}) };
    try {
      await api.post('/api/v1/public/registrations', {
        username: values.username.trim(),
        password: values.password,
        displayName: values.displayName.trim(),
        entity,
      });
      const notice: RegisteredNotice = { registered: { username: values.username.trim(), entityName: entity.name } };
      void navigate('/login', { replace: true, state: notice });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.errors.some((x) => x.rule === 'registered')) setConflict(error.detail);
      const outcome = applyFieldErrors(form, error, FIELDS);
      if (!outcome.handled) setBanner({ text: errorText(error), more: outcome.leftover });
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <section className="login-hero" aria-hidden="true">
        <div className="login-hero-inner">
          <div className="login-hero-emblem">公</div>
          <h1>市场主体注册</h1>
          <p>一地注册 · 全省通用</p>
          <ul>
            <li>法人及其他组织凭统一社会信用代码注册</li>
            <li>自然人凭居民身份证号注册</li>
            <li>注册后登录完善主体信息、上传营业执照，提交交易中心审核</li>
          </ul>
        </div>
      </section>
      <main className="login-panel register-panel">
        <Card className="login-card" variant="borderless">
          <Typography.Title level={3} className="login-heading">
            市场主体注册
          </Typography.Title>
          {conflict ? <Alert type="error" showIcon role="alert" className="login-alert" title="该主体已注册" description={conflict} /> : null}
          {banner ? (
            <Alert
              type="error"
              showIcon
              role="alert"
              className="login-alert"
              title={banner.text}
              description={banner.more.length > 0 ? banner.more.join('；') : undefined}
            />
          ) : null}
          <Form<Values>
            form={form}
            name="register"
            layout="vertical"
            initialValues={{ entity: { kind: 'organisation' } }}
            onFinish={(v) => void submit(v)}
            onValuesChange={() => setConflict(null)}
            scrollToFirstError
          >
            <Form.Item label="主体类型" name={['entity', 'kind']}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'organisation', label: '法人及其他组织' },
                  { value: 'person', label: '自然人' },
                ]}
              />
            </Form.Item>
            {kind === 'organisation' ? (
              <>
                <Form.Item
                  label="统一社会信用代码"
                  name={['entity', 'uscc']}
                  normalize={(v: string) => v.toUpperCase()}
                  rules={[
                    { required: true, whitespace: true, message: '请输入统一社会信用代码' },
                    { pattern: USCC_PATTERN, message: '统一社会信用代码为 18 位数字或大写字母' },
                  ]}
                >
                  <Input maxLength={18} className="mono" autoComplete="off" />
                </Form.Item>
                <Form.Item label="名称" name={['entity', 'name']} extra="与营业执照上的名称一致" rules={[{ required: true, whitespace: true, message: '请输入主体名称' }, { min: 2, message: '名称至少 2 个字' }]}>
                  <Input maxLength={100} />
                </Form.Item>
              </>
            ) : (
              <>
                <Form.Item
                  label="身份证号"
                  name={['entity', 'idNumber']}
                  normalize={(v: string) => v.toUpperCase()}
                  rules={[
                    { required: true, whitespace: true, message: '请输入身份证号' },
                    { pattern: ID_NUMBER_PATTERN, message: '身份证号为 18 位，末位可为数字或 X' },
                  ]}
                >
                  <Input maxLength={18} className="mono" autoComplete="off" />
                </Form.Item>
                <Form.Item label="姓名" name={['entity', 'name']} rules={[{ required: true, whitespace: true, message: '请输入姓名' }, { min: 2, message: '姓名至少 2 个字' }]}>
                  <Input maxLength={100} />
                </Form.Item>
              </>
            )}
            <Form.Item
              label="注册地"
              name={['entity', 'regionCode']}
              extra={kind === 'organisation' ? (regionRequired ? '该代码不是山西省登记机关赋码，请选择在本省的注册地' : '山西省赋码的主体可不选，按代码确定注册地') : undefined}
              rules={[{ required: regionRequired, message: '请选择注册地（本省的市或县）' }]}
            >
              <TreeSelect treeData={REGION_TREE} showSearch treeNodeFilterProp="title" allowClear placeholder="请选择行政区划" />
            </Form.Item>
            <Typography.Title level={5}>登录账号</Typography.Title>
            <Form.Item
              label="用户名"
              name="username"
              extra="字母开头，3–32 位字母、数字或 _ . -"
              rules={[
                { required: true, whitespace: true, message: '请输入用户名' },
                { pattern: /^[A-Za-z][A-Za-z0-9_.-]{2,31}$/, message: '用户名须字母开头，3–32 位字母、数字或 _ . -' },
              ]}
            >
              <Input maxLength={32} autoComplete="username" />
            </Form.Item>
            <Form.Item
              label="密码"
              name="password"
              extra={`密码要求：${PASSWORD_POLICY_TEXT}`}
              dependencies={['username']}
              rules={[
                { required: true, message: '请输入密码' },
                ({ getFieldValue }) => ({
                  validator: (_, value: string | undefined) => {
                    const problem = value ? passwordPolicyProblem(value, getFieldValue('username') as string | undefined) : null;
                    return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
                  },
                }),
              ]}
            >
              <Input.Password maxLength={128} autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              label="确认密码"
              name="confirm"
              dependencies={['password']}
              rules={[
                { required: true, message: '请再次输入密码' },
                ({ getFieldValue }) => ({
                  validator: (_, value: string | undefined) =>
                    !value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致')),
                }),
              ]}
            >
              <Input.Password maxLength={128} autoComplete="new-password" />
            </Form.Item>
            <Form.Item label="经办人姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入经办人姓名' }]}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item className="login-submit">
              <Button type="primary" htmlType="submit" block loading={busy}>
                注册
              </Button>
            </Form.Item>
          </Form>
          <Link to="/login">已有账号，返回登录</Link>
        </Card>
      </main>
    </div>
  );
}
