// The expert's scoring sheet of one lot: every pass/fail criterion and every expert-scored
// criterion of the method, for every decrypted bid (a matrix: criteria down, bids across), points
// within each criterion's maximum, a reason for a score below the configured share of it, and
// rejection votes (否决) with reasons. 快速填写 fills the empty cells at a share of the maximum and
// 合格 — the expert then changes what differs. Saved sheets may change until confirmed.
import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Input, InputNumber, Popconfirm, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { api, errorText, ApiError } from '../api';
import { formatDateTime } from '../format';
import type { BidsForExpert, Mark, OpenedBid, Rejection, ScoreSheet } from './types';

interface Criterion {
  id: string;
  name: string;
  group: string;
  /** null: pass/fail. */
  maxPoints: number | null;
  automatic: boolean;
}

const GROUP_LABELS: Record<string, string> = { formal: '形式评审', qualification: '资格评审', responsiveness: '响应性评审', technical: '技术部分', commercial: '商务部分', price: '价格部分' };

function criteriaOf(method: BidsForExpert['method']): Criterion[] {
  const pf = method.passFail.map((c) => ({ id: c.id, name: c.name, group: c.category, maxPoints: null, automatic: false }));
  if (method.kind === 'lowest_evaluated_price') return pf;
  const scored = (group: 'technical' | 'commercial') => method[group].map((c) => ({ id: c.id, name: c.name, group, maxPoints: c.maxPoints, automatic: c.scoredBy === 'automatic' }));
  return [...pf, ...scored('technical'), ...scored('commercial'), { id: method.price.id, name: method.price.name, group: 'price', maxPoints: method.price.maxPoints, automatic: true }];
}

const key = (bidId: string, criterionId: string) => `${bidId}|${criterionId}`;
type Cell = { points?: number | null; pass?: boolean; reason?: string };

function cellsOf(marks: Mark[]): Record<string, Cell> {
  return Object.fromEntries(marks.map((m) => [key(m.bidId, m.criterionId), { ...(m.points !== undefined ? { points: m.points } : {}), ...(m.pass !== undefined ? { pass: m.pass } : {}), ...(m.reason ? { reason: m.reason } : {}) }]));
}

export function ScoringSheet({ lotId, data, onSaved }: { lotId: string; data: BidsForExpert; onSaved: (sheet: ScoreSheet) => void }) {
  const { message } = App.useApp();
  const criteria = useMemo(() => criteriaOf(data.method), [data.method]);
  const marked = criteria.filter((c) => !c.automatic);
  const share = data.method.rules.reasonBelowPercentOfMax;
  const locked = data.mine.confirmedAt !== null;
  const [cells, setCells] = useState<Record<string, Cell>>(() => cellsOf(data.mine.marks));
  const [votes, setVotes] = useState<Record<string, string | undefined>>(() => Object.fromEntries(data.mine.rejections.map((r) => [r.bidId, r.reason])));
  const [quick, setQuick] = useState(90);
  const [busy, setBusy] = useState<'save' | 'confirm' | null>(null);
  const [issues, setIssues] = useState<{ messages: string[]; cells: Set<string> } | null>(null);
  const [dirty, setDirty] = useState(false);

  const set = (bidId: string, criterionId: string, patch: Cell) => {
    setCells((c) => ({ ...c, [key(bidId, criterionId)]: { ...c[key(bidId, criterionId)], ...patch } }));
    setDirty(true);
  };
  const needsReason = (c: Criterion, cell: Cell | undefined) => c.maxPoints !== null && typeof cell?.points === 'number' && cell.points * 100 < c.maxPoints * share;

  const fillQuick = () => {
    setCells((current) => {
      const next = { ...current };
      for (const b of data.bids) {
        for (const c of marked) {
          const k = key(b.bidId, c.id);
          if (c.maxPoints === null) {
            if (next[k]?.pass === undefined) next[k] = { ...next[k], pass: true };
          } else if (typeof next[k]?.points !== 'number') next[k] = { ...next[k], points: Math.round(c.maxPoints * quick) / 100 };
        }
      }
      return next;
    });
    setDirty(true);
  };

  const sheet = (): { marks: Mark[]; rejections: Rejection[] } => ({
    marks: data.bids.flatMap((b) =>
      marked.flatMap((c): Mark[] => {
        const cell = cells[key(b.bidId, c.id)];
        if (!cell) return [];
        const reason = cell.reason?.trim();
        if (c.maxPoints === null) return cell.pass === undefined ? [] : [{ bidId: b.bidId, criterionId: c.id, pass: cell.pass, ...(reason ? { reason } : {}) }];
        return typeof cell.points === 'number' ? [{ bidId: b.bidId, criterionId: c.id, points: cell.points, ...(reason ? { reason } : {}) }] : [];
      }),
    ),
    rejections: Object.entries(votes).flatMap(([bidId, reason]) => (reason === undefined ? [] : [{ bidId, reason: reason.trim() }])),
  });

  const showIssues = (cause: unknown) => {
    const messages = cause instanceof ApiError && cause.errors.length > 0 ? [...new Set(cause.errors.map((e) => e.message))] : [errorText(cause)];
    const raw = cause instanceof ApiError ? cause.problem.issues : undefined;
    const list = Array.isArray(raw) ? (raw as { bidId: string | null; criterionId: string | null }[]) : [];
    setIssues({ messages, cells: new Set(list.filter((i) => i.bidId && i.criterionId).map((i) => key(i.bidId!, i.criterionId!))) });
  };

  const save = async (): Promise<boolean> => {
    setBusy('save');
    setIssues(null);
    try {
      const saved = await api.put<ScoreSheet>(`/api/v1/trading/lots/${lotId}/scores/mine`, sheet());
      setDirty(false);
      void message.success('评分已保存，确认前仍可修改');
      onSaved(saved);
      return true;
    } catch (cause) {
      showIssues(cause);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const confirm = async () => {
    if (dirty && !(await save())) return;
    setBusy('confirm');
    try {
      const confirmed = await api.post<ScoreSheet>(`/api/v1/trading/lots/${lotId}/scores/mine/confirm`);
      void message.success('评分已确认并锁定');
      onSaved(confirmed);
    } catch (cause) {
      showIssues(cause);
    } finally {
      setBusy(null);
    }
  };

  const cell = (c: Criterion, b: OpenedBid) => {
    const k = key(b.bidId, c.id);
    const v = cells[k];
    const label = `${b.bidderName} ${c.name}`;
    const bad = issues?.cells.has(k) ?? false;
    if (c.automatic) return <Typography.Text type="secondary">系统计算</Typography.Text>;
    if (c.maxPoints === null) {
      return (
        <Select
          aria-label={label}
          size="small"
          status={bad ? 'error' : undefined}
          disabled={locked}
          value={v?.pass === undefined ? undefined : v.pass ? 'pass' : 'fail'}
          placeholder="判定"
          style={{ width: 100 }}
          options={[
            { value: 'pass', label: '合格' },
            { value: 'fail', label: '不合格' },
          ]}
          onChange={(x: string) => set(b.bidId, c.id, { pass: x === 'pass' })}
        />
      );
    }
    return (
      <Space orientation="vertical" size={2}>
        <InputNumber
          aria-label={label}
          size="small"
          status={bad ? 'error' : undefined}
          disabled={locked}
          min={0}
          max={c.maxPoints}
          step={0.5}
          precision={2}
          value={v?.points ?? null}
          onChange={(x) => set(b.bidId, c.id, { points: x })}
        />
        {needsReason(c, v) || v?.reason ? (
          <Input size="small" aria-label={`${label} 理由`} disabled={locked} status={needsReason(c, v) && !v?.reason?.trim() ? 'warning' : undefined} placeholder={`低于满分 ${share}% 须写明理由`} value={v?.reason ?? ''} maxLength={1000} onChange={(e) => set(b.bidId, c.id, { reason: e.target.value })} />
        ) : null}
      </Space>
    );
  };

  const columns: TableColumnsType<Criterion> = [
    { title: '评审因素', key: 'name', width: 220, fixed: 'left', render: (_, c) => <>{c.name}<Typography.Text type="secondary">{c.maxPoints !== null ? `（${c.maxPoints} 分）` : '（合格性）'}</Typography.Text><div><Tag>{GROUP_LABELS[c.group] ?? c.group}</Tag></div></> },
    ...data.bids.map((b) => ({ title: b.bidderName, key: b.bidId, width: 200, render: (_: unknown, c: Criterion) => cell(c, b) })),
  ];

  const subtotal = (b: OpenedBid) => marked.reduce((s, c) => s + (c.maxPoints !== null && typeof cells[key(b.bidId, c.id)]?.points === 'number' ? Math.round(cells[key(b.bidId, c.id)]!.points! * 100) : 0), 0) / 100;

  return (
    <Card size="small" title="评分表" className="section-card" aria-label="评分表">
      {locked ? <Alert type="success" showIcon className="section-card" title={`已于 ${formatDateTime(data.mine.confirmedAt)} 确认评分，不能再修改`} /> : null}
      {!locked ? (
        <Space wrap className="section-card">
          <Typography.Text>快速填写：空白项按满分的</Typography.Text>
          <InputNumber aria-label="快速填写比例" min={0} max={100} precision={0} value={quick} onChange={(x) => setQuick(x ?? 90)} suffix="%" />
          <Button onClick={fillQuick}>填入空白项</Button>
          <Typography.Text type="secondary">合格性评审空白项填为「合格」；低于满分 {share}% 的得分须写明理由</Typography.Text>
        </Space>
      ) : null}
      {issues ? <Alert type="error" showIcon className="table-alert" title={issues.messages[0]} description={issues.messages.length > 1 ? issues.messages.slice(1, 6).join('；') + (issues.messages.length > 6 ? ` 等 ${issues.messages.length} 项` : '') : undefined} /> : null}
      <Table<Criterion> rowKey="id" size="small" columns={columns} dataSource={criteria} pagination={false} scroll={{ x: 220 + data.bids.length * 200 }} aria-label="评分矩阵"
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>专家打分小计</Table.Summary.Cell>
            {data.bids.map((b, i) => (
              <Table.Summary.Cell key={b.bidId} index={i + 1}>
                {subtotal(b).toFixed(2)}
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        )}
      />
      <Typography.Title level={5} className="section-card">否决投标</Typography.Title>
      <Space orientation="vertical" className="full-width">
        {data.bids.map((b) => (
          <Space key={b.bidId} wrap>
            <Checkbox disabled={locked} checked={votes[b.bidId] !== undefined} onChange={(e) => { setVotes((v) => ({ ...v, [b.bidId]: e.target.checked ? '' : undefined })); setDirty(true); }}>
              否决 {b.bidderName}
            </Checkbox>
            {votes[b.bidId] !== undefined ? (
              <Input aria-label={`否决 ${b.bidderName} 的理由`} disabled={locked} style={{ width: 420 }} placeholder="否决理由（依据的招标文件条款或法律规定）" value={votes[b.bidId]} maxLength={1000} onChange={(e) => { const text = e.target.value; setVotes((v) => ({ ...v, [b.bidId]: text })); setDirty(true); }} />
            ) : null}
          </Space>
        ))}
      </Space>
      {!locked ? (
        <Space className="section-card">
          <Button onClick={() => void save()} loading={busy === 'save'}>
            保存评分
          </Button>
          <Popconfirm title="确认评分？确认后锁定，不能再修改。" okText="确认" cancelText="取消" onConfirm={() => void confirm()}>
            <Button type="primary" loading={busy === 'confirm'} disabled={!data.mine.submittedAt && !dirty}>
              确认评分
            </Button>
          </Popconfirm>
          {data.mine.submittedAt ? <Typography.Text type="secondary">上次保存 {formatDateTime(data.mine.submittedAt)}</Typography.Text> : null}
        </Space>
      ) : null}
    </Card>
  );
}
