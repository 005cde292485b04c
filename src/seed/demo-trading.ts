// Demo parties of the tender procedure (part of `ggzy seed --demo`): a tenderer, an agency and
// three bidders, registered through the public registration use case and approved directly, so a
// person can walk a whole tender — register a project as `tenderer`, accept it as `ty_staff`,
// bid as `bidder1`…`bidder3` — without first reviewing five registrations. Entity accounts sign
// in without a second factor. Their passwords are public (README): never seed production.

import crypto from 'node:crypto';
import type { AuditContext } from '../platform/audit/audit.ts';
import type { Deps } from '../platform/deps.ts';
import { findAccountByUsername } from '../modules/identity/identity.repository.ts';
import { idNumberFor, usccFor } from '../modules/experts/experts.fixtures.ts';
import type { ProfileInputT } from '../modules/registry/registry.schemas.ts';
import type { EntityRole } from '../modules/registry/registry.rules.ts';
import { approveProfileDirect } from '../modules/registry/registry.seed.ts';
import { register } from '../modules/registry/registry.service.ts';

interface DemoParty {
  username: string;
  displayName: string;
  n: number;
  name: string;
  roles: EntityRole[];
  regionCode: string;
  manager: string;
}

export const DEMO_PARTIES: DemoParty[] = [
  { username: 'tenderer', displayName: '市政公司招标专员', n: 9101, name: '太原市政建设发展有限公司', roles: ['tenderer'], regionCode: '140105', manager: '' },
  { username: 'agency', displayName: '代理机构项目经理', n: 9102, name: '山西三晋工程招标代理有限公司', roles: ['agency'], regionCode: '140106', manager: '' },
  { username: 'bidder1', displayName: '龙城路桥投标专员', n: 9103, name: '山西龙城路桥工程有限公司', roles: ['bidder'], regionCode: '140105', manager: '张建军' },
  { username: 'bidder2', displayName: '汾河建工投标专员', n: 9104, name: '山西汾河建设工程集团有限公司', roles: ['bidder'], regionCode: '140109', manager: '李卫东' },
  { username: 'bidder3', displayName: '太行市政投标专员', n: 9105, name: '晋中太行市政工程有限公司', roles: ['bidder'], regionCode: '140702', manager: '王志刚' },
];

function profileOf(p: DemoParty): ProfileInputT {
  return {
    name: p.name,
    regionCode: p.regionCode,
    roles: p.roles,
    entityType: '有限责任公司',
    registeredCapitalWanYuan: 10_000,
    establishedOn: '2008-06-18',
    address: `山西省${p.regionCode.startsWith('1407') ? '晋中市' : '太原市'}演示路 ${p.n - 9000} 号`,
    legalRepresentative: { name: '演示法人', idNumber: idNumberFor(p.n) },
    contacts: [{ name: p.displayName.slice(0, 4), phone: `1390351${String(p.n).slice(-4)}`, email: `${p.username}@demo.ggzy.dev` }],
    bankAccount: { bankName: '中国建设银行太原分行营业部', accountName: p.name, number: `1405011000000${p.n}` },
    qualifications: p.roles.includes('bidder') ? [{ category: '市政公用工程施工总承包', grade: '一级', number: `D1140${p.n}`, issuer: '山西省住房和城乡建设厅', validFrom: '2024-01-01', validTo: '2029-12-31' }] : [],
    certificates: [],
    keyPersonnel: p.manager ? [{ name: p.manager, role: 'project_manager', idNumber: idNumberFor(p.n + 300), certificateKind: '一级注册建造师', certificateNumber: `晋114${p.n}`, certificateValidTo: '2029-12-31' }] : [],
  };
}

export async function seedDemoTrading(deps: Deps, password: string, audit: AuditContext): Promise<string[]> {
  const created: string[] = [];
  for (const p of DEMO_PARTIES) {
    if (await findAccountByUsername(deps.db, p.username)) continue;
    const uscc = usccFor(p.n);
    const r = await register(
      deps,
      { principal: null, clientIp: 'local', requestId: `seed-demo-${crypto.randomUUID()}`, userAgent: null, now: audit.at },
      { username: p.username, password, displayName: p.displayName, entity: { kind: 'organisation', uscc, name: p.name, regionCode: p.regionCode } },
    );
    await approveProfileDirect(deps, r.entityId, profileOf(p), audit);
    created.push(p.username);
  }
  return created;
}
