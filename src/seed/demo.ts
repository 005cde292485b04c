// Demo data (`ggzy seed --demo`, and `npm start`): the province trading centre, the 11 city
// centres, their supervision departments, and one account per role; on a city node only that
// city's centre, departments and staff (seedDemoCity). Demo accounts exist only
// when this runs. Their passwords and TOTP secrets are public (README): never seed a
// production database.

import { appendAudit, type AuditContext } from '../platform/audit/audit.ts';
import type { Deps } from '../platform/deps.ts';
import { cliAuditContext, createAccountDirect } from '../modules/identity/identity.bootstrap.ts';
import { findAccountByUsername } from '../modules/identity/identity.repository.ts';
import { ensureOrganisation, rootOrganisationOf } from '../modules/org/org.bootstrap.ts';
import { loadRegionTree } from '../modules/org/org.regions.ts';
import type { DataScope, Industry } from '../modules/org/org.tables.ts';
import { seedDemoRegistry } from './demo-registry.ts';
import { seedDemoPortal } from './demo-portal.ts';
import { seedDemoTrading } from './demo-trading.ts';

export const DEMO_PASSWORD = 'Demo@2026ggzy';
/** One shared base32 TOTP secret for every demo account (see README for reading codes). */
export const DEMO_TOTP_SECRET = 'GGZYDEMOTOTPSECRETKEY234GGZYDEMO';

const SUPERVISION: { suffix: string; industry: Industry }[] = [
  { suffix: '发展和改革委员会', industry: 'development_reform' },
  { suffix: '住房和城乡建设局', industry: 'housing_construction' },
  { suffix: '财政局', industry: 'finance' },
];

export interface DemoAccount {
  username: string;
  displayName: string;
  role: string;
  scope: DataScope;
  organisation: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'sysadmin', displayName: '省中心系统管理员', role: 'system_admin', scope: 'province', organisation: 'province' },
  { username: 'secadmin', displayName: '省中心安全管理员', role: 'security_admin', scope: 'province', organisation: 'province' },
  { username: 'auditadmin', displayName: '省中心审计管理员', role: 'audit_admin', scope: 'province', organisation: 'province' },
  { username: 'staff', displayName: '省中心业务人员', role: 'centre_staff', scope: 'province', organisation: 'province' },
  { username: 'ty_admin', displayName: '太原市中心系统管理员', role: 'system_admin', scope: 'region', organisation: '140100' },
  { username: 'ty_staff', displayName: '太原市中心业务人员', role: 'centre_staff', scope: 'region', organisation: '140100' },
  { username: 'dt_staff', displayName: '大同市中心业务人员', role: 'centre_staff', scope: 'region', organisation: '140200' },
  { username: 'supervisor', displayName: '太原市住建局监管人员', role: 'supervisor', scope: 'region', organisation: '140100:住房和城乡建设局' },
];

export async function seedDemo(deps: Deps): Promise<{ organisations: number; accounts: string[] }> {
  if (deps.config.nodeRole === 'city') return seedDemoCity(deps);
  const audit = cliAuditContext(deps.clock.now(), 'seed-demo');
  const regions = loadRegionTree();
  const ids = new Map<string, string>();
  let organisations = 0;

  const province = await ensureOrganisation(deps, rootOrganisationOf('140000'), audit);
  ids.set('province', province);
  organisations++;
  for (const s of SUPERVISION) {
    ids.set(`140000:${s.suffix}`, await ensureOrganisation(deps, { name: `山西省${s.suffix.replace('局', '厅')}`, kind: 'supervision', regionCode: '140000', industry: s.industry }, audit));
    organisations++;
  }
  await ensureOrganisation(deps, { name: '山西省审计厅', kind: 'audit', regionCode: '140000' }, audit);
  organisations++;

  for (const city of regions.childrenOf('140000')) {
    ids.set(city.code, await ensureOrganisation(deps, { ...rootOrganisationOf(city.code), parentId: province }, audit));
    organisations++;
    for (const s of SUPERVISION) {
      ids.set(`${city.code}:${s.suffix}`, await ensureOrganisation(deps, { name: `${city.name}${s.suffix}`, kind: 'supervision', regionCode: city.code, industry: s.industry }, audit));
      organisations++;
    }
  }

  const created = await seedDemoAccounts(deps, DEMO_ACCOUNTS, ids, audit);
  await (await import('./demo-credit.ts')).seedDemoCredit(deps, audit);
  created.push(...(await seedDemoRegistry(deps, DEMO_PASSWORD)));
  created.push(...(await seedDemoTrading(deps, DEMO_PASSWORD, audit)));
  // Tender deals in several cities, through the trading use cases: the portal's first content.
  await seedDemoPortal(deps, audit);
  if (created.length > 0) {
    await deps.db.transaction().execute((trx) => appendAudit(trx, audit, { action: 'system.seed_demo', detail: { accounts: created, organisations } }));
  }
  return { organisations, accounts: created };
}

async function seedDemoAccounts(deps: Deps, accounts: DemoAccount[], ids: Map<string, string>, audit: AuditContext): Promise<string[]> {
  const created: string[] = [];
  for (const a of accounts) {
    if (await findAccountByUsername(deps.db, a.username)) continue;
    const organisationId = ids.get(a.organisation);
    if (!organisationId) throw new Error(`demo organisation ${a.organisation} missing`);
    await createAccountDirect(
      deps,
      {
        username: a.username,
        displayName: a.displayName,
        password: DEMO_PASSWORD,
        organisationId,
        roles: [{ code: a.role, scope: a.scope }],
        mustChangePassword: false,
        totpSecret: DEMO_TOTP_SECRET,
      },
      audit,
    );
    created.push(a.username);
  }
  return created;
}

/**
 * A city node's demo data: its own centre, supervision departments and the demo staff of that
 * city (for 太原: ty_admin, ty_staff, supervisor). Nothing else: market entities, their credit
 * and the expert pool are the province's (they sign in and are drawn from there), and the city's
 * deals are made on the city by its users.
 */
async function seedDemoCity(deps: Deps): Promise<{ organisations: number; accounts: string[] }> {
  const audit = cliAuditContext(deps.clock.now(), 'seed-demo');
  const city = deps.config.regionCode;
  const name = loadRegionTree().get(city)?.name ?? city;
  const ids = new Map<string, string>([[city, await ensureOrganisation(deps, rootOrganisationOf(city), audit)]]);
  for (const s of SUPERVISION) ids.set(`${city}:${s.suffix}`, await ensureOrganisation(deps, { name: `${name}${s.suffix}`, kind: 'supervision', regionCode: city, industry: s.industry }, audit));
  const created = await seedDemoAccounts(deps, DEMO_ACCOUNTS.filter((a) => a.organisation === city || a.organisation.startsWith(`${city}:`)), ids, audit);
  if (created.length > 0) {
    await deps.db.transaction().execute((trx) => appendAudit(trx, audit, { action: 'system.seed_demo', detail: { accounts: created, organisations: ids.size } }));
  }
  return { organisations: ids.size, accounts: created };
}
