// 交易全过程: the deal's events in order with their Chinese labels, time (CST), actor and the key
// facts of each payload. Payloads hidden from the reader (bidders before the opening) are empty.
import { Descriptions, Empty, Tag, Timeline, Typography } from 'antd';
import { regionName } from '../registry/shared';
import type { DealEventItem } from '../types';
import { cst, formatDealCode, formatYuan, TENDER_CATEGORY_LABELS } from './shared';

const LABELS: Record<string, string> = {
  name: '名称',
  title: '标题',
  category: '招标类别',
  regionCode: '所在地区',
  lotNo: '标段序号',
  estimatedPriceFen: '估算价',
  registeredAt: '登记时间',
  submittedAt: '提交时间',
  bidDeadline: '投标截止',
  documentsFrom: '招标文件获取开始',
  documentsUntil: '招标文件获取截止',
  documents: '招标文件',
  number: '序号',
  deadlineBefore: '原投标截止',
  deadlineAfter: '投标截止',
  from: '原时间',
  to: '新时间',
  reason: '原因',
  replyDue: '答复期限',
  late: '是否逾期',
  pausedSince: '暂停起始',
  subject: '异议对象',
  sm3: 'SM3 摘要',
  kind: '公告类型',
};

/** Ids are not facts for a reader; the documents' digests and names are. */
const SKIPPED = new Set(['projectId', 'lotId', 'noticeId', 'documentId', 'objectionId', 'tendererEntityId', 'agencyEntityId', 'entityId']);
const INSTANTS = new Set(['registeredAt', 'submittedAt', 'bidDeadline', 'documentsFrom', 'documentsUntil', 'deadlineBefore', 'deadlineAfter', 'from', 'to', 'replyDue', 'pausedSince']);
const VALUE_NAMES: Record<string, Record<string, string>> = {
  category: TENDER_CATEGORY_LABELS,
  kind: { tender: '招标公告', amendment: '变更公告' },
  subject: { documents: '招标文件' },
};

function factValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (INSTANTS.has(key) && typeof value === 'string') return cst(value);
  if (key === 'estimatedPriceFen' && typeof value === 'number') return `${formatYuan(value)} 元`;
  if (key === 'regionCode' && typeof value === 'string') return `${regionName(value)}（${value}）`;
  if (key === 'documents' && Array.isArray(value)) {
    return value
      .map((d) => {
        const doc = d as { fileName?: string; size?: number; sm3?: string };
        return `${doc.fileName ?? ''}（${doc.size ?? 0} 字节，SM3 ${String(doc.sm3 ?? '').slice(0, 16)}…）`;
      })
      .join('；');
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (key === 'sm3' && typeof value === 'string') return `${value.slice(0, 16)}…`;
  const names = VALUE_NAMES[key];
  if (names && typeof value === 'string') return names[value] ?? value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function Facts({ event }: { event: DealEventItem }) {
  const keys = Object.keys(event.payload).filter((k) => !SKIPPED.has(k));
  // The deadline after a clarification is the same as before unless it moved: say it once.
  const shown = event.type === 'clarification_issued' && event.payload.deadlineAfter === event.payload.deadlineBefore ? keys.filter((k) => k !== 'deadlineBefore') : keys;
  if (shown.length === 0) return null;
  return (
    <Descriptions size="small" column={1} className="timeline-facts">
      {shown.map((k) => (
        <Descriptions.Item key={k} label={LABELS[k] ?? k}>
          {factValue(k, event.payload[k])}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export function DealTimeline({ events }: { events: DealEventItem[] }) {
  if (events.length === 0) return <Empty description="项目受理赋码后开始记录交易全过程" />;
  return (
    <Timeline
      items={events.map((e) => ({
        key: e.id,
        content: (
          <div className="timeline-event" data-event-type={e.type}>
            <Typography.Text strong>
              {e.seq}. {e.typeName}
            </Typography.Text>{' '}
            {e.lotCode ? <Tag className="mono">{formatDealCode(e.lotCode)}</Tag> : null}
            <div>
              <Typography.Text type="secondary">
                {cst(e.occurredAt)} · {e.actor?.name ?? '系统'}
              </Typography.Text>
            </div>
            <Facts event={e} />
          </div>
        ),
      }))}
    />
  );
}
