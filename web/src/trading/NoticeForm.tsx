// 招标公告与招标文件: after acceptance the owner drafts the notice, the schedule (with the law's
// minimums explained beside the fields), each lot's bid security and evaluation method, uploads
// the tender documents, and submits them for the centre's review. Every refusal is shown on the
// field it names (schedule.bidDeadline, lots.0.bidSecurity, lots.1.evaluationMethod.price.maxPoints …).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Popconfirm, Progress, Row, Space, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { applyFieldErrors } from '../formErrors';
import { formatSize } from '../registry/shared';
import type { DealEventItem, TenderProject } from '../types';
import { DEFAULT_METHOD, MethodEditor, methodValues, toMethodInput, type MethodValues } from './MethodEditor';
import {
  bidSecurityLimitFen,
  earliestDeadlineDay,
  earliestDocumentsUntilDay,
  formatYuan,
  fromPicker,
  LOT_KIND_LABELS,
  PICKER_FORMAT,
  restDayProblem,
  TENDER_RULES,
  toPicker,
  YUAN_PATTERN,
} from './shared';
import { documentType, uploadWithProgress } from './upload';

interface NoticeValues {
  title: string;
  body: string;
  schedule: { documentsFrom?: Dayjs; documentsUntil?: Dayjs; bidDeadline?: Dayjs; bidValidityDays: number; decryptionMinutes: number };
  lots: { lotId: string; bidSecurity: string; evaluationMethod: MethodValues }[];
  /** Holds no value: the upload's refusals (and 请先上传招标文件) are shown on it. */
  documents?: never;
}

const FIELDS = ['title', 'body', 'schedule', 'lots', 'documents'] as const;

/** The notice's title and body as saved (`GET …/notice`), null before the first save. */
type NoticeText = { title: string; body: string } | null;

function initialValues(p: TenderProject, events: DealEventItem[], text: NoticeText): NoticeValues {
  const submitted = [...events].reverse().find((e) => e.type === 'notice_submitted' || e.type === 'notice_published');
  return {
    title: text?.title ?? (typeof submitted?.payload.title === 'string' ? submitted.payload.title : `${p.name}招标公告`),
    body: text?.body ?? '',
    schedule: {
      documentsFrom: toPicker(p.schedule.documentsFrom),
      documentsUntil: toPicker(p.schedule.documentsUntil),
      bidDeadline: toPicker(p.schedule.bidDeadline),
      bidValidityDays: p.schedule.bidValidityDays ?? TENDER_RULES.bidValidity.default,
      decryptionMinutes: p.schedule.decryptionMinutes ?? TENDER_RULES.decryption.defaultMinutes,
    },
    lots: p.lots.map((l) => ({ lotId: l.id, bidSecurity: l.bidSecurityFen > 0 ? l.bidSecurity.replace(/,/g, '') : '', evaluationMethod: l.evaluationMethod ? methodValues(l.evaluationMethod) : DEFAULT_METHOD })),
  };
}

/** Holds the upload controls under a Form.Item that only carries errors: takes the item's id, ignores its value and onChange. */
function FieldBox({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <Space id={id} orientation="vertical" className="full-width">
      {children}
    </Space>
  );
}

function Hint({ children }: { children: string | null }) {
  return children ? <span>{children}</span> : null;
}

export function NoticeForm({ project, events, onChanged }: { project: TenderProject; events: DealEventItem[]; onChanged: (p: TenderProject) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<NoticeValues>();
  const editable = project.status === 'accepted';
  const [busy, setBusy] = useState<null | 'save' | 'submit' | 'upload'>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [uploaded, setUploaded] = useState<{ name: string; size: number; digest: string } | null>(null);
  const [banner, setBanner] = useState<{ text: string; more: string[] } | null>(null);
  const [text, setText] = useState<NoticeText>(null);
  useEffect(() => {
    let live = true;
    api
      .get<{ tender: { title: string; body: string } | null }>(`/api/v1/trading/projects/${project.id}/notice`)
      .then((r) => {
        if (live) setText(r.tender ? { title: r.tender.title, body: r.tender.body } : null);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [project.id, project.status]);
  const initial = useMemo(() => initialValues(project, events, text), [project, events, text]);
  const rejected = [...events].reverse().find((e) => e.type === 'notice_rejected' || e.type === 'notice_submitted');

  useEffect(() => {
    form.setFieldsValue(initial);
  }, [form, initial]);

  const from = Form.useWatch(['schedule', 'documentsFrom'], form);
  const deadline = Form.useWatch(['schedule', 'bidDeadline'], form);
  const fromInstant = from ? new Date(fromPicker(from)) : null;
  const deadlineInstant = deadline ? new Date(fromPicker(deadline)) : null;

  const failed = (cause: unknown) => {
    const outcome = applyFieldErrors(form, cause, FIELDS);
    if (outcome.first) form.scrollToField(outcome.first, { block: 'center' });
    setBanner(outcome.handled ? { text: '请按提示修改标红的项目', more: [] } : { text: errorText(cause), more: outcome.leftover });
  };

  const save = async (): Promise<boolean> => {
    let v: NoticeValues;
    try {
      v = await form.validateFields();
    } catch {
      setBanner({ text: '请按提示修改标红的项目', more: [] });
      return false;
    }
    const s = v.schedule;
    const body = {
      title: v.title.trim(),
      body: v.body.trim(),
      schedule: { documentsFrom: fromPicker(s.documentsFrom!), documentsUntil: fromPicker(s.documentsUntil!), bidDeadline: fromPicker(s.bidDeadline!), bidValidityDays: s.bidValidityDays, decryptionMinutes: s.decryptionMinutes },
      lots: v.lots.map((l) => ({ lotId: l.lotId, bidSecurity: l.bidSecurity.trim(), evaluationMethod: toMethodInput(l.evaluationMethod) })),
    };
    try {
      const saved = await api.put<TenderProject>(`/api/v1/trading/projects/${project.id}/notice`, body);
      setText({ title: body.title, body: body.body });
      onChanged(saved);
      return true;
    } catch (cause) {
      failed(cause);
      return false;
    }
  };

  const onSave = async () => {
    setBusy('save');
    setBanner(null);
    if (await save()) void message.success('招标公告、进度安排和评标办法已保存');
    setBusy(null);
  };

  const onSubmit = async () => {
    setBusy('submit');
    setBanner(null);
    if (await save()) {
      try {
        onChanged(await api.post<TenderProject>(`/api/v1/trading/projects/${project.id}/notice/submit`));
        void message.success('已提交交易中心审核');
      } catch (cause) {
        failed(cause);
      }
    }
    setBusy(null);
  };

  const onUpload = async (file: File) => {
    const type = documentType(file);
    if (!type) {
      form.setFields([{ name: 'documents', errors: ['招标文件须为 PDF、OFD、Word（docx）或 zip 压缩包'] }]);
      return;
    }
    setBusy('upload');
    setProgress(0);
    form.setFields([{ name: 'documents', errors: [] }]);
    try {
      const r = await uploadWithProgress<{ id: string; digest: string; size: number }>('PUT', `/api/v1/trading/projects/${project.id}/documents`, file, type, { name: file.name }, setProgress);
      setUploaded({ name: file.name, size: r.size, digest: r.digest });
      void message.success(`招标文件已上传：${file.name}`);
    } catch (cause) {
      failed(cause);
      form.setFields([{ name: 'documents', errors: [errorText(cause)] }]);
    }
    setProgress(null);
    setBusy(null);
  };

  const lotById = new Map(project.lots.map((l) => [l.id, l]));

  return (
    <Form<NoticeValues> form={form} name="tender-notice" layout="vertical" initialValues={initial} disabled={!editable} scrollToFirstError>
      {project.status === 'notice_review' ? <Alert type="info" showIcon className="section-card" title="招标公告与招标文件已提交，正在等待交易中心审核" /> : null}
      {editable && rejected?.type === 'notice_rejected' ? (
        <Alert type="warning" showIcon className="section-card" title="交易中心退回了招标公告" description={`退回原因：${String(rejected.payload.reason ?? '')}`} />
      ) : null}
      {banner ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="section-card"
          title={banner.text}
          closable={{ onClose: () => setBanner(null) }}
          description={banner.more.length > 0 ? <ul className="form-banner-list">{banner.more.map((m) => <li key={m}>{m}</li>)}</ul> : undefined}
        />
      ) : null}

      <Card title="招标公告" size="small" className="section-card">
        <Form.Item label="公告标题" name="title" rules={[{ required: true, whitespace: true, message: '请填写公告标题' }, { min: 4, message: '至少 4 个字' }, { max: 200, message: '最多 200 个字' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label="公告正文" name="body" rules={[{ required: true, whitespace: true, message: '请填写公告正文' }, { min: 10, message: '至少 10 个字' }]}>
          <Input.TextArea autoSize={{ minRows: 6, maxRows: 20 }} maxLength={50_000} />
        </Form.Item>
      </Card>

      <Card title="进度安排" size="small" className="section-card">
        <Typography.Paragraph type="secondary">
          时间均为北京时间。期间自事件发生次日起算，最后一日为法定节假日或周末的顺延至其后第一个工作日（民法典第二百零一条、第二百零三条）。
        </Typography.Paragraph>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label="招标文件发出（获取）开始时间" name={['schedule', 'documentsFrom']} extra="不得早于当前时间" rules={[{ required: true, message: '请选择开始时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} className="full-width" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              label="招标文件获取截止时间"
              name={['schedule', 'documentsUntil']}
              extra={<Hint>{fromInstant ? `获取期不少于 ${TENDER_RULES.documentsPeriodMinDays} 日（实施条例第十六条），最早可截止于 ${earliestDocumentsUntilDay(fromInstant)}，且不得晚于投标截止时间` : `获取期不少于 ${TENDER_RULES.documentsPeriodMinDays} 日`}</Hint>}
              rules={[{ required: true, message: '请选择截止时间' }]}
            >
              <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} className="full-width" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              label="投标截止时间（开标时间）"
              name={['schedule', 'bidDeadline']}
              extra={
                <Space orientation="vertical" size={0}>
                  <Hint>
                    {fromInstant
                      ? `自招标文件开始发出之日起不少于 ${TENDER_RULES.bidPeriodMinDays} 日（招标投标法第二十四条），投标截止最早可定于 ${earliestDeadlineDay(fromInstant)}`
                      : `自招标文件开始发出之日起不少于 ${TENDER_RULES.bidPeriodMinDays} 日（招标投标法第二十四条）`}
                  </Hint>
                  <Hint>{deadlineInstant ? restDayProblem(deadlineInstant) : null}</Hint>
                </Space>
              }
              rules={[{ required: true, message: '请选择投标截止时间' }]}
            >
              <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} className="full-width" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item label="投标有效期" name={['schedule', 'bidValidityDays']} extra="自投标截止之日起算，须留足评标、公示和定标的时间" rules={[{ required: true, message: '请填写投标有效期' }]}>
              <InputNumber min={TENDER_RULES.bidValidity.min} max={TENDER_RULES.bidValidity.max} precision={0} suffix="日" className="full-width" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item label="解密时限" name={['schedule', 'decryptionMinutes']} extra={`开标后投标人在线解密的时间，${TENDER_RULES.decryption.minMinutes}–${TENDER_RULES.decryption.maxMinutes} 分钟`} rules={[{ required: true, message: '请填写解密时限' }]}>
              <InputNumber min={TENDER_RULES.decryption.minMinutes} max={TENDER_RULES.decryption.maxMinutes} precision={0} suffix="分钟" className="full-width" />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Form.List name="lots">
        {(fields) =>
          fields.map((field) => {
            const lotId = form.getFieldValue(['lots', field.name, 'lotId']) as string;
            const lot = lotById.get(lotId);
            if (!lot) return null;
            const limit = bidSecurityLimitFen(lot.estimatedPriceFen, lot.kind);
            return (
              <Card key={field.key} size="small" className="section-card" title={`标段 ${lot.lotNo}：${lot.name}`} extra={<Typography.Text type="secondary">{LOT_KIND_LABELS[lot.kind]} · 估算价 {lot.estimatedPrice} 元</Typography.Text>}>
                <Form.Item name={[field.name, 'lotId']} hidden>
                  <Input />
                </Form.Item>
                <Form.Item
                  label={`标段 ${lot.lotNo} 投标保证金（元）`}
                  name={[field.name, 'bidSecurity']}
                  extra={`不得超过估算价的 2%（实施条例第二十六条）${TENDER_RULES.bidSecurityCapYuan[lot.kind] !== null ? `且不超过 ${TENDER_RULES.bidSecurityCapYuan[lot.kind]! / 10_000} 万元` : ''}，本标段最高 ${formatYuan(limit)} 元；不收取的填 0`}
                  rules={[{ required: true, message: '请填写投标保证金' }, { pattern: YUAN_PATTERN, message: '金额单位为元，最多两位小数，不含逗号' }]}
                >
                  <Input inputMode="decimal" suffix="元" className="security-input" />
                </Form.Item>
                <MethodEditor form={form} lot={field.name} />
              </Card>
            );
          })
        }
      </Form.List>

      <Card title="招标文件" size="small" className="section-card">
        <Form.Item name="documents" label="招标文件" extra="PDF、OFD、Word（docx）或 zip 压缩包（图纸、工程量清单等），不超过 100 MB；发布前可重新上传替换">
          <FieldBox>
            <Upload
              accept=".pdf,.ofd,.docx,.zip"
              showUploadList={false}
              disabled={!editable || busy !== null}
              beforeUpload={(file) => {
                void onUpload(file);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={busy === 'upload'} disabled={!editable}>
                {uploaded ? '重新上传招标文件' : '上传招标文件'}
              </Button>
            </Upload>
            {progress !== null ? <Progress percent={progress} size="small" aria-label="上传进度" /> : null}
            {uploaded ? (
              <Typography.Text>
                已上传：{uploaded.name}（{formatSize(uploaded.size)}） <span className="mono muted">SM3 {uploaded.digest.slice(0, 16)}…</span>
              </Typography.Text>
            ) : null}
          </FieldBox>
        </Form.Item>
      </Card>

      {editable ? (
        <Card className="section-card sticky-actions">
          <Space wrap>
            <Button onClick={() => void onSave()} loading={busy === 'save'} disabled={busy !== null && busy !== 'save'}>
              保存
            </Button>
            <Popconfirm title="提交后审核完成前不能修改，确认提交审核？" okText="提交" cancelText="取消" onConfirm={() => void onSubmit()}>
              <Button type="primary" loading={busy === 'submit'} disabled={busy !== null && busy !== 'submit'}>
                提交审核
              </Button>
            </Popconfirm>
          </Space>
        </Card>
      ) : null}
    </Form>
  );
}
