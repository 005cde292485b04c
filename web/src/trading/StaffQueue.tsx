// The centre's queues (项目受理, 公告审核): projects in one state within the staff member's region,
// and a drawer with the project, its tenderer and the decision. Returning needs a reason.
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Drawer, Form, Input, Modal, Space, Table, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { useAuth } from '../auth';
import { applyFieldErrors } from '../formErrors';
import { paginationOf, usePagedList } from '../hooks';
import { regionName } from '../registry/shared';
import type { DealTimeline, MarketEntity, TenderProject, TenderProjectStatus } from '../types';
import { DealTimeline as TimelineView } from './DealTimeline';
import { LotsTable, ProjectFacts } from './ProjectSummary';
import { cst, formatDealCode } from './shared';

export interface QueueProps {
  status: TenderProjectStatus;
  empty: string;
  /** What the drawer shows above the lots (e.g. the notice's title and schedule). */
  withNotice: boolean;
  approveText: string;
  rejectText: string;
  rejectTitle: string;
  approve: (p: TenderProject) => Promise<TenderProject>;
  reject: (p: TenderProject, reason: string) => Promise<TenderProject>;
  /** Shown after approval (e.g. the issued codes); null closes the drawer with a notice only. */
  approved: (p: TenderProject) => { notice: string; details?: ReactNode };
}

function useTenderer(id: string | null) {
  const { can } = useAuth();
  const [entity, setEntity] = useState<MarketEntity | null>(null);
  useEffect(() => {
    setEntity(null);
    if (!id || !can('registry.entity.read')) return;
    let live = true;
    api
      .get<MarketEntity>(`/api/v1/registry/entities/${id}`)
      .then((e) => {
        if (live) setEntity(e);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [id, can]);
  return entity;
}

export function StaffQueue(props: QueueProps) {
  const list = usePagedList<TenderProject>('/api/v1/trading/projects', { status: props.status });
  const [open, setOpen] = useState<TenderProject | null>(null);
  const columns: TableColumnsType<TenderProject> = [
    { title: '项目名称', dataIndex: 'name' },
    { title: '统一交易标识码', dataIndex: 'dealCode', width: 310, render: (c: string | null) => (c ? <span className="mono">{formatDealCode(c)}</span> : '受理后赋码') },
    { title: '所在地区', dataIndex: 'regionCode', width: 150, render: (c: string) => regionName(c) },
    { title: '招标类别', dataIndex: 'categoryName', width: 150 },
    { title: '标段', key: 'lots', width: 60, render: (_, p) => p.lots.length },
    { title: props.withNotice ? '投标截止' : '提交时间', key: 'when', width: 150, render: (_, p) => cst(props.withNotice ? p.schedule.bidDeadline : p.submittedAt) },
    {
      title: '操作',
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, p) => (
        <Button type="link" size="small" onClick={() => setOpen(p)} aria-label={`办理 ${p.name}`}>
          办理
        </Button>
      ),
    },
  ];
  return (
    <>
      <Card>
        <div className="filter-bar">
          <Input.Search placeholder="项目名称或统一交易标识码" allowClear className="filter-search" onSearch={(q) => list.setFilters({ status: props.status, q: q.trim() })} aria-label="搜索" />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<TenderProject> rowKey="id" size="middle" loading={list.loading} columns={columns} dataSource={list.items} pagination={paginationOf(list)} scroll={{ x: 1100 }} locale={{ emptyText: props.empty }} />
      </Card>
      <DecisionDrawer
        {...props}
        project={open}
        onClose={() => setOpen(null)}
        onDone={() => {
          setOpen(null);
          list.reload();
        }}
      />
    </>
  );
}

function DecisionDrawer(props: QueueProps & { project: TenderProject | null; onClose: () => void; onDone: () => void }) {
  const { message, modal } = App.useApp();
  const p = props.project;
  const tenderer = useTenderer(p?.tendererEntityId ?? null);
  const agency = useTenderer(p?.agencyEntityId ?? null);
  const [timeline, setTimeline] = useState<DealTimeline | null>(null);
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  useEffect(() => {
    setTimeline(null);
    setError(null);
    if (!p?.dealCode) return;
    let live = true;
    api
      .get<DealTimeline>(`/api/v1/trading/projects/${p.id}/timeline`)
      .then((t) => {
        if (live) setTimeline(t);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [p]);

  const submitted = timeline?.events.filter((e) => e.type === 'notice_submitted').at(-1);

  const approve = async () => {
    if (!p) return;
    setBusy(true);
    setError(null);
    try {
      const done = await props.approve(p);
      const shown = props.approved(done);
      void message.success(shown.notice);
      if (shown.details) modal.success({ title: shown.notice, content: shown.details, width: 720, okText: '知道了' });
      props.onDone();
    } catch (cause) {
      setError(errorText(cause));
    }
    setBusy(false);
  };

  const reject = async (reason: string) => {
    if (!p) return;
    setBusy(true);
    try {
      await props.reject(p, reason);
      void message.success(`已退回：${p.name}`);
      setRejecting(false);
      props.onDone();
    } catch (cause) {
      const outcome = applyFieldErrors(form, cause, ['reason']);
      if (!outcome.handled) void message.error(errorText(cause));
    }
    setBusy(false);
  };

  return (
    <Drawer
      open={p !== null}
      onClose={props.onClose}
      size={1000}
      title={p ? `办理：${p.name}` : '办理'}
      destroyOnHidden
      extra={
        p ? (
          <Space>
            <Button danger onClick={() => setRejecting(true)} disabled={busy}>
              {props.rejectText}
            </Button>
            <Button type="primary" loading={busy && !rejecting} onClick={() => void approve()}>
              {props.approveText}
            </Button>
          </Space>
        ) : null
      }
    >
      {error ? <Alert type="error" showIcon role="alert" className="section-card" title={error} /> : null}
      {p ? (
        <>
          <Alert
            type="info"
            className="section-card"
            title={`招标人：${tenderer ? `${tenderer.name}（${tenderer.uscc ?? '—'}）` : '—'}${p.agencyEntityId ? `；招标代理机构：${agency ? `${agency.name}（${agency.uscc ?? '—'}）` : '—'}` : ''}`}
          />
          {props.withNotice && submitted ? <Alert type="info" className="section-card" title={`公告标题：${String(submitted.payload.title ?? '')}`} description={`提交审核：${cst(submitted.occurredAt)}（${submitted.actor?.name ?? ''}）`} /> : null}
          <ProjectFacts project={p} />
          <Card size="small" title="标段" className="section-card">
            <LotsTable lots={p.lots} withNotice={props.withNotice} />
          </Card>
          {timeline ? (
            <Card size="small" title="交易全过程" className="section-card">
              <TimelineView events={timeline.events} />
            </Card>
          ) : null}
        </>
      ) : null}
      <Modal open={rejecting} title={props.rejectTitle} okText="退回" okButtonProps={{ danger: true, loading: busy }} cancelText="取消" onCancel={() => setRejecting(false)} onOk={() => form.submit()} destroyOnHidden>
        <Form form={form} name="tender-return" layout="vertical" preserve={false} onFinish={(v) => void reject(v.reason.trim())}>
          <Form.Item label="退回原因" name="reason" extra="原因将展示给招标人或代理机构，请写明需要修改的内容" rules={[{ required: true, whitespace: true, message: '请填写退回原因' }, { min: 2, message: '至少 2 个字' }, { max: 1000, message: '最多 1000 字' }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
