// A tender project at a glance: registration facts, the schedule once set, and the lots with
// their codes, estimates, bid securities and evaluation methods.
import { Descriptions, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { regionName } from '../registry/shared';
import type { EvaluationMethodConfig, TenderLot, TenderProject } from '../types';
import { cst, formatDealCode, LOT_KIND_LABELS, ProjectStatusTag } from './shared';

/** One line on a lot's evaluation method. */
export function methodSummary(m: EvaluationMethodConfig | null): string {
  if (!m) return '未设置';
  if (m.kind === 'lowest_evaluated_price') return `经评审的最低投标价法（合格性评审 ${m.passFail.length} 项）`;
  const sum = (list: { maxPoints: number }[]) => list.reduce((s, c) => s + c.maxPoints, 0);
  const formula = m.price.formula.kind === 'benchmark_mean' ? `基准价法，下浮 ${m.price.formula.downwardCoefficientPercent}%` : '最低价基准法';
  return `综合评估法：技术 ${sum(m.technical)} 分、商务 ${sum(m.commercial)} 分、价格 ${m.price.maxPoints} 分（${formula}）`;
}

export function LotsTable({ lots, withNotice }: { lots: TenderLot[]; withNotice: boolean }) {
  const columns: TableColumnsType<TenderLot> = [
    { title: '序号', dataIndex: 'lotNo', width: 60 },
    { title: '标段名称', dataIndex: 'name' },
    { title: '类型', dataIndex: 'kind', width: 80, render: (k: TenderLot['kind']) => LOT_KIND_LABELS[k] ?? k },
    { title: '估算价（元）', dataIndex: 'estimatedPrice', width: 150, align: 'right' },
    { title: '标段编号', dataIndex: 'lotCode', width: 330, render: (c: string | null) => (c ? <span className="mono">{formatDealCode(c)}</span> : <Typography.Text type="secondary">受理后赋码</Typography.Text>) },
    ...(withNotice
      ? ([
          { title: '投标保证金（元）', dataIndex: 'bidSecurity', width: 140, align: 'right' },
          { title: '评标办法', dataIndex: 'evaluationMethod', render: (m: EvaluationMethodConfig | null) => methodSummary(m) },
        ] as TableColumnsType<TenderLot>)
      : []),
    { title: '状态', dataIndex: 'statusName', width: 100, render: (n: string) => <Tag>{n}</Tag> },
  ];
  return <Table<TenderLot> rowKey="id" size="small" columns={columns} dataSource={lots} pagination={false} scroll={{ x: 900 }} />;
}

export function ProjectFacts({ project }: { project: TenderProject }) {
  const s = project.schedule;
  return (
    <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} className="section-card">
      <Descriptions.Item label="统一交易标识码">
        <span className="mono deal-code">{formatDealCode(project.dealCode)}</span>
      </Descriptions.Item>
      <Descriptions.Item label="状态">
        <ProjectStatusTag status={project.status} name={project.statusName} />
      </Descriptions.Item>
      <Descriptions.Item label="招标类别">{project.categoryName}</Descriptions.Item>
      <Descriptions.Item label="招标方式">{project.tenderMethodName}</Descriptions.Item>
      <Descriptions.Item label="所在地区">{`${regionName(project.regionCode)}（${project.regionCode}）`}</Descriptions.Item>
      <Descriptions.Item label="投资项目代码">
        <span className="mono">{project.investmentCode ?? '—'}</span>
      </Descriptions.Item>
      <Descriptions.Item label="行政监督部门">{project.supervisingDepartment}</Descriptions.Item>
      <Descriptions.Item label="资金来源">{project.fundingSource}</Descriptions.Item>
      <Descriptions.Item label="登记方式">{project.agencyEntityId ? '招标代理机构代理' : '招标人自行招标'}</Descriptions.Item>
      <Descriptions.Item label="登记时间">{cst(project.createdAt)}</Descriptions.Item>
      {s.bidDeadline ? (
        <>
          <Descriptions.Item label="招标文件获取期">{`${cst(s.documentsFrom)} 至 ${cst(s.documentsUntil)}`}</Descriptions.Item>
          <Descriptions.Item label="投标截止（开标）时间">{cst(s.bidDeadline)}</Descriptions.Item>
          <Descriptions.Item label="投标有效期">{s.bidValidityDays ? `${s.bidValidityDays} 日` : '—'}</Descriptions.Item>
          <Descriptions.Item label="解密时限">{s.decryptionMinutes ? `${s.decryptionMinutes} 分钟` : '—'}</Descriptions.Item>
        </>
      ) : null}
      {project.description ? (
        <Descriptions.Item label="项目概况" span={2}>
          <span className="pre-wrap">{project.description}</span>
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}
