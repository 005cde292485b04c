// 评标专家抽取 for one opened lot (centre staff): the draw's needs (specialties from the code
// table, counts, the evaluation date — the avoid list is the server's), each drawn expert's answer
// (同意 / 拒绝 with a reason / 联系不上, a reserve then steps in), a top-up when the reserves run
// out, the confirmation of the panel and the start of the evaluation.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { applyFieldErrors } from '../formErrors';
import { formatDateTime } from '../format';
import { useSpecialties } from '../components/ExpertShared';
import { AWARD_RULES, chinaDate } from './shared';
import type { Draw, DrawMember, DrawMemberState, Evaluation } from './types';

const STATE_LABELS: Record<DrawMemberState, string> = { standby: '候补待命', pending: '待答复', accepted: '同意参加', declined: '拒绝', unreachable: '联系不上' };
const STATE_COLORS: Record<DrawMemberState, string> = { standby: 'default', pending: 'blue', accepted: 'green', declined: 'red', unreachable: 'orange' };

interface DrawValues {
  evaluationDate: Dayjs;
  needs: { specialtyCode: string; count: number }[];
  reserves: number;
}

export function PanelCard({ lotId, evaluation, dealNow, onChanged }: { lotId: string; evaluation: Evaluation | null; dealNow: string; onChanged: () => void }) {
  const drawId = evaluation?.drawId ?? null;
  const [draw, setDraw] = useState<Draw | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!drawId) {
      setDraw(null);
      return;
    }
    let live = true;
    api
      .get<Draw>(`/api/v1/experts/draws/${drawId}`)
      .then((d) => {
        if (live) setDraw(d);
      })
      .catch((cause: unknown) => {
        if (live) setError(errorText(cause));
      });
    return () => {
      live = false;
    };
  }, [drawId, tick]);

  const changed = (d?: Draw) => {
    if (d) setDraw(d);
    else setTick((t) => t + 1);
    onChanged();
  };

  if (!evaluation) return <DrawForm lotId={lotId} dealNow={dealNow} onDrawn={() => onChanged()} />;
  return (
    <Card size="small" title="评标专家抽取" className="section-card" aria-label="评标专家抽取">
      {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
      {draw ? <DrawView lotId={lotId} draw={draw} started={evaluation.startedAt !== null} onChanged={changed} /> : <Typography.Text type="secondary">正在读取抽取记录…</Typography.Text>}
    </Card>
  );
}

function DrawForm({ lotId, dealNow, onDrawn }: { lotId: string; dealNow: string; onDrawn: () => void }) {
  const { message } = App.useApp();
  const specialties = useSpecialties();
  const [form] = Form.useForm<DrawValues>();
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const needs = Form.useWatch('needs', form) ?? [];
  const total = needs.reduce((n, x) => n + (x?.count ?? 0), 0);

  const submit = async (v: DrawValues) => {
    setBusy(true);
    setBanner(null);
    try {
      await api.post<Draw>(`/api/v1/trading/lots/${lotId}/panel`, { evaluationDate: v.evaluationDate.format('YYYY-MM-DD'), needs: v.needs, reserves: v.reserves });
      void message.success('已抽取评标专家，请逐一联系并登记应答');
      onDrawn();
    } catch (cause) {
      const outcome = applyFieldErrors(form, cause, ['evaluationDate', 'needs', 'reserves']);
      if (!outcome.handled) setBanner(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="评标专家抽取" className="section-card" aria-label="评标专家抽取">
      <Typography.Paragraph type="secondary">
        评标委员会由 {AWARD_RULES.panelMinMembers} 人以上单数的专家组成。回避名单由系统按本标段的招标人、招标代理机构、全部投标人及行政监督部门自动生成，抽取过程（随机种子、合格名单摘要）留痕可复核。
      </Typography.Paragraph>
      {banner ? <Alert type="error" showIcon title={banner} className="table-alert" /> : null}
      <Form<DrawValues>
        form={form}
        name="panel-draw"
        layout="vertical"
        initialValues={{ evaluationDate: dayjs(chinaDate(new Date(dealNow))), needs: [{ count: AWARD_RULES.panelMinMembers }], reserves: 2 }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item label="评标日期" name="evaluationDate" rules={[{ required: true, message: '请选择评标日期' }]}>
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
        <Form.List name="needs">
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field, i) => (
                <Space key={field.key} align="start" wrap>
                  <Form.Item label={`专业 ${i + 1}`} name={[field.name, 'specialtyCode']} rules={[{ required: true, message: '请选择专业' }]}>
                    <TreeSelect showSearch treeNodeFilterProp="title" treeData={specialties.leafTreeData} placeholder="按专业分类选择" className="filter-tree" popupMatchSelectWidth={360} />
                  </Form.Item>
                  <Form.Item label={`人数 ${i + 1}`} name={[field.name, 'count']} rules={[{ required: true, message: '请填写人数' }]}>
                    <InputNumber min={1} max={50} precision={0} />
                  </Form.Item>
                  {fields.length > 1 ? <Button type="text" icon={<MinusCircleOutlined />} aria-label={`删除专业 ${i + 1}`} onClick={() => remove(field.name)} className="list-remove" /> : null}
                </Space>
              ))}
              <Form.ErrorList errors={errors} />
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ count: 1 })} className="section-card">
                增加专业
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item label="每个专业的候补人数" name="reserves" extra="专家拒绝或联系不上时，按抽取顺序通知候补专家">
          <InputNumber min={0} max={20} precision={0} />
        </Form.Item>
        <Typography.Paragraph>
          合计 {total} 人
          {total < AWARD_RULES.panelMinMembers || total % 2 === 0 ? <Typography.Text type="warning">（评标委员会须为 {AWARD_RULES.panelMinMembers} 人以上单数）</Typography.Text> : null}
        </Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={busy}>
          抽取专家
        </Button>
      </Form>
      {specialties.error ? <Alert type="warning" showIcon title={specialties.error} className="table-alert" /> : null}
    </Card>
  );
}

function DrawView({ lotId, draw, started, onChanged }: { lotId: string; draw: Draw; started: boolean; onChanged: (d?: Draw) => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [declining, setDeclining] = useState<DrawMember | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const complete = draw.seats.every((s) => s.accepted >= s.count);

  const answer = async (m: DrawMember, value: 'accepted' | 'declined' | 'unreachable', reason?: string) => {
    setBusy(`${m.expertId}:${value}`);
    try {
      const r = await api.post<{ draw: Draw; replacedBy: string | null }>(`/api/v1/trading/lots/${lotId}/panel/responses`, { expertId: m.expertId, answer: value, ...(reason ? { reason } : {}) });
      const next = r.replacedBy ? r.draw.members.find((x) => x.expertId === r.replacedBy) : undefined;
      void message.success(next ? `已登记；候补专家 ${next.name} 递补，请通知` : `已登记 ${m.name}：${STATE_LABELS[value]}`);
      setDeclining(null);
      onChanged(r.draw);
    } catch (cause) {
      if (value === 'declined' && applyFieldErrors(form, cause, ['reason']).handled) return;
      void message.error(errorText(cause));
    } finally {
      setBusy(null);
    }
  };

  const step = async (key: string, path: string, done: string) => {
    setBusy(key);
    try {
      const d = await api.post<Draw>(path);
      void message.success(done);
      onChanged(key === 'start' ? undefined : d);
    } catch (cause) {
      void message.error(errorText(cause));
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<DrawMember> = [
    { title: '专业', dataIndex: 'specialtyCode', width: 150, render: (c: string) => draw.seats.find((s) => s.specialtyCode === c)?.specialtyName ?? c },
    { title: '姓名', dataIndex: 'name', width: 90 },
    { title: '工作单位', dataIndex: 'employerName' },
    { title: '电话', dataIndex: 'phoneMasked', width: 130, render: (v: string) => <span className="mono">{v}</span> },
    { title: '身份', key: 'kind', width: 90, render: (_, m) => (m.kind === 'member' ? '抽中' : `候补 ${m.rank}`) },
    {
      title: '应答',
      dataIndex: 'state',
      width: 180,
      render: (s: DrawMemberState, m) => (
        <>
          <Tag color={STATE_COLORS[s]}>{STATE_LABELS[s]}</Tag>
          {m.answerReason ? <Typography.Text type="secondary">{m.answerReason}</Typography.Text> : null}
        </>
      ),
    },
    {
      title: '登记应答',
      key: 'actions',
      width: 220,
      render: (_, m) =>
        draw.status === 'open' && m.state === 'pending' ? (
          <Space size={0}>
            <Button type="link" size="small" loading={busy === `${m.expertId}:accepted`} onClick={() => void answer(m, 'accepted')} aria-label={`${m.name} 同意`}>
              同意
            </Button>
            <Button type="link" size="small" danger onClick={() => setDeclining(m)} aria-label={`${m.name} 拒绝`}>
              拒绝
            </Button>
            <Button type="link" size="small" loading={busy === `${m.expertId}:unreachable`} onClick={() => void answer(m, 'unreachable')} aria-label={`${m.name} 联系不上`}>
              联系不上
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} className="section-card">
        <Descriptions.Item label="状态">{draw.status === 'confirmed' ? <Tag color="green">名单已确认</Tag> : <Tag color="blue">联系专家中</Tag>}</Descriptions.Item>
        <Descriptions.Item label="评标日期">{draw.evaluationDate}</Descriptions.Item>
        <Descriptions.Item label="抽取时间">{formatDateTime(draw.drawnAt)}</Descriptions.Item>
        <Descriptions.Item label="回避">
          {`投标人等 ${draw.avoid.usccs.length} 个单位`}
          {draw.avoid.supervisingDepartment ? `、${draw.avoid.supervisingDepartment.name}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label="各专业" span={2}>
          {draw.seats.map((s) => `${s.specialtyName} 需 ${s.count} 人、已同意 ${s.accepted} 人`).join('；')}
        </Descriptions.Item>
      </Descriptions>
      <Table<DrawMember>
        rowKey="expertId"
        size="small"
        columns={columns}
        dataSource={draw.members.filter((m) => m.state !== 'standby')}
        pagination={false}
        scroll={{ x: 1000 }}
        aria-label="抽取名单"
      />
      <Typography.Paragraph type="secondary" className="section-card">
        另有候补专家 {draw.members.filter((m) => m.state === 'standby').length} 人待命（姓名在递补时显示）。
      </Typography.Paragraph>
      <Space wrap>
        {draw.topUpNeeded ? (
          <Button loading={busy === 'topup'} onClick={() => void step('topup', `/api/v1/trading/lots/${lotId}/panel/top-up`, '已补充抽取')}>
            候补用尽，补充抽取
          </Button>
        ) : null}
        {draw.status === 'open' ? (
          <Popconfirm title="确认评标委员会名单？确认后不能再变更。" okText="确认" cancelText="取消" onConfirm={() => void step('confirm', `/api/v1/trading/lots/${lotId}/panel/confirm`, '评标委员会名单已确认')} disabled={!complete}>
            <Button type="primary" disabled={!complete} loading={busy === 'confirm'}>
              确认专家名单
            </Button>
          </Popconfirm>
        ) : null}
        {draw.status === 'confirmed' && !started ? (
          <Button type="primary" loading={busy === 'start'} onClick={() => void step('start', `/api/v1/trading/lots/${lotId}/evaluation/start`, '评标已开始，专家可登录评分')}>
            开始评标
          </Button>
        ) : null}
        {!complete && draw.status === 'open' ? <Typography.Text type="secondary">各专业均足额同意后方可确认名单</Typography.Text> : null}
      </Space>
      <Modal
        open={declining !== null}
        title={`登记拒绝：${declining?.name ?? ''}`}
        okText="登记"
        okButtonProps={{ danger: true, loading: busy?.endsWith(':declined') ?? false }}
        cancelText="取消"
        onCancel={() => setDeclining(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} name="decline" layout="vertical" preserve={false} onFinish={(v) => declining && void answer(declining, 'declined', v.reason.trim())}>
          <Form.Item label="拒绝原因" name="reason" rules={[{ required: true, whitespace: true, message: '请填写专家拒绝参加的原因' }, { max: 200, message: '最多 200 字' }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
