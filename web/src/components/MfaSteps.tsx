import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Form, Input, Space, Spin, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { api } from '../api';
import { groupSecret } from '../format';
import type { EnrollAnswer, Stage, StageAnswer } from '../types';
import { CodeField } from './CodeField';
import { LoginError } from './LoginError';

export interface StepProps {
  onStage: (stage: Stage) => void;
  /** Takes over errors that end the session (expired, wrong stage); true when it did. */
  onSessionError: (error: unknown) => boolean;
}

/** Stage `mfa`: the account has TOTP; ask for the current code. */
export function MfaVerifyStep({ onStage, onSessionError }: StepProps) {
  const [form] = Form.useForm<{ code: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async ({ code }: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<StageAnswer>('/api/v1/auth/mfa/verify', { code }, { quiet: true });
      onStage(answer.stage);
    } catch (cause) {
      setBusy(false);
      if (onSessionError(cause)) return;
      setError(cause);
      form.setFieldValue('code', '');
    }
  };

  return (
    <Form form={form} name="mfa" layout="vertical" size="large" onFinish={(v) => void submit(v)} requiredMark={false}>
      <Typography.Paragraph type="secondary">
        您的账号已启用双因素认证，请输入身份验证器应用中显示的动态验证码。
      </Typography.Paragraph>
      <LoginError error={error} />
      <CodeField />
      <Form.Item className="login-submit">
        <Button type="primary" htmlType="submit" block loading={busy}>
          验证
        </Button>
      </Form.Item>
    </Form>
  );
}

/** Stage `mfa_enroll`: the role requires TOTP and none is set up; show a new secret once. */
export function MfaEnrollStep({ onStage, onSessionError }: StepProps) {
  const [form] = Form.useForm<{ code: string }>();
  const [enrolment, setEnrolment] = useState<EnrollAnswer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const requested = useRef(false);
  const { message: toast } = App.useApp();

  const enrol = useCallback(async () => {
    setLoadError(null);
    try {
      setEnrolment(await api.post<EnrollAnswer>('/api/v1/auth/mfa/enroll', undefined, { quiet: true }));
    } catch (cause) {
      if (!onSessionError(cause)) setLoadError(cause);
    }
  }, [onSessionError]);

  useEffect(() => {
    // The secret is shown once; a second request (StrictMode re-runs effects) would replace it.
    if (requested.current) return;
    requested.current = true;
    void enrol();
  }, [enrol]);

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      void toast.success('已复制');
    } catch {
      void toast.warning('无法访问剪贴板，请手动选择并复制');
    }
  };

  const submit = async ({ code }: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<StageAnswer>('/api/v1/auth/mfa/enroll/confirm', { code }, { quiet: true });
      onStage(answer.stage);
    } catch (cause) {
      setBusy(false);
      if (onSessionError(cause)) return;
      setError(cause);
      form.setFieldValue('code', '');
    }
  };

  if (loadError) {
    return (
      <Space orientation="vertical" className="full-width">
        <LoginError error={loadError} />
        <Button onClick={() => void enrol()}>重新获取密钥</Button>
      </Space>
    );
  }
  if (!enrolment) {
    return (
      <div className="step-loading">
        <Spin description="正在生成密钥…" />
      </div>
    );
  }

  return (
    <Form form={form} name="enroll" layout="vertical" size="large" onFinish={(v) => void submit(v)} requiredMark={false}>
      <Alert
        type="info"
        showIcon
        className="login-alert"
        title="您的角色要求启用双因素认证"
        description="请在身份验证器应用中添加此密钥（如“手机令牌”类应用，选择“手动输入密钥”，类型为基于时间），然后输入应用显示的 6 位动态验证码完成绑定。密钥只显示一次，请勿泄露。"
      />
      <div className="enroll-block">
        <Typography.Text type="secondary">密钥</Typography.Text>
        <div className="enroll-secret" aria-label="双因素认证密钥">
          {groupSecret(enrolment.secret)}
        </div>
        <Button size="small" icon={<CopyOutlined />} onClick={() => void copy(enrolment.secret)}>
          复制密钥
        </Button>
      </div>
      <div className="enroll-block">
        <label htmlFor="otpauth-uri" className="enroll-label">
          配置链接（otpauth URI）
        </label>
        <Space.Compact className="full-width">
          <Input id="otpauth-uri" readOnly value={enrolment.otpauthUri} onFocus={(e) => e.target.select()} size="middle" />
          <Button size="middle" icon={<CopyOutlined />} onClick={() => void copy(enrolment.otpauthUri)}>
            复制
          </Button>
        </Space.Compact>
      </div>
      <LoginError error={error} />
      <CodeField />
      <Form.Item className="login-submit">
        <Button type="primary" htmlType="submit" block loading={busy}>
          确认绑定
        </Button>
      </Form.Item>
    </Form>
  );
}
