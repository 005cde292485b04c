// 撤销投标的保证金: bids whose bidder failed to decrypt them at the opening count as withdrawn
// after the deadline, and the tenderer may keep their security (招标投标法实施条例 §35). The
// project's owner decides once per bid — keep or refund, with a reason; staff and the tenderer's
// side see every such bid, a bidder only its own. Shown only when the lot has such a bid.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, type TableColumnsType } from 'antd';
import { api, errorText } from '../api';
import { applyFieldErrors } from '../formErrors';
import { formatDateTime } from '../format';

interface RevokedSecurity {
  bidId: string;
  bidderEntityId: string;
  bidderName: string;
  amount: string;
  amountFen: number;
  decision: { decision: 'keep' | 'refund'; reason: string; decidedAt: string } | null;
}

const DECISION = { keep: { label: '不予退还', color: 'red' }, refund: { label: '已决定退还', color: 'green' } } as const;

export function SecurityDecisionCard({ lotId, owner }: { lotId: string; owner: boolean }) {
  const { message } = App.useApp();
  const [items, setItems] = useState<RevokedSecurity[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<{ bid: RevokedSecurity; decision: 'keep' | 'refund' } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let live = true;
    api
      .get<{ revoked: RevokedSecurity[] }>(`/api/v1/trading/lots/${lotId}/security-releases`)
      .then((r) => live && (setItems(r.revoked), setError(null)))
      .catch((cause: unknown) => live && setError(errorText(cause)));
    return () => {
      live = false;
    };
  }, [lotId, tick]);

  if (items.length === 0 && !error) return null;

  const submit = async (v: { reason: string }) => {
    if (!deciding) return;
    setBusy(true);
    try {
      await api.post(`/api/v1/trading/lots/${lotId}/security-releases/${deciding.bid.bidId}/decision`, { decision: deciding.decision, reason: v.reason.trim() });
      void message.success(deciding.decision === 'keep' ? '已决定不予退还该投标保证金' : '已决定退还该投标保证金，应于 5 日内退还');
      setDeciding(null);
      form.resetFields();
      reload();
    } catch (cause) {
      if (!applyFieldErrors(form, cause, ['reason']).handled) void message.error(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<RevokedSecurity> = [
    { title: '投标人', dataIndex: 'bidderName' },
    { title: '保证金（元）', dataIndex: 'amount', align: 'right', width: 140 },
    {
      title: '处理',
      key: 'decision',
      render: (_, r) =>
        r.decision ? (
          <Space direction="vertical" size={0}>
            <Tag color={DECISION[r.decision.decision].color}>{DECISION[r.decision.decision].label}</Tag>
            <span>{r.decision.reason}</span>
            <span className="muted">{formatDateTime(r.decision.decidedAt)}</span>
          </Space>
        ) : owner ? (
          <Space wrap>
            <Button size="small" danger aria-label={`不予退还 ${r.bidderName}`} onClick={() => setDeciding({ bid: r, decision: 'keep' })}>
              不予退还
            </Button>
            <Button size="small" aria-label={`退还 ${r.bidderName}`} onClick={() => setDeciding({ bid: r, decision: 'refund' })}>
              退还
            </Button>
          </Space>
        ) : (
          <Tag>待招标人处理</Tag>
        ),
    },
  ];

  return (
    <Card size="small" title="撤销投标的投标保证金" className="section-card" aria-label="撤销投标的投标保证金">
      <Alert type="info" showIcon className="table-alert" title="开标时投标人未能解密的投标视为撤销投标文件，招标人可以不退还其投标保证金（招标投标法实施条例第三十五条）。每份投标只能处理一次。" />
      {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
      <Table<RevokedSecurity> rowKey="bidId" size="small" columns={columns} dataSource={items} pagination={false} />
      <Modal
        open={deciding !== null}
        title={deciding ? `${deciding.decision === 'keep' ? '不予退还' : '退还'}：${deciding.bid.bidderName}的投标保证金 ${deciding.bid.amount} 元` : ''}
        okText="确认"
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setDeciding(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item label="理由" name="reason" rules={[{ required: true, whitespace: true, message: '请填写处理理由' }, { max: 500, message: '不超过 500 字' }]}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
