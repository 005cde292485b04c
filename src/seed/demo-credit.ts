// Demo credit records (`ggzy seed --demo`): two records issued by the 太原市住房和城乡建设局 for
// demo entities identified by the valid sample USCCs of DOMAIN.md §2 (there is no entity registry
// yet) — a serious collusion record with a ban on construction and procurement deals in 太原市,
// decided ten days before seeding so that its objection period is still open, and an ordinary
// record decided four months before, so that repair may already be asked. Dates follow the day
// of seeding; a record already present (same subject and decision number) is left alone.

import type { AuditContext } from '../platform/audit/audit.ts';
import type { Deps } from '../platform/deps.ts';
import type { RecordInput } from '../modules/credit/credit.checks.ts';
import { addDays, addMonths, chinaDate } from '../modules/credit/credit.rules.ts';
import { createRecordDirect, hasRecordWithDecision } from '../modules/credit/credit.service.ts';

const DEPARTMENT = '太原市住房和城乡建设局';

export function demoCreditRecords(today: string): (RecordInput & { uscc: string })[] {
  const serious = addDays(today, -10);
  const ordinary = addMonths(today, -4);
  return [
    {
      subjectKind: 'organisation',
      uscc: '91140100MA0K123488',
      subjectName: '山西晋诚示范建设工程有限公司',
      role: 'bidder',
      type: 'violation',
      severity: 'serious',
      title: '与其他投标人串通投标',
      facts: '在太原市某道路改造工程施工招标中，与另两家投标人的投标文件由同一单位编制，投标报价呈规律性差异，经调查认定为串通投标。',
      legalBasis: '《中华人民共和国招标投标法》第五十三条；《中华人民共和国招标投标法实施条例》第四十条',
      sourceDepartment: DEPARTMENT,
      regionCode: '140100',
      decisionNumber: '并建罚〔演示〕1号',
      decisionDate: serious,
      effectiveFrom: serious,
      disclosureMonths: 36,
      ban: { categories: ['construction', 'government_procurement'], regionCode: '140100', from: serious, to: addDays(addMonths(serious, 24), -1) },
      notRepairableReason: 'collusion',
    },
    {
      subjectKind: 'organisation',
      uscc: '91350100M000100Y43',
      subjectName: '闽晋示范工程咨询有限公司',
      role: 'agency',
      type: 'violation',
      severity: 'ordinary',
      title: '未按规定保存招标代理档案',
      facts: '代理太原市某学校设备采购项目时，未按规定保存评标记录等招标代理档案，经责令改正后已整改。',
      legalBasis: '《中华人民共和国招标投标法实施条例》第六十五条',
      sourceDepartment: DEPARTMENT,
      regionCode: '140100',
      decisionNumber: '并建罚〔演示〕2号',
      decisionDate: ordinary,
      effectiveFrom: ordinary,
      disclosureMonths: 12,
    },
  ];
}

export async function seedDemoCredit(deps: Deps, audit: AuditContext): Promise<number> {
  let created = 0;
  for (const record of demoCreditRecords(chinaDate(audit.at))) {
    if (await hasRecordWithDecision(deps, record.uscc, record.decisionNumber)) continue;
    await createRecordDirect(deps, record, audit);
    created++;
  }
  return created;
}
