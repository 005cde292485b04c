// 递交投标文件: the tender documents (a bid needs a recorded download), the opening form (开标一览表:
// price typed in yuan and kept as exact fen, 工期, 质量标准, 项目经理), the bid files; then the
// package is built, sealed here to every active sealing key (chunked, with progress) and
// uploaded with progress. The answer is the platform's signed receipt, checked at once.
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, List, Progress, Row, Space, Typography, Upload, type UploadFile } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, LockOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { fetchObjectUrl } from '../api';
import { applyFieldErrors } from '../formErrors';
import { buildBidPackage, type OpeningForm } from '../crypto/bid-package';
import { sealBid } from '../crypto/bid-envelope';
import { BID_TOOL, uploadSealedBid } from './bidApi';
import { fenToYuan, sizeText, yuanToFen } from './money';
import { ReceiptCard } from './ReceiptCard';
import { problemText } from './shared';
import type { IntakeResult, SealingKeyInfo } from './types';

interface FormValues {
  price: string;
  durationDays?: number;
  qualityStandard?: string;
  projectManager?: string;
  remarks?: string;
}

type Phase = { step: 'idle' } | { step: 'packing' } | { step: 'sealing'; percent: number } | { step: 'uploading'; percent: number } | { step: 'waiting' };

const MAX_FILES_BYTES = 190 * 1024 * 1024;

export interface SubmitBidProps {
  projectId: string;
  lotId: string;
  documents: { id: string; fileName: string; size: number }[];
  keys: SealingKeyInfo[];
  /** The bid box takes bids now (lot in bidding and before the deadline on the deal's clock). */
  open: boolean;
  replacing: boolean;
  dealNow: () => number;
  onSubmitted: (r: IntakeResult) => void;
}

export function SubmitBid({ projectId, lotId, documents, keys, open, replacing, dealNow, onSubmitted }: SubmitBidProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [downloaded, setDownloaded] = useState<Set<string>>(new Set());
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<{ result: IntakeResult; digest: string; size: number } | null>(null);
  const price = Form.useWatch('price', form);
  const priceFen = typeof price === 'string' ? yuanToFen(price) : undefined;
  const busy = phase.step !== 'idle';

  const download = async (d: { id: string; fileName: string }) => {
    try {
      const url = await fetchObjectUrl(`/api/v1/trading/projects/${projectId}/documents/${d.id}`);
      const a = document.createElement('a');
      a.href = url;
      a.download = d.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setDownloaded((s) => new Set(s).add(d.id));
      void message.success(`已下载招标文件：${d.fileName}`);
    } catch (e) {
      void message.error(problemText(e), 6);
    }
  };

  const submit = async (v: FormValues) => {
    setError(null);
    const fen = yuanToFen(v.price);
    if (fen === undefined || fen <= 0) {
      form.setFields([{ name: 'price', errors: ['请填写大于 0 的金额，最多两位小数'] }]);
      return;
    }
    const picked = files.map((f) => f.originFileObj).filter((f): f is NonNullable<typeof f> => !!f);
    if (picked.length === 0) {
      setError('请选择至少一个投标文件');
      return;
    }
    const total = picked.reduce((n, f) => n + f.size, 0);
    if (total > MAX_FILES_BYTES) {
      setError(`投标文件合计 ${sizeText(total)}，超过 ${sizeText(MAX_FILES_BYTES)}，请压缩后再递交`);
      return;
    }
    const active = keys.filter((k) => k.revokedAt === null);
    try {
      setPhase({ step: 'packing' });
      const opening: OpeningForm = { priceFen: fen };
      if (v.durationDays !== undefined && v.durationDays !== null) opening.durationDays = v.durationDays;
      if (v.qualityStandard?.trim()) opening.qualityStandard = v.qualityStandard.trim();
      if (v.projectManager?.trim()) opening.projectManager = v.projectManager.trim();
      if (v.remarks?.trim()) opening.remarks = v.remarks.trim();
      const parts = await Promise.all(picked.map(async (f) => ({ name: f.name, mediaType: f.type || 'application/octet-stream', bytes: new Uint8Array(await f.arrayBuffer()) })));
      const pkg = buildBidPackage(opening, parts, BID_TOOL, new Date(dealNow()));
      setPhase({ step: 'sealing', percent: 0 });
      const sealed = await sealBid(new Blob([pkg as unknown as BlobPart]), active.map((k) => ({ id: k.id, publicKey: k.publicKey })), (done, all) => setPhase({ step: 'sealing', percent: all === 0 ? 100 : Math.floor((done / all) * 100) }));
      setPhase({ step: 'uploading', percent: 0 });
      const result = await uploadSealedBid(lotId, sealed.envelope, sealed.seals, (sent, all) => setPhase(sent >= all ? { step: 'waiting' } : { step: 'uploading', percent: Math.floor((sent / all) * 100) }));
      setLast({ result, digest: sealed.envelopeDigest, size: sealed.size });
      void message.success(result.replacedBidId ? '投标文件已重新递交，原投标文件已被替换' : '投标文件已递交，平台已签发回执');
      onSubmitted(result);
    } catch (e) {
      const outcome = applyFieldErrors(form, e, ['price']);
      setError(outcome.handled ? null : problemText(e));
    } finally {
      setPhase({ step: 'idle' });
    }
  };

  const active = keys.filter((k) => k.revokedAt === null);

  return (
    <Space orientation="vertical" size="middle" className="full-width">
      <Card size="small" title="1. 招标文件">
        {documents.length === 0 ? (
          <Typography.Text type="secondary">招标文件尚未发布</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={documents}
            renderItem={(d) => (
              <List.Item
                actions={[
                  <Button key="dl" size="small" icon={<DownloadOutlined />} onClick={() => void download(d)} aria-label={`下载 ${d.fileName}`}>
                    下载
                  </Button>,
                ]}
              >
                <Space>
                  <span>{d.fileName}</span>
                  <Typography.Text type="secondary">{sizeText(d.size)}</Typography.Text>
                  {downloaded.has(d.id) ? <Typography.Text type="success">本次已下载</Typography.Text> : null}
                </Space>
              </List.Item>
            )}
          />
        )}
        <Typography.Text type="secondary">须在平台下载招标文件后方可递交投标文件（每次下载均有记录）。</Typography.Text>
      </Card>

      {active.length === 0 ? (
        <Alert type="warning" showIcon title="尚未登记有效的密封密钥" description={<span>投标文件须在浏览器中加密后递交。请先到 <Link to="/bidding/keys">密封密钥</Link> 生成并登记密钥（建议同时登记离线备用密钥）。</span>} />
      ) : null}

      <Form form={form} name="opening-form" layout="vertical" onFinish={(v) => void submit(v)} disabled={!open || busy}>
        <Card size="small" title="2. 开标一览表">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="price"
                label="投标报价（元）"
                rules={[{ required: true, message: '请填写投标报价' }, { validator: (_, value: string | undefined) => (!value || (yuanToFen(value) ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error('请填写大于 0 的金额，最多两位小数'))) }]}
                extra={priceFen !== undefined && priceFen > 0 ? `即 ${fenToYuan(priceFen)} 元（${priceFen} 分），开标时按此宣读` : '以元为单位，最多两位小数'}
              >
                <Input inputMode="decimal" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="durationDays" label="工期（日历天）" rules={[{ required: true, message: '请填写工期' }]}>
                <InputNumber min={1} max={3650} precision={0} className="full-width" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="qualityStandard" label="质量标准" rules={[{ required: true, whitespace: true, message: '请填写质量标准' }, { max: 100 }]}>
                <Input placeholder="如：合格" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="projectManager" label="项目经理" rules={[{ required: true, whitespace: true, message: '请填写项目经理' }, { max: 50 }]} extra="开标时宣读；应与投标文件中载明的项目经理一致">
                <Input />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="remarks" label="备注" rules={[{ max: 500 }]}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title="3. 投标文件" style={{ marginTop: 16 }}>
          <Form.Item label="投标文件（PDF、OFD 等，可多个）" required>
            <Upload
              multiple
              fileList={files}
              beforeUpload={() => false}
              onChange={({ fileList }) => setFiles(fileList)}
              onRemove={(f) => setFiles((l) => l.filter((x) => x.uid !== f.uid))}
            >
              <Button icon={<CloudUploadOutlined />}>选择投标文件</Button>
            </Upload>
          </Form.Item>
          <Typography.Paragraph type="secondary">
            点击下方按钮后，开标一览表与投标文件在本机打包，用随机文件密钥以 SM4 加密，文件密钥用本主体全部 {active.length} 把有效密封公钥（SM2）分别封装；平台只收到密文，开标前任何人都无法打开。
          </Typography.Paragraph>
          {phase.step !== 'idle' ? (
            <div aria-label="递交进度" style={{ marginBottom: 16 }}>
              {phase.step === 'packing' ? <Typography.Text>正在打包投标文件…</Typography.Text> : null}
              {phase.step === 'sealing' ? (
                <>
                  <Typography.Text>正在加密（本机）…</Typography.Text>
                  <Progress percent={phase.percent} status="active" />
                </>
              ) : null}
              {phase.step === 'uploading' ? (
                <>
                  <Typography.Text>正在上传…</Typography.Text>
                  <Progress percent={phase.percent} status="active" />
                </>
              ) : null}
              {phase.step === 'waiting' ? (
                <>
                  <Typography.Text>已上传，等待平台校验并签发回执…</Typography.Text>
                  <Progress percent={100} status="active" />
                </>
              ) : null}
            </div>
          ) : null}
          {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
          {!open ? <Alert type="info" showIcon title="本标段当前不接收投标文件（投标截止时间已到或不在投标阶段）" style={{ marginBottom: 16 }} /> : null}
          <Button type="primary" htmlType="submit" icon={<LockOutlined />} loading={busy} disabled={!open || active.length === 0}>
            {replacing ? '加密并重新递交' : '加密并递交'}
          </Button>
        </Card>
      </Form>

      {last ? (
        <Card size="small" title="本次递交（回执已与本机加密文件的 SM3 摘要和大小核对）">
          <ReceiptCard receipt={last.result.receipt} signature={last.result.signature} sealedDigest={last.digest} sealedSize={last.size} />
        </Card>
      ) : null}
    </Space>
  );
}
