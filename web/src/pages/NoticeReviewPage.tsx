// 公告审核: tender notices and documents submitted for review. Approval publishes the notice and
// the documents and opens bidding on every lot; rejection sends them back with a reason.
import { api } from '../api';
import { PageHeader } from '../components/PageHeader';
import type { TenderProject } from '../types';
import { StaffQueue } from '../trading/StaffQueue';

export default function NoticeReviewPage() {
  return (
    <>
      <PageHeader title="公告审核" description="已受理项目提交的招标公告、进度安排、评标办法与招标文件。审核通过即发布公告和招标文件、开始投标；进度安排在发布时按当前时间再次校验。" />
      <StaffQueue
        status="notice_review"
        empty="暂无待审核的招标公告"
        withNotice
        approveText="审核通过并发布"
        rejectText="退回"
        rejectTitle="退回招标公告"
        approve={(p) => api.post<TenderProject>(`/api/v1/trading/projects/${p.id}/notice/review`, { outcome: 'approved' })}
        reject={(p, reason) => api.post<TenderProject>(`/api/v1/trading/projects/${p.id}/notice/review`, { outcome: 'rejected', reason })}
        approved={(p) => ({ notice: `已发布：${p.name}` })}
      />
    </>
  );
}
