// 交易全过程 of one project, read-only: for supervisors, centre staff and the parties (bidders see
// bidder-related events without their content until the opening).
import { Button, Card, Result, Spin } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { DealTimeline } from '../trading/DealTimeline';
import { useProject } from '../trading/hooks';
import { LotsTable, ProjectFacts } from '../trading/ProjectSummary';
import { formatDealCode } from '../trading/shared';

export const DEAL_READERS = ['trading.deal.read', 'trading.tender.manage', 'trading.bid.submit'] as const;

export default function DealTimelinePage() {
  const { id } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const allowed = DEAL_READERS.some((p) => can(p));
  const { project, timeline, error, reload } = useProject(allowed ? id : undefined);

  if (!allowed) return <Result status="403" title="无权访问" subTitle="您的账号没有查看交易项目的权限。" />;
  if (error && !project) return <Result status="warning" title={error} extra={<Button onClick={() => void navigate(-1)}>返回</Button>} />;
  if (!project) return <Spin className="page-spin" />;

  return (
    <>
      <PageHeader
        title="交易全过程"
        description={`${project.name} · 统一交易标识码 ${formatDealCode(timeline.dealCode)}`}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)}>
              返回
            </Button>{' '}
            <Button icon={<ReloadOutlined />} onClick={reload}>
              刷新
            </Button>
          </>
        }
      />
      <ProjectFacts project={project} />
      <Card size="small" title="标段" className="section-card">
        <LotsTable lots={project.lots} withNotice={project.schedule.bidDeadline !== null} />
      </Card>
      <Card size="small" title={`事件记录（共 ${timeline.events.length} 条）`} className="section-card">
        <DealTimeline events={timeline.events} />
      </Card>
    </>
  );
}
