// Detail drawer of one credit record: the record, its ban, disclosure period and status, and its
// objections and repair requests with who filed and decided them. Filing an objection and
// requesting repair (on the subject's behalf) start here. With `own`, the subject's own account
// reads its record from its archive (/credit/me) and files both steps itself.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Descriptions, Drawer, Empty, Space, Spin, Tag, Timeline, Tooltip, Typography } from 'antd';
import { api, errorText } from '../api';
import { useAuth } from '../auth';
import { formatDateTime, labelOf } from '../format';
import type { CreditRecord, Objection, RecordHistory, Repair } from '../types';
import { ObjectionDialog, RepairDialog } from './CreditDialogs';
import {
  EvidenceList,
  NOT_REPAIRABLE_LABELS,
  OBJECTION_STATUS_COLORS,
  OBJECTION_STATUS_LABELS,
  OWN_OBJECTION_STATUS_LABELS,
  RECORD_TYPE_LABELS,
  REPAIR_STATUS_COLORS,
  REPAIR_STATUS_LABELS,
  ROLE_LABELS,
  SUBJECT_KIND_LABELS,
  SeverityTag,
  StatusTag,
  addMonths,
  banText,
  isAdverse,
  todayCst,
  type CreditReference,
} from './CreditShared';

export interface CreditRecordDrawerProps {
  /** The record to show; null closes the drawer. */
  recordId: string | null;
  /** Bumped by the page after a change elsewhere (a decision): read the record again. */
  revision?: number;
  reference: CreditReference;
  onClose: () => void;
  /** Something changed: lists should reload. */
  onChanged?: () => void;
  /**
   * The subject's own view: the record and its steps come from its archive (the page reloads it
   * on `onChanged`), and objections and repairs are filed by the signed-in entity account.
   */
  own?: OwnSource;
}

export interface OwnSource {
  records: CreditRecord[];
  objections: Objection[];
  repairs: Repair[];
  /** The signed-in account, to tell its own filings from those staff made on the entity's behalf. */
  accountId: string;
}

/** The archive's steps of one record, in the drawer's shape (names are not disclosed to the subject). */
function ownHistory(own: OwnSource, recordId: string): RecordHistory {
  return {
    objections: own.objections.filter((o) => o.recordId === recordId).map((o) => ({ ...o, filedByName: null, decidedByName: null })),
    repairs: own.repairs.filter((r) => r.recordId === recordId).map((r) => ({ ...r, requestedByName: null, decidedByName: null })),
  };
}

/** Why the action cannot be taken today, or null when it can. */
function objectionBlocker(record: CreditRecord, today: string): string | null {
  if (record.status === 'under_objection') return '该记录已有处理中的异议';
  if (record.status !== 'effective') return '已撤销或已修复的记录不能提出异议';
  if (today > record.objectionDeadline) return `异议期限已过（应在 ${record.objectionDeadline} 前提出）`;
  return null;
}

function repairBlocker(record: CreditRecord, today: string, reference: CreditReference, pendingRepair: boolean): string | null {
  if (record.notRepairableReason) return `${labelOf(NOT_REPAIRABLE_LABELS, record.notRepairableReason)}的失信记录不可修复`;
  if (record.status === 'repaired') return '该记录已修复';
  if (record.status !== 'effective') return '只有生效中的记录可以申请修复';
  if (pendingRepair) return '该记录已有待审核的修复申请';
  const months = record.severity ? reference.rules?.repairMinMonths[record.severity] : undefined;
  if (months !== undefined) {
    const earliest = addMonths(record.decisionDate, months);
    if (today < earliest) return `最短公示期未满，${earliest} 起方可申请修复`;
  }
  return null;
}

function Guarded({ blocker, children }: { blocker: string | null; children: ReactNode }) {
  return blocker ? <Tooltip title={blocker}>{children}</Tooltip> : <>{children}</>;
}

export function CreditRecordDrawer({ recordId, revision = 0, reference, onClose, onChanged, own }: CreditRecordDrawerProps) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const [fetchedRecord, setRecord] = useState<CreditRecord | null>(null);
  const [fetchedHistory, setHistory] = useState<RecordHistory | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'objection' | 'repair' | null>(null);
  const [tick, setTick] = useState(0);

  const load = useCallback((id: string) => {
    setLoading(true);
    Promise.all([api.get<CreditRecord>(`/api/v1/credit/records/${id}`), api.get<RecordHistory>(`/api/v1/credit/records/${id}/history`)])
      .then(([r, h]) => {
        setRecord(r);
        setHistory(h);
        setError(null);
      })
      .catch((cause: unknown) => setError(errorText(cause)))
      .finally(() => setLoading(false));
  }, []);

  useEffect(() => {
    setRecord(null);
    setHistory(null);
    setError(null);
    setDialog(null);
  }, [recordId]);

  useEffect(() => {
    if (recordId && !own) load(recordId);
  }, [recordId, revision, tick, load, own]);

  const record = own ? (own.records.find((r) => r.id === recordId) ?? null) : fetchedRecord;
  const history = own ? (record ? ownHistory(own, record.id) : null) : fetchedHistory;
  const objectionLabels = own ? OWN_OBJECTION_STATUS_LABELS : OBJECTION_STATUS_LABELS;

  const changed = (text: string) => {
    setDialog(null);
    setTick((t) => t + 1);
    onChanged?.();
    void message.success(text);
  };

  const today = todayCst();
  const mayFile = own ? can('credit.self.read') : can('credit.objection.file');
  const adverse = record ? isAdverse(record.type) : false;
  const pendingRepair = history?.repairs.some((r) => r.status === 'pending') ?? false;
  const objectionBlock = record ? objectionBlocker(record, today) : null;
  const repairBlock = record ? repairBlocker(record, today, reference, pendingRepair) : null;

  const actions =
    record && mayFile ? (
      <Space>
        <Guarded blocker={objectionBlock}>
          <Button disabled={objectionBlock !== null} onClick={() => setDialog('objection')}>
            提出异议
          </Button>
        </Guarded>
        {adverse ? (
          <Guarded blocker={repairBlock}>
            <Button disabled={repairBlock !== null} onClick={() => setDialog('repair')}>
              申请信用修复
            </Button>
          </Guarded>
        ) : null}
      </Space>
    ) : null;

  // The subject is told plainly why a step is not open to it (staff get the tooltip).
  const ownBlockers = own && record && mayFile ? [objectionBlock ? `不能提出异议：${objectionBlock}` : null, adverse && repairBlock ? `不能申请信用修复：${repairBlock}` : null].filter((b) => b !== null) : [];

  return (
    <Drawer open={recordId !== null} onClose={onClose} size={820} title={record ? `信用记录：${record.title}` : '信用记录'} extra={actions} destroyOnHidden>
      {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
      {loading && !record ? <Spin className="page-spin" /> : null}
      {own && recordId && !record ? <Alert type="warning" showIcon title="该信用记录不在本主体的信用档案中" className="table-alert" /> : null}
      {record ? (
        <>
          {ownBlockers.length > 0 ? (
            <Alert
              type="info"
              showIcon
              className="drawer-section"
              title={ownBlockers.length === 1 ? ownBlockers[0] : '以下办理事项暂不可用'}
              description={ownBlockers.length > 1 ? <ul className="form-banner-list">{ownBlockers.map((b) => <li key={b}>{b}</li>)}</ul> : undefined}
            />
          ) : null}
          <Descriptions size="small" column={2} bordered className="drawer-section" aria-label="信用记录详情">
            <Descriptions.Item label="信用主体" span={2}>
              {record.subjectName}
              <Typography.Text type="secondary">（{labelOf(SUBJECT_KIND_LABELS, record.subjectKind)}）</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={record.subjectKind === 'organisation' ? '统一社会信用代码' : '身份证号'}>
              <span className="mono">{record.uscc ?? record.idNumberMasked ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label="参与角色">{labelOf(ROLE_LABELS, record.role)}</Descriptions.Item>
            <Descriptions.Item label="记录类型">{labelOf(RECORD_TYPE_LABELS, record.type)}</Descriptions.Item>
            <Descriptions.Item label="严重程度">
              <SeverityTag severity={record.severity} />
            </Descriptions.Item>
            <Descriptions.Item label="记录状态">
              <StatusTag status={record.status} />
            </Descriptions.Item>
            <Descriptions.Item label="不可修复情形">{record.notRepairableReason ? labelOf(NOT_REPAIRABLE_LABELS, record.notRepairableReason) : '无'}</Descriptions.Item>
            <Descriptions.Item label="事实" span={2}>
              <span className="pre-wrap">{record.facts}</span>
            </Descriptions.Item>
            <Descriptions.Item label="认定依据" span={2}>
              <span className="pre-wrap">{record.legalBasis}</span>
            </Descriptions.Item>
            <Descriptions.Item label="认定部门">{record.sourceDepartment}</Descriptions.Item>
            <Descriptions.Item label="发布区划">{record.regionName}</Descriptions.Item>
            <Descriptions.Item label="决定文号">{record.decisionNumber}</Descriptions.Item>
            <Descriptions.Item label="决定日期">{record.decisionDate}</Descriptions.Item>
            <Descriptions.Item label="有效期">
              {record.effectiveFrom} 至 {record.effectiveTo ?? '长期'}
            </Descriptions.Item>
            <Descriptions.Item label="公示期">
              {record.disclosureTo ? `${record.decisionDate} 至 ${record.disclosureTo}（${record.disclosureMonths} 个月）` : '不公示'}
            </Descriptions.Item>
            <Descriptions.Item label="异议期限">{record.objectionDeadline} 前（含当日）</Descriptions.Item>
            <Descriptions.Item label="登记时间">{formatDateTime(record.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="证据材料" span={2}>
              <EvidenceList items={record.evidence} />
            </Descriptions.Item>
          </Descriptions>

          <Typography.Title level={5}>禁止参与</Typography.Title>
          {record.ban ? (
            <Alert
              className="drawer-section"
              type={record.status === 'revoked' || record.status === 'repaired' ? 'info' : 'error'}
              showIcon
              title={banText(record.ban, reference.categoryName)}
              description={
                record.status === 'revoked' || record.status === 'repaired'
                  ? `记录${record.status === 'revoked' ? '已撤销' : '已修复'}，禁止参与不再生效`
                  : `依据：${record.legalBasis}`
              }
            />
          ) : (
            <Typography.Paragraph type="secondary">未设定禁止参与</Typography.Paragraph>
          )}

          <Typography.Title level={5}>异议</Typography.Title>
          {history && history.objections.length > 0 ? (
            history.objections.map((o) => (
              <Card key={o.id} size="small" className="drawer-card" title={<Tag color={OBJECTION_STATUS_COLORS[o.status]}>{objectionLabels[o.status]}</Tag>} extra={o.overdue ? <Tag color="red">逾期未处理</Tag> : null}>
                <Timeline
                  titleSpan={6}
                  items={[
                    {
                      color: 'blue',
                      title: formatDateTime(o.filedAt),
                      content: (
                        <>
                          <div>{own ? (o.filedBy === own.accountId ? `本账号以 ${o.onBehalfOf} 名义提出异议` : `经办人员代 ${o.onBehalfOf} 提出异议`) : `${o.filedByName ?? '—'} 代 ${o.onBehalfOf} 提出异议`}</div>
                          <div className="pre-wrap">理由：{o.reason}</div>
                          {o.evidence.length > 0 ? <EvidenceList items={o.evidence} /> : null}
                        </>
                      ),
                    },
                    o.status === 'pending'
                      ? { color: o.overdue ? 'red' : 'gray', title: `应于 ${o.dueOn} 前处理`, content: objectionLabels.pending }
                      : {
                          color: o.status === 'upheld' ? 'green' : 'gray',
                          title: formatDateTime(o.decidedAt),
                          content: (
                            <>
                              <div>
                                {own ? '处理结果' : `${o.decidedByName ?? '—'} 处理`}：{objectionLabels[o.status]}
                                {o.status === 'upheld' ? '，记录撤销' : '，记录维持'}
                              </div>
                              <div className="pre-wrap">理由：{o.decisionReason}</div>
                            </>
                          ),
                        },
                  ]}
                />
              </Card>
            ))
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无异议" />
          )}

          <Typography.Title level={5}>信用修复</Typography.Title>
          {history && history.repairs.length > 0 ? (
            history.repairs.map((r) => (
              <Card key={r.id} size="small" className="drawer-card" title={<Tag color={REPAIR_STATUS_COLORS[r.status]}>{REPAIR_STATUS_LABELS[r.status]}</Tag>}>
                <Timeline
                  titleSpan={6}
                  items={[
                    {
                      color: 'blue',
                      title: formatDateTime(r.requestedAt),
                      content: (
                        <>
                          <div>{own ? (r.requestedBy === own.accountId ? '本账号申请修复' : '经办人员代本主体申请修复') : `${r.requestedByName ?? '—'} 代信用主体申请修复`}</div>
                          <div className="pre-wrap">履行义务情况：{r.obligations}</div>
                          <div className="pre-wrap">信用承诺：{r.commitment.text}</div>
                          <EvidenceList items={r.evidence} />
                        </>
                      ),
                    },
                    r.status === 'pending'
                      ? { color: 'gray', title: '待审核', content: '等待信用修复审核' }
                      : {
                          color: r.status === 'approved' ? 'green' : 'gray',
                          title: formatDateTime(r.decidedAt),
                          content: (
                            <>
                              <div>
                                {own ? '审核结果' : `${r.decidedByName ?? '—'} 审核`}：{REPAIR_STATUS_LABELS[r.status]}
                                {r.status === 'approved' ? '，记录已修复、停止公示' : ''}
                              </div>
                              <div className="pre-wrap">理由：{r.decisionReason}</div>
                            </>
                          ),
                        },
                  ]}
                />
              </Card>
            ))
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无修复申请" />
          )}

          <ObjectionDialog record={record} own={own !== undefined} open={dialog === 'objection'} onClose={() => setDialog(null)} onFiled={() => changed('异议已提交，记录进入异议处理')} />
          <RepairDialog record={record} own={own !== undefined} open={dialog === 'repair'} onClose={() => setDialog(null)} onRequested={() => changed('修复申请已提交，等待审核')} />
        </>
      ) : null}
    </Drawer>
  );
}
