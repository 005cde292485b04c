// 中标候选人公示 of one lot: the owner publishes the ranked candidates (within 3 days of the
// report, for at least 3 days), bidders object during the publicity and the owner answers (the
// award waits while an objection is open).
import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, List, Modal, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { applyFieldErrors } from '../formErrors';
import { formatDateTime } from '../format';
import { AWARD_RULES, awardOpensOn, fivePmOf, lastDayAfter, yuan } from './shared';
import type { Candidates, Evaluation, Objection } from './types';

const CST_MS = 8 * 3_600_000;

/** A picker value showing the instant's CST wall-clock time, whatever the browser's zone. */
export function toCstPicker(iso: string): Dayjs {
  const t = new Date(Date.parse(iso) + CST_MS);
  return dayjs(new Date(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes()));
}

/** The instant (ISO) of a picker value read as CST wall-clock time. */
export function fromCstPicker(value: Dayjs): string {
  return new Date(Date.UTC(value.year(), value.month(), value.date(), value.hour(), value.minute()) - CST_MS).toISOString();
}

interface PublishValues {
  publicityUntil: Dayjs;
  objectionContact?: string;
}

/** The owner's form to publish the candidates of a reported lot. */
export function PublishCandidates({ lotId, evaluation, dealNow, onChanged }: { lotId: string; evaluation: Evaluation; dealNow: string; onChanged: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PublishValues>();
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const publishBy = lastDayAfter(evaluation.reportedAt!, AWARD_RULES.publicationDays);
  const earliestEnd = lastDayAfter(dealNow, AWARD_RULES.publicityMinDays);
  const count = evaluation.report?.candidates.length ?? 0;

  const submit = async (v: PublishValues) => {
    setBusy(true);
    setBanner(null);
    try {
      await api.post<Candidates>(`/api/v1/trading/lots/${lotId}/candidates`, { publicityUntil: fromCstPicker(v.publicityUntil), ...(v.objectionContact?.trim() ? { objectionContact: v.objectionContact.trim() } : {}) });
      void message.success('中标候选人公示已发布');
      onChanged();
    } catch (cause) {
      const outcome = applyFieldErrors(form, cause, ['publicityUntil', 'objectionContact']);
      if (!outcome.handled) setBanner(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="公示中标候选人" className="section-card" aria-label="公示中标候选人">
      <Alert
        type="info"
        showIcon
        className="section-card"
        title={`评标委员会推荐中标候选人 ${count} 名。招标人应当自收到评标报告之日起 ${AWARD_RULES.publicationDays} 日内公示中标候选人，本标段最迟应于 ${publishBy} 公示；公示期不得少于 ${AWARD_RULES.publicityMinDays} 日，最早可于 ${earliestEnd} 结束（招标投标法实施条例第五十四条）。`}
      />
      {banner ? <Alert type="error" showIcon title={banner} className="table-alert" /> : null}
      <Form<PublishValues> form={form} name="candidates" layout="vertical" initialValues={{ publicityUntil: toCstPicker(fivePmOf(earliestEnd)) }} onFinish={(v) => void submit(v)}>
        <Form.Item label="公示截止时间" name="publicityUntil" rules={[{ required: true, message: '请选择公示截止时间' }]} extra={`公示期满后方可定标；异议应在公示期内提出，招标人自收到之日起 ${AWARD_RULES.objectionReplyDays} 日内答复`}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item label="异议受理联系方式" name="objectionContact" rules={[{ min: 2, message: '至少 2 个字' }, { max: 200, message: '最多 200 字' }]}>
          <Input maxLength={200} placeholder="如：招标人联系人及电话（选填）" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          发布中标候选人公示
        </Button>
      </Form>
    </Card>
  );
}

/** The published candidates, the publicity and the objections. */
export function CandidatesView({ lotId, candidates, owner, bidder, open, onChanged }: { lotId: string; candidates: Candidates; owner: boolean; bidder: boolean; open: boolean; onChanged: () => void }) {
  const { message } = App.useApp();
  const [objecting, setObjecting] = useState(false);
  const [replying, setReplying] = useState<Objection | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ text: string }>();
  type Row = Candidates['candidates'][number];
  const columns: TableColumnsType<Row> = [
    { title: '排名', dataIndex: 'rank', width: 70, render: (n: number) => `第 ${n} 名` },
    { title: '中标候选人', dataIndex: 'bidderName' },
    { title: '投标报价（元）', dataIndex: 'price', width: 160, align: 'right' },
    { title: '综合得分 / 评标价', key: 'points', width: 160, align: 'right', render: (_, c) => (c.totalPoints !== null ? c.totalPoints.toFixed(2) : yuan(c.evaluatedPriceFen)) },
  ];

  const send = async (text: string) => {
    setBusy(true);
    try {
      if (replying) {
        await api.post<Objection>(`/api/v1/trading/lots/${lotId}/candidates/objections/${replying.id}/reply`, { reply: text });
        void message.success('异议已答复');
      } else {
        await api.post<Objection>(`/api/v1/trading/lots/${lotId}/candidates/objections`, { content: text });
        void message.success('异议已提交，招标人将在 3 日内答复');
      }
      setObjecting(false);
      setReplying(null);
      onChanged();
    } catch (cause) {
      // One field only: whatever the server names (content, reply, or the period), it belongs here.
      form.setFields([{ name: 'text', errors: [errorText(cause)] }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="中标候选人公示" className="section-card" aria-label="中标候选人公示">
      <Descriptions size="small" column={{ xs: 1, md: 2 }} className="section-card">
        <Descriptions.Item label="公告">{candidates.title}</Descriptions.Item>
        <Descriptions.Item label="公示期">{`${formatDateTime(candidates.publicityFrom)} 至 ${formatDateTime(candidates.publicityUntil)}`}</Descriptions.Item>
        <Descriptions.Item label="定标">{`公示期满后（${awardOpensOn(candidates.publicityUntil)} 起）方可定标`}</Descriptions.Item>
        <Descriptions.Item label="公示文件 SM3">
          <span className="mono">{candidates.sm3 ?? '—'}</span>
        </Descriptions.Item>
      </Descriptions>
      <Table<Row> rowKey="bidId" size="small" columns={columns} dataSource={candidates.candidates} pagination={false} aria-label="中标候选人" />
      <List
        size="small"
        className="section-card"
        header={
          <Space>
            <Typography.Text strong>对评标结果的异议（{candidates.objections.length}）</Typography.Text>
            {bidder && open ? (
              <Button size="small" onClick={() => setObjecting(true)}>
                提出异议
              </Button>
            ) : null}
          </Space>
        }
        locale={{ emptyText: '暂无异议' }}
        dataSource={candidates.objections}
        renderItem={(o) => (
          <List.Item
            actions={owner && o.reply === null ? [<Button key="reply" size="small" type="link" onClick={() => setReplying(o)} aria-label="答复异议">答复</Button>] : []}
          >
            <List.Item.Meta
              title={
                <Space>
                  <span>{formatDateTime(o.filedAt)} 提出</span>
                  {o.reply === null ? <Tag color="orange">待答复（{formatDateTime(o.replyDue)} 前）</Tag> : <Tag color="green">已答复</Tag>}
                </Space>
              }
              description={
                <>
                  <div className="pre-wrap">{o.content}</div>
                  {o.reply ? <div className="pre-wrap">答复（{formatDateTime(o.repliedAt)}）：{o.reply}</div> : null}
                </>
              }
            />
          </List.Item>
        )}
      />
      <Modal
        open={objecting || replying !== null}
        title={replying ? '答复异议' : '对评标结果提出异议'}
        okText={replying ? '答复' : '提交异议'}
        okButtonProps={{ loading: busy }}
        cancelText="取消"
        onCancel={() => {
          setObjecting(false);
          setReplying(null);
        }}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        {replying ? <Typography.Paragraph className="pre-wrap">{replying.content}</Typography.Paragraph> : null}
        <Form form={form} name="objection" layout="vertical" preserve={false} onFinish={(v) => void send(v.text.trim())}>
          <Form.Item
            label={replying ? '答复内容' : '异议内容'}
            name="text"
            rules={[
              { required: true, whitespace: true, message: '请填写内容' },
              { min: 10, message: '至少 10 个字' },
              { max: 5000, message: '最多 5000 字' },
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
