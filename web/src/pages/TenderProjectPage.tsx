// One tender project of the entity: the registration (edit, submit for acceptance, withdraw, the
// return reason), then 招标公告与招标文件, the bidding period, and the deal's whole timeline.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Popconfirm, Result, Space, Spin, Tabs, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { PageHeader } from '../components/PageHeader';
import type { TenderProject } from '../types';
import { BiddingPanel } from '../trading/BiddingPanel';
import { DealTimeline } from '../trading/DealTimeline';
import { useIsAgency, useProject } from '../trading/hooks';
import { NoticeForm } from '../trading/NoticeForm';
import { ProjectFormModal } from '../trading/ProjectForm';
import { LotsTable, ProjectFacts } from '../trading/ProjectSummary';
import { formatDealCode } from '../trading/shared';

const NOTICE_STATES = new Set(['accepted', 'notice_review', 'bidding', 'after_deadline', 'finished']);
const BIDDING_STATES = new Set(['bidding', 'after_deadline', 'finished']);

function defaultTab(p: TenderProject): string {
  if (p.status === 'accepted' || p.status === 'notice_review') return 'notice';
  if (p.status === 'bidding') return 'bidding';
  return 'registration';
}

export default function TenderProjectPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { project, setProject, timeline, error, reload } = useProject(id);
  const agency = useIsAgency();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState<null | 'submit' | 'withdraw'>(null);
  const [tab, setTab] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    if (project && tab === null) setTab(defaultTab(project));
  }, [project, tab]);

  if (error && !project) return <Result status="warning" title={error} extra={<Button onClick={() => void navigate('/trading/projects')}>返回招标项目</Button>} />;
  if (!project) return <Spin className="page-spin" />;

  const step = async (what: 'submit' | 'withdraw') => {
    setBusy(what);
    setActionError(null);
    try {
      const p = await api.post<TenderProject>(`/api/v1/trading/projects/${project.id}/${what}`);
      setProject(p);
      void message.success(what === 'submit' ? '已提交交易中心受理' : '受理申请已撤回，可继续修改');
      reload();
    } catch (cause) {
      setActionError(errorText(cause));
    }
    setBusy(null);
  };

  const changed = (p: TenderProject) => {
    setProject(p);
    reload();
  };
  const editable = project.status === 'draft' || project.status === 'returned';

  const registration = (
    <>
      {project.status === 'returned' && project.statusReason ? <Alert type="warning" showIcon className="section-card" title="交易中心退回了项目登记" description={`退回原因：${project.statusReason}`} /> : null}
      {project.status === 'submitted' ? <Alert type="info" showIcon className="section-card" title="已提交，等待交易中心受理；受理前可撤回修改" /> : null}
      {actionError ? <Alert type="error" showIcon role="alert" className="section-card" title={actionError} closable={{ onClose: () => setActionError(null) }} /> : null}
      <ProjectFacts project={project} />
      <Card size="small" title="标段" className="section-card">
        <LotsTable lots={project.lots} withNotice={NOTICE_STATES.has(project.status)} />
      </Card>
      {editable || project.status === 'submitted' ? (
        <Card className="section-card sticky-actions">
          <Space wrap>
            {editable ? <Button onClick={() => setEditing(true)}>修改</Button> : null}
            {editable ? (
              <Popconfirm title="提交后受理完成前不能修改，确认提交受理？" okText="提交" cancelText="取消" onConfirm={() => void step('submit')}>
                <Button type="primary" loading={busy === 'submit'}>
                  提交受理
                </Button>
              </Popconfirm>
            ) : null}
            {project.status === 'submitted' ? (
              <Popconfirm title="撤回后可修改，需重新提交。确认撤回？" okText="撤回" cancelText="取消" onConfirm={() => void step('withdraw')}>
                <Button loading={busy === 'withdraw'}>撤回</Button>
              </Popconfirm>
            ) : null}
          </Space>
        </Card>
      ) : null}
    </>
  );

  const items = [
    { key: 'registration', label: '项目登记', children: registration },
    ...(NOTICE_STATES.has(project.status) ? [{ key: 'notice', label: '招标公告与招标文件', children: <NoticeForm project={project} events={timeline.events} onChanged={changed} /> }] : []),
    ...(BIDDING_STATES.has(project.status) ? [{ key: 'bidding', label: '投标期间', children: <BiddingPanel project={project} events={timeline.events} onChanged={reload} /> }] : []),
    { key: 'timeline', label: '交易全过程', children: <Card size="small"><DealTimeline events={timeline.events} /></Card> },
  ];

  return (
    <>
      <PageHeader
        title={project.name}
        description={
          <span>
            统一交易标识码 <Typography.Text className="mono" copyable={project.dealCode ? { text: formatDealCode(project.dealCode) } : false}>{formatDealCode(project.dealCode)}</Typography.Text> · {project.statusName}
          </span>
        }
        extra={
          <Space>
            <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/trading/projects')}>
              返回
            </Button>
            <Button icon={<ReloadOutlined />} onClick={reload}>
              刷新
            </Button>
          </Space>
        }
      />
      <Tabs activeKey={tab ?? 'registration'} onChange={setTab} items={items} destroyOnHidden={false} />
      <ProjectFormModal
        open={editing}
        project={project}
        agency={agency}
        onClose={() => setEditing(false)}
        onSaved={(p) => {
          void message.success('项目登记信息已保存');
          setEditing(false);
          changed(p);
        }}
      />
    </>
  );
}
