// Demo deals for the portal (part of `ggzy seed --demo`): tender projects in several cities, run
// through the real trading use cases — registered and submitted by the demo tenderer, accepted
// (deal code issued) by the province centre's demo staff, their notice, schedule and tender
// documents saved, submitted and approved — so that the portal, fed by the deal events those
// steps append, has real notices to show on a fresh `npm start`. One deal also gets a
// clarification (a change notice), one stays accepted without a notice. A project whose name
// the tenderer already has is left alone, so seeding twice adds nothing.

import crypto from 'node:crypto';
import type { AuditContext } from '../platform/audit/audit.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { chinaDate, firstWorkingDayFrom, periodEnd, addDays } from '../platform/calendar/china-calendar.ts';
import type { Deps } from '../platform/deps.ts';
import { findAccountByUsername } from '../modules/identity/identity.repository.ts';
import { findOrganisation } from '../modules/org/org.repository.ts';
import { principalGrants } from '../modules/org/org.roles.ts';
import { entityFacts } from '../modules/registry/registry.facts.ts';
import type { Actor } from '../modules/trading/trading.access.ts';
import { issueClarification } from '../modules/trading/trading.bidding.ts';
import { reviewNotice, saveNotice, submitNotice, uploadDocuments } from '../modules/trading/trading.notice.ts';
import { acceptProject, registerProject, submitProject } from '../modules/trading/trading.projects.ts';
import { listProjects } from '../modules/trading/trading.read.ts';

interface DemoDeal {
  name: string;
  regionCode: string;
  supervisingDepartment: string;
  description: string;
  lots: { name: string; estimatedPrice: string }[];
  /** How far the seed takes it. */
  until: 'accepted' | 'published' | 'clarified';
}

export const DEMO_PORTAL_DEALS: DemoDeal[] = [
  { name: '太原市小店区学府街综合改造工程', regionCode: '140105', supervisingDepartment: '太原市小店区住房和城乡建设局', description: '学府街（长治路至坞城路）道路、排水及照明综合改造', lots: [{ name: '第一标段（道路工程）', estimatedPrice: '18600000.00' }, { name: '第二标段（排水工程）', estimatedPrice: '5200000.00' }], until: 'clarified' },
  { name: '大同市平城区御河东路桥梁维修加固工程', regionCode: '140213', supervisingDepartment: '大同市平城区住房和城乡建设局', description: '御河东路三座中桥的上部结构加固及桥面系维修', lots: [{ name: '施工标段', estimatedPrice: '9300000.00' }], until: 'published' },
  { name: '长治市潞州区老旧小区改造工程（二期）', regionCode: '140403', supervisingDepartment: '长治市潞州区住房和城乡建设局', description: '12 个老旧小区的屋面防水、外墙保温、管网更新和适老化改造', lots: [{ name: '第一标段', estimatedPrice: '12800000.00' }, { name: '第二标段', estimatedPrice: '11400000.00' }], until: 'published' },
  { name: '晋中市榆次区乡村振兴道路提质工程', regionCode: '140702', supervisingDepartment: '晋中市榆次区交通运输局', description: '乡村道路 26.4 公里的路面提质及安全生命防护设施', lots: [{ name: '施工标段', estimatedPrice: '7650000.00' }], until: 'published' },
  { name: '运城市盐湖区第三中学教学楼建设工程', regionCode: '140802', supervisingDepartment: '运城市盐湖区住房和城乡建设局', description: '新建教学楼一栋，建筑面积 9,860 平方米', lots: [{ name: '施工总承包标段', estimatedPrice: '31200000.00' }], until: 'published' },
  { name: '临汾市尧都区城市供水管网改造工程', regionCode: '141002', supervisingDepartment: '临汾市尧都区住房和城乡建设局', description: '城区老旧供水管网 18 公里更新改造', lots: [{ name: '施工标段', estimatedPrice: '14500000.00' }], until: 'accepted' },
];

/** 技术 60, 商务 10, 价格 30: the evaluation method the demo lots use. */
const METHOD = {
  kind: 'comprehensive',
  technical: [
    { id: 't1', name: '施工组织设计', maxPoints: 40 },
    { id: 't2', name: '项目管理机构', maxPoints: 20 },
  ],
  commercial: [{ id: 'c1', name: '企业业绩', maxPoints: 10 }],
  price: { id: 'price', name: '投标报价', maxPoints: 30, formula: { kind: 'benchmark_mean', downwardCoefficientPercent: 2, trimExtremes: true, deductPerPercentAbove: 1, deductPerPercentBelow: 0.5 } },
};

/** The seed acting as a demo account, with that account's grants (no session: the seed is not a request). */
async function actorOf(deps: Deps, username: string, now: Date): Promise<Actor> {
  const account = await findAccountByUsername(deps.db, username);
  if (!account) throw new Error(`demo account ${username} missing`);
  const { grants, adminClass } = await principalGrants(deps.db, account.id);
  const entity = account.entity_id ? await entityFacts(deps.db, account.entity_id) : undefined;
  const organisation = account.organisation_id ? await findOrganisation(deps.db, account.organisation_id) : undefined;
  const principal: Principal = {
    accountId: account.id,
    username: account.username,
    displayName: account.display_name,
    organisationId: account.organisation_id,
    entityId: account.entity_id,
    expertId: null,
    regionCode: entity?.region_code ?? organisation?.region_code ?? '140000',
    sessionId: 'seed-demo',
    stage: 'active',
    grants,
    adminClass,
    via: 'bearer',
    organisationName: entity?.name ?? organisation?.name ?? '',
    roles: [],
    mfaEnabled: false,
    passwordChangedAt: now,
    homeNode: null,
  };
  return { principal, clientIp: 'local', requestId: `seed-demo-${crypto.randomUUID()}`, userAgent: null, now };
}

const atCst = (day: string, time: string) => new Date(Date.parse(`${day}T${time}:00+08:00`));

/** A lawful schedule from the next working day: documents for 7 days, bids for 20, deadline on a working day. */
function scheduleFrom(now: Date) {
  const fromDay = firstWorkingDayFrom(addDays(chinaDate(now), 1)).date;
  return {
    documentsFrom: atCst(fromDay, '09:00').toISOString(),
    documentsUntil: atCst(periodEnd(fromDay, 7).date, '17:00').toISOString(),
    bidDeadline: atCst(firstWorkingDayFrom(periodEnd(fromDay, 21).date).date, '09:30').toISOString(),
    bidValidityDays: 90,
    decryptionMinutes: 60,
  };
}

function noticeBody(d: DemoDeal, tenderer: string, schedule: ReturnType<typeof scheduleFrom>): string {
  const day = (iso: string) => chinaDate(new Date(iso));
  return [
    '一、招标条件',
    `本招标项目${d.name}已由有关部门批准建设，招标人为${tenderer}，项目资金来源为财政资金，已落实。项目已具备招标条件，现对该项目进行公开招标。`,
    '二、项目概况与招标范围',
    `${d.description}。共划分 ${d.lots.length} 个标段：${d.lots.map((l) => l.name).join('、')}。`,
    '三、投标人资格要求',
    '投标人须具备相应施工总承包资质，并在山西省公共资源交易平台完成市场主体登记。',
    '四、招标文件的获取',
    `请于 ${day(schedule.documentsFrom)} 至 ${day(schedule.documentsUntil)} 登录工作台下载招标文件。`,
    '五、投标文件的递交',
    `投标截止时间（开标时间）为 ${day(schedule.bidDeadline)} 09:30，投标人应在截止时间前通过平台递交加密的投标文件。`,
  ].join('\n');
}

export async function seedDemoPortal(deps: Deps, audit: AuditContext): Promise<number> {
  const tenderer = await actorOf(deps, 'tenderer', audit.at);
  const centre = await actorOf(deps, 'staff', audit.at);
  const existing = new Set((await listProjects(deps, tenderer, { mine: true, page: 1, pageSize: 100 })).rows.map((r) => r.name));
  let created = 0;
  for (const d of DEMO_PORTAL_DEALS) {
    if (existing.has(d.name)) continue;
    const project = await registerProject(deps, tenderer, {
      name: d.name,
      category: 'construction_works',
      tenderMethod: 'open',
      regionCode: d.regionCode,
      supervisingDepartment: d.supervisingDepartment,
      fundingSource: '财政资金',
      description: d.description,
      lots: d.lots.map((l) => ({ name: l.name, kind: 'construction', estimatedPrice: l.estimatedPrice })),
    });
    await submitProject(deps, tenderer, project.id);
    const accepted = await acceptProject(deps, centre, project.id);
    created++;
    if (d.until === 'accepted') continue;
    const schedule = scheduleFrom(audit.at);
    await saveNotice(deps, tenderer, project.id, {
      title: `${d.name}施工招标公告`,
      body: noticeBody(d, tenderer.principal.organisationName, schedule),
      schedule,
      lots: accepted.lots.map((l) => ({ lotId: l.id, bidSecurity: '80000.00', evaluationMethod: METHOD })),
    });
    await uploadDocuments(deps, tenderer, project.id, Buffer.from(`%PDF-1.7\n${d.name} 招标文件（演示）\n%%EOF\n`), '招标文件.pdf', 'application/pdf');
    await submitNotice(deps, tenderer, project.id);
    await reviewNotice(deps, centre, project.id, { outcome: 'approved' });
    if (d.until === 'clarified') {
      await issueClarification(deps, tenderer, project.id, { title: `${d.name}第1号澄清`, body: '第一标段工程量清单第 3.2 项“沥青混凝土面层”厚度更正为 6 厘米，其余内容不变。' });
    }
  }
  return created;
}
