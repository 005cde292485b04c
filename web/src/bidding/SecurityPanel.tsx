// 投标保证金: cash from the entity's registered basic account, or an electronic guarantee (保函)
// issued and SM2-signed by a registered issuer, loaded as the issuer's JSON file. The server
// checks the amount against the lot's requirement and cap, the account against the registry and
// the guarantee's signature, parties, lot and validity; its messages land on the fields.
import { useState } from 'react';
import { Alert, App, Button, Descriptions, Form, Input, Radio, Space, Tag, Typography, Upload } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { ApiError, api } from '../api';
import { applyFieldErrors } from '../formErrors';
import { formatDateTime } from '../format';
import { myBidPath } from './bidApi';
import { fenToYuan, yuanToFen } from './money';
import { problemText } from './shared';
import type { BidSecurity, TenderLot } from './types';

interface Values {
  form: 'cash' | 'guarantee';
  amount?: string;
  payingAccount?: string;
}

interface GuaranteeFile {
  guarantee: Record<string, unknown> & { guaranteeNo?: string; amountFen?: number; validFrom?: string; validTo?: string };
  signature: string;
}

function readGuarantee(text: string): GuaranteeFile | null {
  try {
    const f = JSON.parse(text) as Partial<GuaranteeFile>;
    if (typeof f.guarantee !== 'object' || f.guarantee === null || typeof f.signature !== 'string') return null;
    return f as GuaranteeFile;
  } catch {
    return null;
  }
}

export function SecurityPanel({ lot, security, open, onSaved }: { lot: TenderLot; security: BidSecurity | null; open: boolean; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('form', form) ?? 'cash';
  const [guarantee, setGuarantee] = useState<{ name: string; file: GuaranteeFile | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: Values) => {
    setError(null);
    let body: Record<string, unknown>;
    if (v.form === 'cash') {
      const fen = yuanToFen(v.amount ?? '');
      if (fen === undefined || fen <= 0) {
        form.setFields([{ name: 'amount', errors: ['请填写大于 0 的金额，最多两位小数'] }]);
        return;
      }
      body = { form: 'cash', amountFen: fen, payingAccount: (v.payingAccount ?? '').replace(/\s+/g, '') };
    } else {
      if (!guarantee?.file) {
        setError('请载入出具机构签发的电子保函文件');
        return;
      }
      body = { form: 'guarantee', guarantee: guarantee.file.guarantee, signature: guarantee.file.signature };
    }
    setBusy(true);
    try {
      await api.post<BidSecurity>(`${myBidPath(lot.id)}/security`, body);
      void message.success(v.form === 'cash' ? '投标保证金缴纳信息已登记' : '电子保函已核验');
      onSaved();
    } catch (e) {
      // The server names amountFen; the form's field is the yuan amount.
      const outcome = applyFieldErrors(form, e, ['payingAccount']);
      const amountError = e instanceof ApiError ? (e.errors.find((x) => x.field === 'body.amountFen') ?? (e.field === 'body.amountFen' ? { message: e.detail } : undefined)) : undefined;
      if (amountError) form.setFields([{ name: 'amount', errors: [amountError.message] }]);
      else if (!outcome.handled) setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" className="full-width">
      <Typography.Text>
        本标段要求的投标保证金：<b>{fenToYuan(lot.bidSecurityFen)} 元</b>。现金须从本主体登记的基本账户缴纳；也可提交登记机构出具的电子保函。
      </Typography.Text>
      {security ? (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, lg: 2 }}
          title="已缴纳的投标保证金"
          items={[
            { key: 'form', label: '形式', children: security.form === 'cash' ? '基本账户现金' : '电子保函' },
            { key: 'amount', label: '金额（元）', children: fenToYuan(security.amountFen) },
            ...(security.form === 'cash' ? [{ key: 'acct', label: '缴款账户', children: <span className="mono">{security.payingAccountMasked ?? '—'}</span> }] : [{ key: 'no', label: '保函编号', children: security.guaranteeNo ?? '—' }]),
            { key: 'verified', label: '核验', children: security.verified ? <Tag color="green">已核验</Tag> : <Tag color="orange">待到账核对</Tag> },
            { key: 'at', label: '登记时间', children: formatDateTime(security.submittedAt) },
          ]}
        />
      ) : null}
      <Form form={form} name="bid-security" layout="vertical" initialValues={{ form: 'cash', amount: fenToYuan(lot.bidSecurityFen, false) }} onFinish={(v) => void submit(v)} disabled={!open || busy} style={{ maxWidth: 560 }}>
        <Form.Item name="form" label="缴纳形式">
          <Radio.Group
            options={[
              { value: 'cash', label: '基本账户现金' },
              { value: 'guarantee', label: '电子保函' },
            ]}
          />
        </Form.Item>
        {kind === 'cash' ? (
          <>
            <Form.Item name="amount" label="保证金金额（元）" rules={[{ required: true, message: '请填写保证金金额' }]}>
              <Input inputMode="decimal" />
            </Form.Item>
            <Form.Item name="payingAccount" label="缴款账号（基本账户）" rules={[{ required: true, message: '请填写缴款账号' }, { pattern: /^[0-9\s]{8,40}$/, message: '账号为 8 至 30 位数字' }]}>
              <Input inputMode="numeric" autoComplete="off" />
            </Form.Item>
          </>
        ) : (
          <Form.Item label="电子保函文件" required extra="出具机构签发的 JSON 文件（含保函内容与 SM2 签名）">
            <Space orientation="vertical" size={4}>
              <Upload
                accept=".json,application/json"
                maxCount={1}
                showUploadList={false}
                beforeUpload={(f) => {
                  void f.text().then((text) => setGuarantee({ name: f.name, file: readGuarantee(text) }));
                  return false;
                }}
              >
                <Button icon={<PaperClipOutlined />}>载入电子保函</Button>
              </Upload>
              {guarantee ? (
                guarantee.file ? (
                  <Typography.Text>
                    {guarantee.name}：保函编号 {String(guarantee.file.guarantee.guaranteeNo ?? '—')}，金额 {typeof guarantee.file.guarantee.amountFen === 'number' ? fenToYuan(guarantee.file.guarantee.amountFen) : '—'} 元，有效期 {String(guarantee.file.guarantee.validFrom ?? '—')} 至 {String(guarantee.file.guarantee.validTo ?? '—')}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="danger">{guarantee.name} 不是电子保函文件</Typography.Text>
                )
              ) : null}
            </Space>
          </Form.Item>
        )}
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Button type="primary" htmlType="submit" loading={busy}>
          {security ? '重新缴纳（替换）' : '提交'}
        </Button>
      </Form>
    </Space>
  );
}
