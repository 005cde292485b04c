// The owner's view of the bidding period: the schedule as published, how many times the documents
// were downloaded (not by whom — 招标投标法第二十二条), the clarifications issued, and objections.
// A clarification less than 15 days before the deadline must move it: the dialog warns and asks
// for the new deadline, suggesting the server's `suggestedDeadline`.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, List, Typography } from 'antd';
import { NotificationOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ApiError, api } from '../api';
import { FormModal } from '../components/FormModal';
import type { DealEventItem, TenderProject } from '../types';
import { clarificationEffect, cst, fromPicker, objectionClosesAt, PICKER_FORMAT, TENDER_RULES, toPicker } from './shared';

interface ClarificationValues {
  title: string;
  body: string;
  newDeadline?: Dayjs;
}

function ClarificationModal({ project, open, onClose, onIssued }: { project: TenderProject; open: boolean; onClose: () => void; onIssued: (r: { number: number; moved: boolean; deadlineAfter: string }) => void }) {
  const deadline = project.schedule.bidDeadline ? new Date(project.schedule.bidDeadline) : null;
  const effect = deadline ? clarificationEffect(new Date(project.dealNow), deadline) : null;
  const [suggested, setSuggested] = useState<string | null>(null);
  const [form] = Form.useForm<ClarificationValues>();
  const late = effect?.moves === true || suggested !== null;

  const submit = async (v: ClarificationValues) => {
    try {
      const r = await api.post<{ number: number; moved: boolean; deadlineAfter: string }>(`/api/v1/trading/projects/${project.id}/clarifications`, {
        title: v.title.trim(),
        body: v.body.trim(),
        ...(v.newDeadline ? { newDeadline: fromPicker(v.newDeadline) } : {}),
      });
      setSuggested(null);
      onIssued(r);
    } catch (cause) {
      // The server works out the earliest lawful deadline: offer it in the field.
      if (cause instanceof ApiError && typeof cause.problem.suggestedDeadline === 'string') {
        setSuggested(cause.problem.suggestedDeadline);
        if (!form.getFieldValue('newDeadline')) form.setFieldValue('newDeadline', toPicker(cause.problem.suggestedDeadline));
      }
      throw cause;
    }
  };

  return (
    <FormModal<ClarificationValues> open={open} title="发布澄清或修改" name="clarification" fields={['title', 'body', 'newDeadline']} form={form} okText="发布" width={720} onSubmit={submit} onClose={onClose}>
      <Typography.Paragraph type="secondary">
        澄清或修改发给所有获取招标文件的潜在投标人，应当在投标截止时间至少 {TENDER_RULES.clarificationMinDays} 日前发出；不足 {TENDER_RULES.clarificationMinDays} 日的，须顺延投标截止时间（招标投标法第二十三条、实施条例第二十一条）。
      </Typography.Paragraph>
      {late && effect ? (
        <Alert
          type="warning"
          showIcon
          className="form-banner"
          title={`距投标截止（${cst(project.schedule.bidDeadline)}）不足 ${TENDER_RULES.clarificationMinDays} 日，须顺延投标截止时间`}
          description={`新的投标截止时间最早可定于 ${suggested ? cst(suggested) : effect.earliestDay}`}
        />
      ) : null}
      <Form.Item label="标题" name="title" rules={[{ required: true, whitespace: true, message: '请填写标题' }, { min: 4, message: '至少 4 个字' }, { max: 200, message: '最多 200 个字' }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item label="澄清或修改内容" name="body" rules={[{ required: true, whitespace: true, message: '请填写内容' }, { min: 10, message: '至少 10 个字' }]}>
        <Input.TextArea autoSize={{ minRows: 5, maxRows: 14 }} maxLength={50_000} />
      </Form.Item>
      <Form.Item
        label="新的投标截止时间"
        name="newDeadline"
        extra={late ? '须填写：不早于上方提示的时间，且为工作日' : '不顺延时留空；只能推迟，不能提前'}
        rules={late ? [{ required: true, message: '距截止不足 15 日，请填写顺延后的投标截止时间' }] : []}
      >
        <DatePicker showTime={{ format: 'HH:mm' }} format={PICKER_FORMAT} className="full-width" />
      </Form.Item>
    </FormModal>
  );
}

interface ObjectionItem {
  id: string;
  subject: string;
  content: string;
  filedAt: string;
  replyDue: string;
  reply: string | null;
}

/** The objections to the documents (`GET …/objections`; the tenderer's side never sees who objected). */
function useObjections(projectId: string, events: DealEventItem[]): ObjectionItem[] {
  const [items, setItems] = useState<ObjectionItem[]>([]);
  const filed = events.filter((e) => e.type === 'objection_filed' || e.type === 'objection_answered').length;
  useEffect(() => {
    let live = true;
    api
      .get<{ items: ObjectionItem[] }>(`/api/v1/trading/projects/${projectId}/objections`)
      .then((r) => {
        if (live) setItems(r.items.filter((o) => o.subject === 'documents'));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [projectId, filed]);
  return items;
}

function AnswerModal({ project, objection, onClose, onAnswered }: { project: TenderProject; objection: { id: string } | null; onClose: () => void; onAnswered: () => void }) {
  return (
    <FormModal<{ reply: string }>
      open={objection !== null}
      title="答复异议"
      name="objection-reply"
      fields={['reply']}
      okText="答复"
      onSubmit={async (v) => {
        await api.post(`/api/v1/trading/projects/${project.id}/objections/${objection!.id}/reply`, { reply: v.reply.trim() });
        onAnswered();
      }}
      onClose={onClose}
    >
      <Typography.Paragraph type="secondary">招标人应当自收到异议之日起 3 日内作出答复；作出答复前，应当暂停招标投标活动（实施条例第二十二条）。</Typography.Paragraph>
      <Form.Item label="答复内容" name="reply" rules={[{ required: true, whitespace: true, message: '请填写答复' }, { min: 10, message: '至少 10 个字' }]}>
        <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} maxLength={5000} />
      </Form.Item>
    </FormModal>
  );
}

export function BiddingPanel({ project, events, onChanged }: { project: TenderProject; events: DealEventItem[]; onChanged: () => void }) {
  const { message } = App.useApp();
  const [clarifying, setClarifying] = useState(false);
  const [answering, setAnswering] = useState<{ id: string } | null>(null);
  const downloads = events.filter((e) => e.type === 'documents_downloaded').length;
  const clarifications = events.filter((e) => e.type === 'clarification_issued');
  const filed = events.filter((e) => e.type === 'objection_filed').length;
  const answeredCount = events.filter((e) => e.type === 'objection_answered').length;
  const open = useObjections(project.id, events).filter((o) => o.reply === null);
  const deadline = project.schedule.bidDeadline;
  const objectionEnd = deadline ? objectionClosesAt(new Date(deadline)) : null;

  return (
    <>
      {project.pausedSince ? <Alert type="warning" showIcon className="section-card" title={`招标投标活动自 ${cst(project.pausedSince)} 起暂停：对招标文件的异议待答复`} /> : null}
      <Card size="small" className="section-card" title="投标期间" extra={project.status === 'bidding' ? <Button type="primary" icon={<NotificationOutlined />} onClick={() => setClarifying(true)}>发布澄清或修改</Button> : null}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
          <Descriptions.Item label="招标文件获取期">{`${cst(project.schedule.documentsFrom)} 至 ${cst(project.schedule.documentsUntil)}`}</Descriptions.Item>
          <Descriptions.Item label="投标截止（开标）">{cst(deadline)}</Descriptions.Item>
          <Descriptions.Item label="异议截止">{objectionEnd ? `${objectionEnd.lastDay} 24:00` : '—'}</Descriptions.Item>
          <Descriptions.Item label="招标文件下载">
            <Typography.Text strong>{downloads} 次</Typography.Text>{' '}
            <Typography.Text type="secondary">开标前不显示下载人（招标投标法第二十二条）</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="异议">{`收到 ${filed} 件，已答复 ${answeredCount} 件`}</Descriptions.Item>
          <Descriptions.Item label="澄清或修改">{`${clarifications.length} 次`}</Descriptions.Item>
        </Descriptions>
      </Card>
      {open.length > 0 ? (
        <Card size="small" className="section-card" title="待答复的异议">
          <List
            dataSource={open}
            renderItem={(o) => (
              <List.Item actions={[<Button key="reply" type="link" onClick={() => setAnswering(o)}>答复</Button>]}>
                <List.Item.Meta title={`${cst(o.filedAt)} 收到，应于 ${cst(o.replyDue)} 前答复`} description={o.content} />
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      <Card size="small" className="section-card" title="已发布的澄清或修改">
        <List
          locale={{ emptyText: '尚未发布澄清或修改' }}
          dataSource={clarifications}
          renderItem={(e) => (
            <List.Item>
              <List.Item.Meta
                title={`第 ${String(e.payload.number)} 号：${String(e.payload.title ?? '')}`}
                description={`${cst(e.occurredAt)} 发布${e.payload.deadlineAfter !== e.payload.deadlineBefore ? `；投标截止由 ${cst(String(e.payload.deadlineBefore))} 顺延至 ${cst(String(e.payload.deadlineAfter))}` : ''}`}
              />
            </List.Item>
          )}
        />
      </Card>
      <ClarificationModal
        project={project}
        open={clarifying}
        onClose={() => setClarifying(false)}
        onIssued={(r) => {
          void message.success(r.moved ? `第 ${r.number} 号澄清或修改已发布，投标截止顺延至 ${cst(r.deadlineAfter)}` : `第 ${r.number} 号澄清或修改已发布`);
          setClarifying(false);
          onChanged();
        }}
      />
      <AnswerModal
        project={project}
        objection={answering}
        onClose={() => setAnswering(null)}
        onAnswered={() => {
          void message.success('异议已答复');
          setAnswering(null);
          onChanged();
        }}
      />
    </>
  );
}
