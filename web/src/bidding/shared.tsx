// Small pieces the bid screens share: Chinese names of bid states, the error sentence of any
// failure (server problem or a local crypto error), and the key-file form (file + passphrase).
import { useState } from 'react';
import { Alert, Button, Form, Input, Space, Tag, Typography, Upload } from 'antd';
import { KeyOutlined, PaperClipOutlined } from '@ant-design/icons';
import { ApiError } from '../api';
import type { SealingKey } from '../crypto/bid-envelope';
import { readKeyFile } from './keyfile';
import type { BidStatus } from './types';

export const BID_STATUS: Record<BidStatus, { label: string; color: string }> = {
  uploading: { label: '上传中', color: 'processing' },
  received: { label: '已递交（密封）', color: 'blue' },
  replaced: { label: '已被替换', color: 'default' },
  withdrawn: { label: '已撤回', color: 'default' },
  incomplete: { label: '未完整送达', color: 'orange' },
  decrypted: { label: '已解密', color: 'green' },
  decrypt_failed_bidder: { label: '解密失败（视为撤销）', color: 'red' },
  decrypt_failed_platform: { label: '解密失败（平台原因）', color: 'volcano' },
};

export function BidStatusTag({ status }: { status: BidStatus }) {
  const s = BID_STATUS[status] ?? { label: status, color: 'default' };
  return <Tag color={s.color}>{s.label}</Tag>;
}

export const OUTCOME_LABELS: Record<string, string> = {
  decrypted: '解密成功',
  bidder_failed: '未解密（视为撤销）',
  platform_failed: '平台原因未解密（视为撤回）',
};

/** One sentence for any failure: the server's detail (and its field messages), or a local error's message. */
export function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    const extra = e.errors.map((x) => x.message).filter((m) => m !== e.detail);
    return [e.detail, ...extra].join('；');
  }
  if (e instanceof DOMException && e.name === 'AbortError') return '已取消';
  if (e instanceof Error && e.message) return e.message;
  return '操作失败，请稍后重试';
}

export function Fingerprint({ value }: { value: string }) {
  // The first 16 hex digits in groups of four are what people compare; the whole value is copyable.
  return (
    <Typography.Text className="mono" copyable={{ text: value }} title={value}>
      {value.slice(0, 16).replace(/(.{4})(?=.)/g, '$1 ')}…
    </Typography.Text>
  );
}

/** The label and fingerprint a key file declares, read without its passphrase (for the user to check). */
function peekKeyFile(text: string): { label: string; fingerprint: string } | null {
  try {
    const f = JSON.parse(text) as { format?: unknown; label?: unknown; fingerprint?: unknown };
    if (f.format !== 'ggzy-sealing-key' || typeof f.fingerprint !== 'string') return null;
    return { label: typeof f.label === 'string' ? f.label : '', fingerprint: f.fingerprint };
  } catch {
    return null;
  }
}

export interface KeyFileFormProps {
  /** Form name (prefixes input ids): unique per screen. */
  name: string;
  okText: string;
  /** Called with the opened key; throws to show a message under the form. */
  onKey: (key: SealingKey) => Promise<void>;
  disabled?: boolean;
  hint?: string;
}

/**
 * Opens a sealing key file in the browser: the private key is decrypted here with the passphrase
 * and never leaves the page. A wrong passphrase is told on the passphrase field.
 */
export function KeyFileForm({ name, okText, onKey, disabled, hint }: KeyFileFormProps) {
  const [form] = Form.useForm<{ passphrase: string }>();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const peek = file ? peekKeyFile(file.text) : null;

  const submit = async ({ passphrase }: { passphrase: string }) => {
    if (!file) {
      setError('请先选择密封密钥文件');
      return;
    }
    setBusy('正在用口令解开密钥文件（PBKDF2-HMAC-SM3）…');
    setError(null);
    let key: SealingKey;
    try {
      key = await readKeyFile(file.text, passphrase);
    } catch (e) {
      form.setFields([{ name: 'passphrase', errors: [problemText(e)] }]);
      setBusy(null);
      return;
    }
    try {
      setBusy('正在处理…');
      await onKey(key);
      form.resetFields();
    } catch (e) {
      setError(problemText(e));
    } finally {
      key.privateKey = '';
      setBusy(null);
    }
  };

  return (
    <Form form={form} name={name} layout="vertical" onFinish={(v) => void submit(v)} disabled={disabled || busy !== null} style={{ maxWidth: 560 }}>
      <Form.Item label="密封密钥文件" required extra={hint}>
        <Space orientation="vertical" size={4}>
          <Upload
            accept=".json,application/json"
            maxCount={1}
            showUploadList={false}
            beforeUpload={(f) => {
              void f.text().then((text) => {
                setFile({ name: f.name, text });
                setError(null);
              });
              return false;
            }}
          >
            <Button icon={<PaperClipOutlined />}>选择密钥文件</Button>
          </Upload>
          {file ? (
            <Typography.Text type={peek ? undefined : 'danger'}>
              {file.name}
              {peek ? `（${peek.label || '未命名'}，指纹 ${peek.fingerprint.slice(0, 8)}…）` : '：不是本平台的密封密钥文件'}
            </Typography.Text>
          ) : null}
        </Space>
      </Form.Item>
      <Form.Item name="passphrase" label="密钥文件口令" rules={[{ required: true, message: '请输入密钥文件口令' }]}>
        <Input.Password autoComplete="off" />
      </Form.Item>
      {busy ? <Alert type="info" showIcon title={busy} style={{ marginBottom: 16 }} /> : null}
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Button type="primary" htmlType="submit" icon={<KeyOutlined />} loading={busy !== null}>
        {okText}
      </Button>
    </Form>
  );
}
