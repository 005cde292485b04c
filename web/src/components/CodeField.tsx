import { Form, Input } from 'antd';

/** The 6-digit TOTP code input, labelled 动态验证码. */
export function CodeField() {
  return (
    <Form.Item
      label="动态验证码"
      name="code"
      normalize={(value: string) => value.replace(/\D/g, '').slice(0, 6)}
      rules={[
        { required: true, message: '请输入动态验证码' },
        { pattern: /^\d{6}$/, message: '动态验证码为 6 位数字' },
      ]}
      extra="打开身份验证器应用，输入当前显示的 6 位数字。"
    >
      <Input
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        placeholder="6 位数字"
        className="code-input"
        autoFocus
      />
    </Form.Item>
  );
}
