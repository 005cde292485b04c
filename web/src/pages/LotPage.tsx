// 标段 after the opening, for everyone allowed to read the deal: the evaluation (centre staff draw
// and confirm the panel, start the evaluation, watch the scores, make the report), the candidates'
// publicity and objections, the award and the contract. Each reader sees its own part: staff the
// panel and the report; the tenderer's side the report once made, and its steps; bidders the
// candidates, the objection form and — the winner — its award notice.
import { useEffect } from 'react';
import { Alert, Button, Descriptions, Result, Space, Spin } from 'antd';
import { ArrowLeftOutlined, HistoryOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useAuth, useMe } from '../auth';
import { formatDateTime } from '../format';
import { PageHeader } from '../components/PageHeader';
import { AwardForm, AwardView, ContractForm, ContractView } from '../evaluation/AwardCard';
import { CandidatesView, PublishCandidates } from '../evaluation/CandidatesCard';
import { DemoClock } from '../evaluation/DemoClock';
import { EvaluationCard } from '../evaluation/EvaluationCard';
import { SecurityDecisionCard } from '../evaluation/SecurityDecisionCard';
import { PanelCard } from '../evaluation/PanelCard';
import { codeText, LotStatusTag, publicityOverAt, useLotSteps, type LotSteps } from '../evaluation/shared';

const READERS = ['trading.deal.read', 'trading.tender.manage', 'trading.bid.submit'] as const;
/** Lot states after the opening's decryption ended: the opening's 撤销 bids are known. */
const AFTER_OPENING = new Set(['opened', 'evaluating', 'evaluated', 'publicity', 'awarded', 'contracted', 'closed', 'failed']);

/** Where the demo clock should go next for the lot's state, if anywhere. */
function clockSuggestion(steps: LotSteps): { to: string; why: string } | null {
  if (steps.candidates && !steps.award) return { to: publicityOverAt(steps.candidates.publicityUntil).toISOString(), why: '快进到公示期满，即可定标' };
  return null;
}

export default function LotPage() {
  const { id } = useParams();
  const me = useMe();
  const { can } = useAuth();
  const navigate = useNavigate();
  const allowed = READERS.some((p) => can(p));
  const steps = useLotSteps(allowed ? id : undefined);
  const { project, evaluation, candidates, award, contract, reload } = steps;
  const lot = project?.lots.find((l) => l.id === id);
  const staff = me.entity === null;
  const organiser = staff && can('trading.evaluation.manage');
  const entityId = me.entity?.id ?? null;
  const party = entityId !== null && project !== null && [project.tendererEntityId, project.agencyEntityId, project.ownerEntityId].includes(entityId) && can('trading.tender.manage');
  const bidder = entityId !== null && !party && can('trading.bid.submit');
  const winner = award !== null && entityId === award.winnerEntityId;

  // Staff watch the members confirm their scores without pressing 刷新.
  const watching = organiser && lot?.status === 'evaluating';
  useEffect(() => {
    if (!watching) return;
    const timer = window.setInterval(reload, 5_000);
    return () => window.clearInterval(timer);
  }, [watching, reload]);

  if (!allowed) return <Result status="403" title="无权访问" subTitle="您的账号没有查看交易项目的权限。" />;
  if (steps.error && !project) return <Result status="warning" title={steps.error} extra={<Button onClick={() => void navigate(-1)}>返回</Button>} />;
  if (!project || !lot) return <Spin className="page-spin" />;

  const names = new Map((candidates?.candidates ?? []).map((c) => [c.bidderEntityId, c.bidderName]));
  const publicityOpen = candidates !== null && lot.status === 'publicity' && Date.parse(project.dealNow) < publicityOverAt(candidates.publicityUntil).getTime();

  return (
    <>
      <PageHeader
        title={`${project.name} · ${lot.name}`}
        description="开标后的评标、中标候选人公示、定标与合同"
        extra={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)}>
              返回
            </Button>
            <Link to={`/trading/timeline/${project.id}`}>
              <Button icon={<HistoryOutlined />}>交易全过程</Button>
            </Link>
            {can('trading.project.accept') && staff ? <DemoClock projectId={project.id} dealNow={project.dealNow} suggestion={clockSuggestion(steps)} onMoved={reload} /> : null}
            <Button icon={<ReloadOutlined />} onClick={reload} loading={steps.loading}>
              刷新
            </Button>
          </Space>
        }
      />
      {steps.error ? <Alert type="error" showIcon title={steps.error} className="table-alert" /> : null}
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} className="section-card" aria-label="标段信息">
        <Descriptions.Item label="统一交易标识码">
          <span className="mono">{codeText(project.dealCode)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="标段编号">
          <span className="mono">{codeText(lot.lotCode)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="标段状态">
          <LotStatusTag status={lot.status} name={lot.statusName} />
          {lot.statusReason ? lot.statusReason : null}
        </Descriptions.Item>
        <Descriptions.Item label="估算价">{`${lot.estimatedPrice} 元`}</Descriptions.Item>
        <Descriptions.Item label="交易时间">{formatDateTime(project.dealNow)}</Descriptions.Item>
        <Descriptions.Item label="行政监督部门">{project.supervisingDepartment}</Descriptions.Item>
      </Descriptions>

      {organiser && (evaluation !== null || lot.status === 'opened') ? <PanelCard lotId={lot.id} evaluation={evaluation} dealNow={project.dealNow} onChanged={reload} /> : null}
      {evaluation && (evaluation.startedAt || evaluation.report) ? <EvaluationCard lotId={lot.id} evaluation={evaluation} staff={organiser} canDownload={staff || (party && award !== null)} onChanged={reload} /> : null}
      {party && evaluation && lot.status === 'evaluated' && evaluation.outcome === 'ok' ? <PublishCandidates lotId={lot.id} evaluation={evaluation} dealNow={project.dealNow} onChanged={reload} /> : null}
      {candidates ? <CandidatesView lotId={lot.id} candidates={candidates} owner={party} bidder={bidder} open={publicityOpen} onChanged={reload} /> : null}
      {party && candidates && evaluation && lot.status === 'publicity' && !award ? <AwardForm lotId={lot.id} candidates={candidates} evaluation={evaluation} dealNow={project.dealNow} onChanged={reload} /> : null}
      {award ? <AwardView lotId={lot.id} award={award} canDownload={staff || party || winner} /> : null}
      {party && award && lot.status === 'awarded' && !contract ? <ContractForm lotId={lot.id} award={award} dealNow={project.dealNow} onChanged={reload} /> : null}
      {contract ? <ContractView contract={contract} names={names} /> : null}
      {AFTER_OPENING.has(lot.status) ? <SecurityDecisionCard lotId={lot.id} owner={entityId !== null && entityId === project.ownerEntityId} /> : null}
      {!evaluation && !candidates && !award && !(organiser && lot.status === 'opened') ? <Alert type="info" showIcon title={`本标段当前为「${lot.statusName}」，暂无评标及定标信息`} /> : null}
    </>
  );
}
