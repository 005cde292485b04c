import { useState } from 'react';
import { Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api, rememberCsrfToken } from '../api';
import type { LoginAnswer, Stage } from '../types';
import { LoginError } from './LoginError';

interface Values {
  username: string;
  password: string;
}

export function PasswordStep({ onStage }: { onStage: (stage: Stage, username: string) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<LoginAnswer>(
        '/api/v1/auth/login',
        { username: values.username.trim(), password: values.password, tokenType: 'cookie' },
        { quiet: true },
      );
      rememberCsrfToken(answer.csrfToken);
      onStage(answer.stage, values.username.trim());
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };

  return (
    <Form<Values> name="login" layout="vertical" size="large" onFinish={(v) => void submit(v)} requiredMark={false}>
      <LoginError error={error} />
      <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={128} />
      </Form.Item>
      <Form.Item className="login-submit">
        <Button type="primary" htmlType="submit" block loading={busy}>
          登录
        </Button>
      </Form.Item>
    </Form>
  );
}
