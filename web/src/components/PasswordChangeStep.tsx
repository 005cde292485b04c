import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { api } from '../api';
import { applyFieldErrors } from '../formErrors';
import { PASSWORD_POLICY_TEXT, passwordPolicyProblem } from '../format';
import type { StageAnswer } from '../types';
import { LoginError } from './LoginError';
import type { StepProps } from './MfaSteps';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Stage `password_change`: the password was set by an administrator or has expired. */
export function PasswordChangeStep({ onStage, onSessionError, username }: StepProps & { username: string }) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<StageAnswer>(
        '/api/v1/auth/password',
        { currentPassword: values.currentPassword, newPassword: values.newPassword },
        { quiet: true },
      );
      onStage(answer.stage);
    } catch (cause) {
      setBusy(false);
      if (onSessionError(cause)) return;
      const outcome = applyFieldErrors(form, cause, ['currentPassword', 'newPassword']);
      if (!outcome.handled) setError(cause);
    }
  };

  return (
    <Form<Values>
      form={form}
      name="passwordChange"
      layout="vertical"
      size="large"
      onFinish={(v) => void submit(v)}
      requiredMark={false}
    >
      <Alert
        type="warning"
        showIcon
        className="login-alert"
        title="请先修改密码"
        description="您的密码为临时密码或已过期，修改后方可使用系统。"
      />
      <LoginError error={error} />
      <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password autoComplete="current-password" autoFocus maxLength={128} />
      </Form.Item>
      <Form.Item
        label="新密码"
        name="newPassword"
        extra={`密码要求：${PASSWORD_POLICY_TEXT}`}
        dependencies={['currentPassword']}
        rules={[
          { required: true, message: '请输入新密码' },
          ({ getFieldValue }) => ({
            validator: async (_, value: string | undefined) => {
              if (!value) return;
              const problem = passwordPolicyProblem(value, username);
              if (problem) throw new Error(problem);
              if (value === getFieldValue('currentPassword')) throw new Error('新密码不能与当前密码相同');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        label="确认新密码"
        name="confirmPassword"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: async (_, value: string | undefined) => {
              if (value && value !== getFieldValue('newPassword')) throw new Error('两次输入的新密码不一致');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Form.Item className="login-submit">
        <Button type="primary" htmlType="submit" block loading={busy}>
          修改密码
        </Button>
      </Form.Item>
    </Form>
  );
}
