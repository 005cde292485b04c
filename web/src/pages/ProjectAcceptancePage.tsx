// 项目受理: submitted tender projects in the staff member's region. Accepting issues the unified
// deal code and each lot's code (shown at once); returning needs a reason.
import { Descriptions } from 'antd';
import { api } from '../api';
import { PageHeader } from '../components/PageHeader';
import type { TenderProject } from '../types';
import { StaffQueue } from '../trading/StaffQueue';
import { formatDealCode } from '../trading/shared';

export default function ProjectAcceptancePage() {
  return (
    <>
      <PageHeader title="项目受理" description="招标人或代理机构提交的工程建设招标项目，按提交时间排列。受理即赋统一交易标识码及标段编码；不予受理的退回并写明原因。" />
      <StaffQueue
        status="submitted"
        empty="暂无待受理的项目"
        withNotice={false}
        approveText="受理"
        rejectText="退回"
        rejectTitle="退回项目登记"
        approve={(p) => api.post<TenderProject>(`/api/v1/trading/projects/${p.id}/accept`)}
        reject={(p, reason) => api.post<TenderProject>(`/api/v1/trading/projects/${p.id}/return`, { reason })}
        approved={(p) => ({
          notice: `已受理：${p.name}`,
          details: (
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label="统一交易标识码">
                <span className="mono deal-code">{formatDealCode(p.dealCode)}</span>
              </Descriptions.Item>
              {p.lots.map((l) => (
                <Descriptions.Item key={l.id} label={`标段 ${l.lotNo}：${l.name}`}>
                  <span className="mono">{formatDealCode(l.lotCode)}</span>
                </Descriptions.Item>
              ))}
            </Descriptions>
          ),
        })}
      />
    </>
  );
}
