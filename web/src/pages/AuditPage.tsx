import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Select, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { ReloadOutlined, SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { PageHeader } from '../components/PageHeader';
import { AUDIT_RESULT_LABELS, formatDateTime, labelOf, optionsOf } from '../format';
import { paginationOf, usePagedList } from '../hooks';
import type { AuditEvent, AuditVerifyAnswer } from '../types';

interface FilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  action?: string;
  result?: string;
}

const RESULT_COLORS: Record<string, string> = { success: 'green', failure: 'red', denied: 'orange' };

type Verdict = { kind: 'ok' | 'broken'; answer: AuditVerifyAnswer } | { kind: 'error'; text: string };

function VerifyResult({ verdict }: { verdict: Verdict }) {
  if (verdict.kind === 'error') return <Alert type="error" showIcon title={`校验失败：${verdict.text}`} className="table-alert" />;
  const { answer } = verdict;
  if (answer.ok) {
    return (
      <Alert
        type="success"
        showIcon
        className="table-alert"
        title="审计链完整"
        description={`已校验 ${answer.checked} 条审计记录，哈希链连续、未发现篡改。`}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      className="table-alert"
      title="审计链校验未通过"
      description={
        answer.firstBroken
          ? `已校验 ${answer.checked} 条记录；首个断点：序号 ${answer.firstBroken.seq}，原因：${answer.firstBroken.reason}`
          : `已校验 ${answer.checked} 条记录，发现不一致。`
      }
    />
  );
}

function short(hash: string | null): string {
  return hash ? `${hash.slice(0, 12)}…` : '—';
}

export default function AuditPage() {
  const list = usePagedList<AuditEvent>('/api/v1/audit/events');
  const [form] = Form.useForm<FilterValues>();
  const [verifying, setVerifying] = useState(false);
  const [verdict, setVerdict] = useState<Verdict | null>(null);

  const search = (values: FilterValues) => {
    const [from, to] = values.range ?? [];
    list.setFilters({
      from: from?.toISOString(),
      to: to?.toISOString(),
      actor: values.actor?.trim() || undefined,
      action: values.action?.trim() || undefined,
      result: values.result,
    });
  };

  const verify = async () => {
    setVerifying(true);
    try {
      const answer = await api.post<AuditVerifyAnswer>('/api/v1/audit/verify');
      setVerdict({ kind: answer.ok ? 'ok' : 'broken', answer });
    } catch (error) {
      setVerdict({ kind: 'error', text: errorText(error) });
    } finally {
      setVerifying(false);
    }
  };

  const columns: TableColumnsType<AuditEvent> = [
    { title: '序号', dataIndex: 'seq', width: 80, align: 'right' },
    { title: '时间', dataIndex: 'occurredAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: '操作人', dataIndex: 'actorUsername', width: 120, render: (v: string | null) => v ?? <span className="muted">匿名</span> },
    { title: '操作', dataIndex: 'action', width: 200, render: (v: string) => <span className="mono">{v}</span> },
    {
      title: '对象',
      key: 'target',
      ellipsis: true,
      render: (_, e) => (e.targetType ? `${e.targetType}${e.targetId ? ` / ${e.targetId}` : ''}` : '—'),
    },
    {
      title: '结果',
      dataIndex: 'result',
      width: 80,
      render: (v: string) => <Tag color={RESULT_COLORS[v]}>{labelOf(AUDIT_RESULT_LABELS, v)}</Tag>,
    },
    { title: '来源 IP', dataIndex: 'clientIp', width: 130, render: (v: string | null) => v ?? '—' },
    {
      title: '记录哈希',
      dataIndex: 'hash',
      width: 140,
      render: (v: string) => (
        <Tooltip title={v}>
          <span className="mono">{short(v)}</span>
        </Tooltip>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="审计日志"
        description="记录每一次用户操作（时间、用户、事件、结果），以哈希链防篡改。"
        extra={
          <Button type="primary" icon={<SafetyOutlined />} loading={verifying} onClick={() => void verify()}>
            校验审计链
          </Button>
        }
      />
      {verdict ? <VerifyResult verdict={verdict} /> : null}
      <Card>
        <Form<FilterValues> form={form} name="auditFilter" layout="inline" className="filter-form" onFinish={search}>
          <Form.Item name="range" label="时间范围">
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item name="actor" label="操作人">
            <Input placeholder="用户名" allowClear className="filter-input" />
          </Form.Item>
          <Form.Item name="action" label="操作类型">
            <Input placeholder="如 auth.login" allowClear className="filter-input" />
          </Form.Item>
          <Form.Item name="result" label="结果">
            <Select placeholder="全部" allowClear options={optionsOf(AUDIT_RESULT_LABELS)} className="filter-select-small" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              查询
            </Button>
          </Form.Item>
          <Form.Item>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                form.resetFields();
                list.setFilters({});
              }}
            >
              重置
            </Button>
          </Form.Item>
        </Form>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<AuditEvent>
          rowKey="seq"
          size="small"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          pagination={paginationOf(list)}
          scroll={{ x: 1100 }}
          expandable={{
            expandedRowRender: (e) => (
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'actor', label: '操作人 ID', children: e.actorId ?? '—' },
                  { key: 'before', label: '变更前摘要', children: <span className="mono">{e.beforeDigest ?? '—'}</span> },
                  { key: 'after', label: '变更后摘要', children: <span className="mono">{e.afterDigest ?? '—'}</span> },
                  { key: 'hash', label: '记录哈希', children: <span className="mono">{e.hash}</span> },
                  {
                    key: 'detail',
                    label: '详情',
                    children: <pre className="audit-detail">{e.detail === null || e.detail === undefined ? '—' : JSON.stringify(e.detail, null, 2)}</pre>,
                  },
                ]}
              />
            ),
          }}
        />
      </Card>
    </>
  );
}
