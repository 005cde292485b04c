// A published tender for a bidder: the notice, the schedule and the lots, the tender documents
// (each download is recorded), the clarifications, and an objection to the documents with the
// 10-day rule's last instant.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, List, Result, Space, Spin, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { api, errorText, fetchObjectUrl } from '../api';
import { applyFieldErrors } from '../formErrors';
import { PageHeader } from '../components/PageHeader';
import { formatSize } from '../registry/shared';
import { useProject } from '../trading/hooks';
import { LotsTable, ProjectFacts } from '../trading/ProjectSummary';
import { cst, objectionClosesAt } from '../trading/shared';

interface PublishedDocument {
  id: string;
  fileName: string;
  size: number;
  sm3: string;
}

export default function TenderNoticePage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { project, timeline, error, reload } = useProject(id);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [objecting, setObjecting] = useState(false);
  const [objectionError, setObjectionError] = useState<string | null>(null);
  const [form] = Form.useForm<{ content: string }>();

  if (error && !project) return <Result status="warning" title={error} extra={<Button onClick={() => void navigate('/trading/notices')}>返回招标公告</Button>} />;
  if (!project) return <Spin className="page-spin" />;

  const events = timeline.events;
  const notice = events.filter((e) => e.type === 'notice_published').at(-1);
  const documents = (events.filter((e) => e.type === 'documents_published').at(-1)?.payload.documents ?? []) as PublishedDocument[];
  const clarifications = events.filter((e) => e.type === 'clarification_issued');
  const now = new Date(project.dealNow);
  const from = project.schedule.documentsFrom ? new Date(project.schedule.documentsFrom) : null;
  const until = project.schedule.documentsUntil ? new Date(project.schedule.documentsUntil) : null;
  const inPeriod = from !== null && until !== null && now >= from && now < until;
  const objectionEnd = project.schedule.bidDeadline ? objectionClosesAt(new Date(project.schedule.bidDeadline)) : null;
  const mayObject = objectionEnd !== null && now < objectionEnd.closesAt && project.status === 'bidding';

  const download = async (doc: PublishedDocument) => {
    setDownloading(doc.id);
    setDownloadError(null);
    try {
      const url = await fetchObjectUrl(`/api/v1/trading/projects/${project.id}/documents/${doc.id}`);
      const a = document.createElement('a');
      a.href = url;
      a.download = doc.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      void message.success(`已下载：${doc.fileName}`);
      reload();
    } catch (cause) {
      setDownloadError(errorText(cause));
    }
    setDownloading(null);
  };

  const object = async (content: string) => {
    setObjecting(true);
    setObjectionError(null);
    try {
      const o = await api.post<{ replyDue: string }>(`/api/v1/trading/projects/${project.id}/objections`, { content });
      void message.success(`异议已提出，招标人应于 ${cst(o.replyDue)} 前答复`);
      form.resetFields();
      reload();
    } catch (cause) {
      const outcome = applyFieldErrors(form, cause, ['content']);
      if (!outcome.handled) setObjectionError(errorText(cause));
    }
    setObjecting(false);
  };

  return (
    <>
      <PageHeader
        title={project.name}
        description={notice ? `招标公告：${String(notice.payload.title ?? '')}（${cst(notice.occurredAt)} 发布）` : undefined}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/trading/notices')}>
            返回
          </Button>
        }
      />
      {project.pausedSince ? <Alert type="warning" showIcon className="section-card" title={`招标投标活动自 ${cst(project.pausedSince)} 起暂停：对招标文件的异议待答复`} /> : null}
      <ProjectFacts project={project} />
      <Card size="small" title="标段" className="section-card">
        <LotsTable lots={project.lots} withNotice />
      </Card>
      <Card size="small" title="招标文件" className="section-card">
        <Typography.Paragraph type="secondary">
          获取期：{cst(project.schedule.documentsFrom)} 至 {cst(project.schedule.documentsUntil)}。下载将被记录，投标人须先下载招标文件才能投标；开标前招标人看不到下载人。
        </Typography.Paragraph>
        {!inPeriod ? <Alert type="info" showIcon className="section-card" title={from && now < from ? `招标文件自 ${cst(from)} 起可以下载` : '招标文件获取期已结束'} /> : null}
        {downloadError ? <Alert type="error" showIcon role="alert" className="section-card" title={downloadError} /> : null}
        <List
          dataSource={documents}
          locale={{ emptyText: '暂无已发布的招标文件' }}
          renderItem={(d) => (
            <List.Item
              actions={[
                <Button key="dl" icon={<DownloadOutlined />} loading={downloading === d.id} disabled={!inPeriod} onClick={() => void download(d)} aria-label={`下载 ${d.fileName}`}>
                  下载
                </Button>,
              ]}
            >
              <List.Item.Meta title={d.fileName} description={<span>{formatSize(d.size)} · <span className="mono">SM3 {d.sm3}</span></span>} />
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title="澄清或修改" className="section-card">
        <List
          dataSource={clarifications}
          locale={{ emptyText: '暂无澄清或修改' }}
          renderItem={(e) => (
            <List.Item>
              <List.Item.Meta
                title={`第 ${String(e.payload.number)} 号：${String(e.payload.title ?? '')}`}
                description={`${cst(e.occurredAt)} 发布；投标截止时间 ${cst(String(e.payload.deadlineAfter))}${e.payload.deadlineAfter !== e.payload.deadlineBefore ? `（原 ${cst(String(e.payload.deadlineBefore))}，已顺延）` : ''}`}
              />
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title="对招标文件提出异议" className="section-card">
        <Typography.Paragraph type="secondary">
          获取招标文件的潜在投标人对招标文件有异议的，应当在投标截止时间 10 日前提出（招标投标法实施条例第二十二条）
          {objectionEnd ? `：本项目异议截止于 ${objectionEnd.lastDay} 24:00（${cst(objectionEnd.closesAt)} 前）` : ''}。招标人应在收到之日起 3 日内答复，答复前暂停招标投标活动。
        </Typography.Paragraph>
        {objectionError ? <Alert type="error" showIcon role="alert" className="section-card" title={objectionError} /> : null}
        <Form form={form} name="objection" layout="vertical" disabled={!mayObject} onFinish={(v) => void object(v.content.trim())}>
          <Form.Item label="异议内容" name="content" rules={[{ required: true, whitespace: true, message: '请填写异议内容' }, { min: 10, message: '至少 10 个字' }, { max: 5000, message: '最多 5000 字' }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={objecting}>
              提出异议
            </Button>
            {!mayObject ? <Typography.Text type="secondary">已过异议期限</Typography.Text> : null}
          </Space>
        </Form>
      </Card>
    </>
  );
}
