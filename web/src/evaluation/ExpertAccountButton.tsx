// 开通评标账号 from an expert's record: the server opens the account with a one-time initial
// password, shown here once; the expert changes it and binds a TOTP authenticator at the first
// sign-in (the built-in expert role requires both).
import { useState } from 'react';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { applyFieldErrors } from '../formErrors';
import type { OpenedAccount } from './types';

export function ExpertAccountButton({ expert }: { expert: { id: string; name: string } }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<OpenedAccount | null>(null);
  const [form] = Form.useForm<{ username?: string }>();

  const submit = async (v: { username?: string }) => {
    setBusy(true);
    try {
      const username = v.username?.trim();
      setOpened(await api.post<OpenedAccount>(`/api/v1/experts/${expert.id}/account`, username ? { username } : {}));
      void message.success(`已为 ${expert.name} 开通评标专家账号`);
    } catch (cause) {
      if (!applyFieldErrors(form, cause, ['username']).handled) form.setFields([{ name: 'username', errors: [errorText(cause)] }]);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setOpen(false);
    setOpened(null);
  };

  return (
    <>
      <Button icon={<KeyOutlined />} onClick={() => setOpen(true)}>
        开通评标账号
      </Button>
      <Modal
        open={open}
        title={`开通评标专家账号：${expert.name}`}
        okText={opened ? '我已记下，关闭' : '开通'}
        okButtonProps={{ loading: busy }}
        cancelButtonProps={opened ? { style: { display: 'none' } } : {}}
        cancelText="取消"
        onCancel={close}
        onOk={() => (opened ? close() : form.submit())}
        maskClosable={!opened}
        destroyOnHidden
      >
        {opened ? (
          <>
            <Alert type="warning" showIcon className="section-card" title="初始密码只显示这一次，请当面或通过安全渠道告知专家。专家首次登录须绑定动态验证码并修改密码。" />
            <Descriptions size="small" bordered column={1} aria-label="账号信息">
              <Descriptions.Item label="用户名">
                <Typography.Text copyable className="mono">
                  {opened.username}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="初始密码">
                <Typography.Text copyable className="mono" aria-label="初始密码">
                  {opened.initialPassword}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          </>
        ) : (
          <Form form={form} name="expert-account" layout="vertical" preserve={false} onFinish={(v) => void submit(v)}>
            <Form.Item label="用户名" name="username" extra="留空则由系统生成；每位专家只能开通一个账号" rules={[{ max: 50, message: '最多 50 个字符' }]}>
              <Input maxLength={50} autoComplete="off" />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
