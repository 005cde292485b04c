// 评标价调整 (经评审的最低投标价法): the committee's price adjustments of the lot, recorded by a
// member as the committee agrees them — each bid, a signed amount in yuan and the clause of the
// tender documents it follows. The whole set is saved at once; once any member has confirmed a
// sheet the server locks it. Beside the form, each bid's evaluated price as it now stands.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, type TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { applyFieldErrors } from '../formErrors';
import { yuan } from './shared';
import type { OpenedBid } from './types';

interface Adjustment {
  seq: number;
  bidId: string;
  amount: string;
  amountFen: number;
  reason: string;
  recordedAt: string;
}

interface Row {
  bidId?: string;
  amount?: string;
  reason?: string;
}

export function AdjustmentsCard({ lotId, bids, locked }: { lotId: string; bids: OpenedBid[]; locked: boolean }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ adjustments: Row[] }>();
  const [items, setItems] = useState<Adjustment[]>([]);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .get<{ items: Adjustment[] }>(`/api/v1/trading/lots/${lotId}/evaluation/adjustments`)
      .then((r) => {
        if (!live) return;
        setItems(r.items);
        form.setFieldsValue({ adjustments: r.items.map((a) => ({ bidId: a.bidId, amount: a.amount, reason: a.reason })) });
      })
      .catch((cause: unknown) => live && setBanner(errorText(cause)));
    return () => {
      live = false;
    };
  }, [lotId, form]);

  const save = async (v: { adjustments?: Row[] }) => {
    setBusy(true);
    setBanner(null);
    try {
      const body = { adjustments: (v.adjustments ?? []).map((r) => ({ bidId: r.bidId ?? '', amount: (r.amount ?? '').trim(), reason: (r.reason ?? '').trim() })) };
      const r = await api.put<{ items: Adjustment[] }>(`/api/v1/trading/lots/${lotId}/evaluation/adjustments`, body);
      setItems(r.items);
      form.setFields([{ name: ['adjustments'], errors: [] }]);
      void message.success(`评标价调整已保存（${r.items.length} 项）`);
    } catch (cause) {
      if (!applyFieldErrors(form, cause, ['adjustments']).handled) setBanner(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  const evaluated: TableColumnsType<OpenedBid> = [
    { title: '投标人', dataIndex: 'bidderName' },
    { title: '投标报价（元）', dataIndex: 'priceFen', align: 'right', render: (f: number) => yuan(f) },
    { title: '调整合计（元）', key: 'sum', align: 'right', render: (_, b) => yuan(items.filter((a) => a.bidId === b.bidId).reduce((s, a) => s + a.amountFen, 0)) },
    { title: '评标价（元）', key: 'evaluated', align: 'right', render: (_, b) => yuan(items.filter((a) => a.bidId === b.bidId).reduce((s, a) => s + a.amountFen, b.priceFen)) },
  ];

  return (
    <Card size="small" title="评标价调整（经评审的最低投标价法）" className="section-card" aria-label="评标价调整">
      <Alert
        type="info"
        showIcon
        className="table-alert"
        title="按招标文件规定的评标价格调整方法，对投标报价作必要调整（加价为正、减价为负），每项注明依据。调整为评标委员会共同意见，由一名成员录入；任一成员确认评分后锁定。"
      />
      {banner ? <Alert type="error" showIcon title={banner} className="table-alert" /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} disabled={locked}>
        <Form.List name="adjustments">
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" wrap>
                  <Form.Item name={[f.name, 'bidId']} label={i === 0 ? '投标人' : undefined} rules={[{ required: true, message: '请选择投标人' }]}>
                    <Select aria-label={`调整 ${i + 1} 投标人`} style={{ width: 260 }} options={bids.map((b) => ({ value: b.bidId, label: b.bidderName }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'amount']} label={i === 0 ? '调整金额（元）' : undefined} rules={[{ required: true, message: '请填写调整金额' }, { pattern: /^[+-]?(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/, message: '金额单位为元，可带正负号，最多两位小数' }]}>
                    <Input aria-label={`调整 ${i + 1} 金额`} style={{ width: 160 }} placeholder="+100000" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'reason']} label={i === 0 ? '依据' : undefined} rules={[{ required: true, whitespace: true, message: '请注明调整依据' }]}>
                    <Input aria-label={`调整 ${i + 1} 依据`} style={{ width: 380 }} maxLength={500} placeholder="招标文件第 X 条：……" />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={`删除调整 ${i + 1}`} onClick={() => remove(f.name)} style={{ marginTop: i === 0 ? 30 : 0 }} />
                </Space>
              ))}
              {/* The platform's refusals of the set as a whole (an evaluated price that would reach 0) land on the list itself. */}
              <Form.ErrorList errors={errors} />
              <Space className="section-card">
                <Button icon={<PlusOutlined />} onClick={() => add({})}>
                  添加调整
                </Button>
                <Button type="primary" htmlType="submit" loading={busy}>
                  保存调整
                </Button>
              </Space>
            </>
          )}
        </Form.List>
      </Form>
      <Table<OpenedBid> rowKey="bidId" size="small" columns={evaluated} dataSource={bids} pagination={false} aria-label="评标价" />
    </Card>
  );
}
