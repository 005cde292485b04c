// 密封密钥: the bidder's sealing key pairs. A pair is generated in the browser (SM2, no plug-in);
// its public key is registered with a proof of possession; the private key leaves the page only
// as a passphrase-protected key file the user downloads. Bids are sealed to every active key, so
// an offline backup key keeps a bid openable when the working key is lost. Adding a key while
// bids are pending offers to re-seal them to it (KeyRenewal); revoking the only key of a pending
// bid is refused by the server, and its message is shown.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Result, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../api';
import { useMe } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { generateSealingKey, sealingKeyProof } from '../crypto/bid-envelope';
import { writeKeyFile } from './keyfile';
import { downloadText, pendingBids, type PendingBid } from './bidApi';
import { KeyRenewal } from './KeyRenewal';
import { Fingerprint, problemText } from './shared';
import type { SealingKeyInfo } from './types';

interface GenerateValues {
  label: string;
  passphrase: string;
  confirm: string;
}

function keyFileName(label: string, fingerprint: string): string {
  return `密封密钥-${label.replace(/[\\/:*?"<>|\s]+/g, '_')}-${fingerprint.slice(0, 8)}.json`;
}

function GenerateKeyModal({ open, suggested, entityId, onClose, onRegistered }: { open: boolean; suggested: string; entityId: string; onClose: () => void; onRegistered: (k: SealingKeyInfo) => void }) {
  const [form] = Form.useForm<GenerateValues>();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ key: SealingKeyInfo; file: string; name: string } | null>(null);

  useEffect(() => {
    if (!open || !suggested) return;
    form.resetFields();
    form.setFieldsValue({ label: suggested });
    setDone(null);
    setError(null);
  }, [open, suggested, form]);

  const submit = async (v: GenerateValues) => {
    setError(null);
    try {
      setBusy('正在生成 SM2 密钥对…');
      const key = generateSealingKey(v.label.trim());
      // The key file first: nothing is registered that the user could not save.
      setBusy('正在用口令加密私钥（PBKDF2-HMAC-SM3）…');
      const file = await writeKeyFile(key, v.passphrase);
      setBusy('正在登记公钥…');
      const registered = await api.post<SealingKeyInfo>('/api/v1/trading/sealing-keys', { publicKey: key.publicKey, label: key.label, proof: sealingKeyProof(key, entityId) });
      key.privateKey = '';
      const name = keyFileName(registered.label, registered.fingerprint);
      downloadText(file, name);
      setDone({ key: registered, file, name });
      onRegistered(registered);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      open={open}
      title="生成密封密钥"
      onCancel={onClose}
      destroyOnHidden
      maskClosable={false}
      footer={
        done
          ? [
              <Button key="again" icon={<DownloadOutlined />} onClick={() => downloadText(done.file, done.name)}>
                再次下载密钥文件
              </Button>,
              <Button key="ok" type="primary" onClick={onClose}>
                完成
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose} disabled={busy !== null}>
                取消
              </Button>,
              <Button key="go" type="primary" loading={busy !== null} onClick={() => form.submit()}>
                生成并登记
              </Button>,
            ]
      }
    >
      {done ? (
        <Result
          status="success"
          title="密封密钥已登记"
          subTitle={
            <Space orientation="vertical">
              <span>
                密钥文件 {done.name} 已下载，指纹 <Fingerprint value={done.key.fingerprint} />
              </span>
              <span>私钥只保存在这个文件中（已用口令加密），平台不保存私钥，也无法找回口令。请妥善保管，并另存一份离线备份。</span>
            </Space>
          }
        />
      ) : (
        <Form form={form} name="sealing-key" layout="vertical" onFinish={(v) => void submit(v)} disabled={busy !== null}>
          <Form.Item name="label" label="密钥名称" rules={[{ required: true, whitespace: true, message: '请填写密钥名称' }, { max: 50, message: '最多 50 个字' }]}>
            <Input placeholder="如：工作密钥、离线备用密钥" />
          </Form.Item>
          <Form.Item name="passphrase" label="密钥文件口令" rules={[{ required: true, message: '请设置口令' }, { min: 8, message: '口令至少 8 个字符' }]} extra="用于加密下载的密钥文件；开标解密时需要输入。">
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="确认口令"
            dependencies={['passphrase']}
            rules={[{ required: true, message: '请再次输入口令' }, ({ getFieldValue }) => ({ validator: (_, value) => (value === getFieldValue('passphrase') ? Promise.resolve() : Promise.reject(new Error('两次输入的口令不一致'))) })]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {busy ? <Alert type="info" showIcon title={busy} /> : null}
          {error ? <Alert type="error" showIcon title={error} /> : null}
        </Form>
      )}
    </Modal>
  );
}

export default function SealingKeysPage() {
  const me = useMe();
  const { message } = App.useApp();
  const [keys, setKeys] = useState<SealingKeyInfo[]>([]);
  const [pending, setPending] = useState<PendingBid[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // The suggested label is fixed when the dialog opens (a reload while it is open must not reset it).
  const [generating, setGenerating] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [k, p] = await Promise.all([api.get<{ items: SealingKeyInfo[] }>('/api/v1/trading/sealing-keys'), pendingBids()]);
      setKeys(k.items);
      setPending(p);
      setError(null);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const active = keys.filter((k) => k.revokedAt === null);

  const revoke = async (k: SealingKeyInfo) => {
    try {
      await api.del(`/api/v1/trading/sealing-keys/${k.id}`);
      void message.success(`已撤销密封密钥「${k.label}」`);
      void load();
    } catch (e) {
      void message.error(problemText(e), 8);
    }
  };

  const columns: TableColumnsType<SealingKeyInfo> = [
    { title: '密钥名称', dataIndex: 'label' },
    { title: '公钥指纹（SM3）', dataIndex: 'fingerprint', render: (v: string) => <Fingerprint value={v} /> },
    { title: '登记时间', dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: '状态', key: 'state', render: (_, k) => (k.revokedAt ? <Tag>已撤销 {formatDateTime(k.revokedAt)}</Tag> : <Tag color="green">有效</Tag>) },
    {
      title: '操作',
      key: 'actions',
      render: (_, k) =>
        k.revokedAt ? null : (
          <Popconfirm title={`撤销密封密钥「${k.label}」？`} description="撤销后新的投标文件不再封装给它；若某份待开标的投标文件只能用它解密，平台将拒绝撤销。" okText="撤销" cancelText="取消" onConfirm={() => revoke(k)}>
            <Button size="small" danger aria-label={`撤销 ${k.label}`}>
              撤销
            </Button>
          </Popconfirm>
        ),
    },
  ];

  if (!me.entity) return <Result status="403" title="仅市场主体账号可以管理密封密钥" />;

  return (
    <>
      <PageHeader
        title="密封密钥"
        description="投标文件在浏览器中加密，文件密钥封装给本主体全部有效的密封公钥；开标时用密钥文件在浏览器中解开。"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              刷新
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setGenerating(active.length === 0 ? '工作密钥' : '离线备用密钥')}>
              生成密封密钥
            </Button>
          </Space>
        }
      />
      <Space orientation="vertical" size="middle" className="full-width">
        <Alert
          type="info"
          showIcon
          title="建议登记两把密钥：工作密钥与离线备用密钥"
          description="每份投标文件的文件密钥都封装给递交时全部有效的密钥，任一把都能在开标时解密。把备用密钥文件离线保存（如加密 U 盘），工作密钥丢失或口令遗忘时，投标文件仍可用备用密钥解开。私钥与口令只在您手中，平台无法代为找回。"
        />
        {error ? <Alert type="error" showIcon title={error} action={<Button onClick={() => void load()}>重试</Button>} /> : null}
        {!loading && active.length === 0 ? <Alert type="warning" showIcon title="尚未登记有效的密封密钥：递交投标文件前请先生成并登记至少一把。" /> : null}
        <KeyRenewal pending={pending} active={active} onDone={() => void load()} />
        <Card title="已登记的密封公钥">
          <Table rowKey="id" size="middle" loading={loading} columns={columns} dataSource={keys} pagination={false} locale={{ emptyText: '暂无密封密钥' }} />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            指纹是公钥的 SM3 摘要，可与密钥文件中的 fingerprint 核对。已撤销的公钥不能重新登记。
          </Typography.Paragraph>
        </Card>
      </Space>
      <GenerateKeyModal
        open={generating !== null}
        suggested={generating ?? ''}
        entityId={me.entity.id}
        onClose={() => setGenerating(null)}
        onRegistered={() => {
          void message.success('密封密钥已登记，密钥文件已下载');
          void load();
        }}
      />
    </>
  );
}
