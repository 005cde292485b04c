// 演示模式: centre staff move one deal's own clock forward (POST /projects/:id/demo-clock) so a
// whole tender is walked through in minutes; the server refuses outside demo mode and backwards.
import { useState } from 'react';
import { App, Button, DatePicker, Form, Modal, Typography } from 'antd';
import { FieldTimeOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { formatDateTime } from '../format';
import { fromCstPicker, toCstPicker } from './CandidatesCard';

export function DemoClock({ projectId, dealNow, suggestion, onMoved }: { projectId: string; dealNow: string; suggestion: { to: string; why: string } | null; onMoved: () => void }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ to: Dayjs }>();

  const submit = async (v: { to: Dayjs }) => {
    setBusy(true);
    try {
      const r = await api.post<{ dealNow: string }>(`/api/v1/trading/projects/${projectId}/demo-clock`, { to: fromCstPicker(v.to) });
      void message.success(`交易时钟已快进到 ${formatDateTime(r.dealNow)}`);
      setOpen(false);
      onMoved();
    } catch (cause) {
      form.setFields([{ name: 'to', errors: [errorText(cause)] }]);
    } finally {
      setBusy(false);
    }
  };

  const initial = suggestion && Date.parse(suggestion.to) > Date.parse(dealNow) ? suggestion.to : new Date(Date.parse(dealNow) + 86_400_000).toISOString();
  return (
    <>
      <Button icon={<FieldTimeOutlined />} onClick={() => setOpen(true)}>
        演示：快进交易时钟
      </Button>
      <Modal open={open} title="快进本项目的交易时钟（仅演示环境）" okText="快进" okButtonProps={{ loading: busy }} cancelText="取消" onCancel={() => setOpen(false)} onOk={() => form.submit()} destroyOnHidden>
        <Typography.Paragraph type="secondary">
          当前交易时间 {formatDateTime(dealNow)}。快进只改变本项目的交易时间，全部期限规则照常按真实日历计算，并记入交易全过程。
          {suggestion ? ` 建议：${suggestion.why}。` : ''}
        </Typography.Paragraph>
        <Form form={form} name="demo-clock" layout="vertical" preserve={false} initialValues={{ to: toCstPicker(initial) }} onFinish={(v) => void submit(v)}>
          <Form.Item label="快进到" name="to" rules={[{ required: true, message: '请选择时间' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
