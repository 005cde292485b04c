// The lots past their opening: centre staff's 评标组织 queue (lots to draw, evaluate and report),
// and the market entities' 评标结果与定标 list (their own projects' lots, and the published
// results of the others). Read from the project list, whose scope is the server's.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Segmented, Table, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
import { useMe } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { AFTER_OPENING, codeText, LotStatusTag } from '../evaluation/shared';
import type { LotStatus, LotSummary, ProjectSummary } from '../evaluation/types';

interface Row {
  key: string;
  project: ProjectSummary;
  lot: LotSummary;
  mine: boolean;
}

const TO_DO: Record<'staff' | 'entity', ReadonlySet<LotStatus>> = {
  staff: new Set(['opened', 'evaluating']),
  entity: new Set(['evaluated', 'publicity', 'awarded']),
};

/** Lots whose results are public to any reader (the candidates' publicity and after). */
const PUBLIC: ReadonlySet<LotStatus> = new Set(['publicity', 'awarded', 'contracted', 'closed']);

export default function LotsAfterOpeningPage({ mode }: { mode: 'staff' | 'entity' }) {
  const me = useMe();
  const [projects, setProjects] = useState<ProjectSummary[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [filter, setFilter] = useState<'todo' | 'all'>('todo');

  useEffect(() => {
    let live = true;
    setLoading(true);
    (async () => {
      const all: ProjectSummary[] = [];
      for (let page = 1; page <= 20; page++) {
        const answer = await api.get<{ items: ProjectSummary[]; total: number }>('/api/v1/trading/projects', { page, pageSize: 100 });
        all.push(...answer.items);
        if (answer.items.length === 0 || all.length >= answer.total) break;
      }
      return all;
    })()
      .then((all) => {
        if (!live) return;
        setProjects(all);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (live) setError(errorText(cause));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [tick]);

  const rows = useMemo(() => {
    const entityId = me.entity?.id ?? null;
    const out: Row[] = [];
    for (const project of projects) {
      const mine = entityId !== null && [project.tendererEntityId, project.agencyEntityId, project.ownerEntityId].includes(entityId);
      for (const lot of project.lots) {
        if (!AFTER_OPENING.has(lot.status)) continue;
        if (mode === 'entity' && !mine && !PUBLIC.has(lot.status)) continue;
        // A bidder's 待办: publicities it may object to and awards it may have won.
        const todo = mode === 'staff' || mine ? TO_DO[mode].has(lot.status) : lot.status === 'publicity' || lot.status === 'awarded';
        if (filter === 'todo' && !todo) continue;
        out.push({ key: lot.id, project, lot, mine });
      }
    }
    return out;
  }, [projects, me.entity, mode, filter]);

  const columns: TableColumnsType<Row> = [
    { title: '项目名称', key: 'project', render: (_, r) => r.project.name },
    { title: '标段', key: 'lot', width: 160, render: (_, r) => r.lot.name },
    { title: '标段编号', key: 'code', width: 340, render: (_, r) => <span className="mono">{codeText(r.lot.lotCode)}</span> },
    { title: '状态', key: 'status', width: 150, render: (_, r) => <LotStatusTag status={r.lot.status} name={r.lot.statusName} /> },
    ...(mode === 'entity' ? [{ title: '本主体', key: 'mine', width: 90, render: (_: unknown, r: Row) => (r.mine ? '招标人' : '—') }] : []),
    {
      title: '操作',
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, r) => (
        <Link to={`/trading/lots/${r.lot.id}`} aria-label={`进入 ${r.project.name} ${r.lot.name}`}>
          进入
        </Link>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={mode === 'staff' ? '评标组织' : '评标结果与定标'}
        description={
          mode === 'staff'
            ? '已开标的标段：抽取评标专家、登记应答并确认名单、开始评标、查看评分确认情况并生成评标报告。'
            : '本主体招标项目的评标报告、中标候选人公示、定标与合同登记，以及已公示的评标结果。'
        }
      />
      <Card>
        <div className="filter-bar">
          <Segmented
            value={filter}
            onChange={(v) => setFilter(v as 'todo' | 'all')}
            options={[
              { value: 'todo', label: '待办' },
              { value: 'all', label: '全部' },
            ]}
          />
          <Button icon={<ReloadOutlined />} onClick={() => setTick((t) => t + 1)}>
            刷新
          </Button>
        </div>
        {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
        <Table<Row> rowKey="key" size="middle" loading={loading} columns={columns} dataSource={rows} scroll={{ x: 1000 }} locale={{ emptyText: filter === 'todo' ? '暂无待办的标段' : '暂无开标后的标段' }} />
      </Card>
    </>
  );
}
