// The credit flow of the workbench, end to end in a real browser against the real server: the
// demo supervisor (太原市住建局) enters a serious violation with a ban for an entity, the
// participation check and the credit archive show the ban and its reason; a centre clerk files an
// objection on the subject's behalf from the record drawer (with an evidence file whose SM3 digest
// the browser computes); the supervisor upholds it, the record is revoked and the ban no longer
// blocks. Two browser contexts: both accounts stay signed in, each uses its own TOTP code once.
import crypto from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { button, choose, chooseMany, signIn } from './workbench.ts';

const SUPERVISOR = { username: 'supervisor', displayName: '太原市住建局监管人员' };
const CLERK = { username: 'ty_staff', displayName: '太原市中心业务人员' };

const SHOTS = fileURLToPath(new URL('../.tmp/e2e-shots', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** A valid GB 32100 code of a 太原市 enterprise, both check characters computed (DOMAIN.md §2). */
function usccOf(n: number): string {
  const org8 = String(n).padStart(8, '0');
  const orgSum = [...org8].reduce((s, c, i) => s + Number(c) * ORG_WEIGHTS[i]!, 0);
  const orgCheck = 11 - (orgSum % 11);
  const first17 = `91140100${org8}${orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck)}`;
  const sum = [...first17].reduce((s, c, i) => s + USCC_ALPHABET.indexOf(c) * USCC_WEIGHTS[i]!, 0);
  return first17 + USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

const sm3 = (bytes: Buffer) => crypto.createHash('sm3').update(bytes).digest('hex');

const cstToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** The value cell of a bordered Descriptions item, by its exact label. */
function described(scope: Locator, label: string): Locator {
  return scope.locator('th.ant-descriptions-item-label').filter({ hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::td[1]');
}

function menuItem(page: Page, name: string): Locator {
  return page.getByRole('menu', { name: '功能菜单' }).getByRole('menuitem', { name });
}

async function openScreen(page: Page, name: string, url: RegExp): Promise<void> {
  await menuItem(page, name).click();
  await expect(page).toHaveURL(url);
  await expect(page.getByRole('heading', { level: 4, name })).toBeVisible();
}

/** The participation check tab: subject, category, deal region (a district of 太原市), now. */
async function checkParticipation(page: Page, uscc: string): Promise<Locator> {
  await page.getByRole('tab', { name: '参与资格核验' }).click();
  const form = page.locator('form#creditParticipation');
  await form.getByLabel('核验主体代码', { exact: true }).fill(uscc);
  if (!(await form.locator('.ant-form-item').filter({ hasText: '交易类别' }).innerText()).includes('政府采购')) await choose(page, form, '交易类别', '政府采购');
  if (!(await form.locator('.ant-form-item').filter({ hasText: '交易所在区划' }).innerText()).includes('小店区')) await choose(page, form, '交易所在区划', '小店区（140105）', '小店');
  await button(form, '核验参与资格').click();
  return page.getByRole('tabpanel', { name: '参与资格核验' });
}

test('监管人员登记带禁止参与的严重失信记录；资格核验与信用档案显示禁止原因；异议提出并成立后记录撤销', async ({ page, browser }, testInfo) => {
  mkdirSync(SHOTS, { recursive: true });
  // A TOTP code is accepted once per account and step: a retry must not reuse the failed one's.

  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const uscc = usccOf(Math.floor(Math.random() * 1e8));
  const subject = `端到端示范建设有限公司${run}`;
  const title = `提供虚假业绩谋取中标${run}`;
  const today = cstToday();
  const banText = '禁止在山西省 太原市参与工程建设、政府采购';
  const decisionEvidence = Buffer.from(`行政处罚决定书 ${run}\n`, 'utf8');
  const objectionEvidence = Buffer.from(`业绩合同原件扫描 ${run}\n`, 'utf8');

  // The clerk works in a second browser context, so that both stay signed in.
  const clerkContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const clerk = await clerkContext.newPage();

  // 1. The supervisor signs in and enters the record with its ban.
  await signIn(page, SUPERVISOR.username, SUPERVISOR.displayName);
  await expect(menuItem(page, '异议处理')).toBeVisible();
  await expect(menuItem(page, '信用修复')).toBeVisible();
  await openScreen(page, '信用记录', /\/workbench\/credit\/records$/);
  await button(page, '登记信用记录').click();
  const dialog = page.getByRole('dialog', { name: '登记信用记录' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('主体名称', { exact: true }).fill(subject);
  await dialog.getByLabel('统一社会信用代码', { exact: true }).fill(uscc.toLowerCase());
  await expect(dialog.getByLabel('统一社会信用代码', { exact: true })).toHaveValue(uscc);
  await dialog.getByText('严重', { exact: true }).click();
  // The serious record's disclosure range and default come from the server's rules.
  await expect(dialog.getByText('严重失信公示 12–36 个月，默认 36 个月，自决定日期起算')).toBeVisible();
  await expect(dialog.getByLabel('公示期限（月）', { exact: true })).toHaveValue('36');
  await dialog.getByLabel('记录标题', { exact: true }).fill(title);
  await dialog.getByLabel('失信（守信）事实', { exact: true }).fill('在某道路工程施工招标中提供虚假业绩证明材料，骗取中标。');
  await dialog.getByLabel('认定依据', { exact: true }).fill('《中华人民共和国招标投标法》第五十四条');
  await expect(dialog.getByLabel('认定部门', { exact: true })).toHaveValue('太原市住房和城乡建设局');
  await dialog.getByLabel('决定文号', { exact: true }).fill(`并建罚〔2026〕${run}号`);
  await expect(dialog.getByLabel('决定日期', { exact: true })).toHaveValue(today);

  await dialog.getByLabel('禁止参与公共资源交易', { exact: true }).click();
  await chooseMany(page, dialog, '禁止参与的交易类别', ['工程建设', '政府采购']);
  await expect(dialog.locator('.ant-form-item').filter({ hasText: '禁止参与区域' })).toContainText('太原市（140100）');
  await expect(dialog.locator('.ant-picker-range input').first()).toHaveValue(today);

  await dialog.getByLabel('选择证据材料文件').setInputFiles({ name: '行政处罚决定书.pdf', mimeType: 'application/pdf', buffer: decisionEvidence });
  // The digest the browser computed is the one Node's OpenSSL computes.
  await expect(dialog.getByText(`SM3：${sm3(decisionEvidence)}`)).toBeVisible();
  await shot(page, 'credit-01-record-form');
  await button(dialog, '保存').click();

  await expect(page.getByText('信用记录已登记')).toBeVisible();
  await expect(dialog).toBeHidden();
  // The new record opens in the drawer: its ban, disclosure period and status.
  const drawer = page.locator('.ant-drawer-section').filter({ hasText: `信用记录：${title}` });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('alert').filter({ hasText: banText })).toBeVisible();
  await expect(described(drawer, '公示期')).toContainText('（36 个月）');
  await expect(described(drawer, '记录状态')).toHaveText('生效中');
  await expect(drawer.getByText(`SM3：${sm3(decisionEvidence)}`)).toBeVisible();
  // The supervisor may record and decide, but files nothing on a subject's behalf.
  await expect(button(drawer, '提出异议')).toHaveCount(0);
  await shot(page, 'credit-02-record-drawer');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  const row = page.getByRole('row').filter({ hasText: title });
  await expect(row).toBeVisible();
  await expect(row).toContainText(uscc);
  await expect(row).toContainText('生效中');

  // 2. The participation check refuses a procurement deal in a district of 太原市, saying why.
  await openScreen(page, '信用档案', /\/workbench\/credit\/archive$/);
  let result = await checkParticipation(page, uscc);
  await expect(result.getByText('不得参与', { exact: true })).toBeVisible();
  const blocking = result.locator('.ant-card').filter({ hasText: title });
  await expect(blocking).toContainText(banText);
  await expect(blocking).toContainText('《中华人民共和国招标投标法》第五十四条');
  await shot(page, 'credit-03-participation-blocked');

  // ... and the archive shows the record with its ban, and the score it costs.
  await page.getByRole('tab', { name: '信用档案' }).click();
  const archiveForm = page.locator('form#creditArchive');
  await archiveForm.getByLabel('主体代码', { exact: true }).fill(uscc);
  await button(archiveForm, '查询档案').click();
  const archive = page.getByRole('region', { name: '信用档案', exact: true });
  await expect(described(archive, '信用主体')).toHaveText(subject);
  await expect(archive.locator('.ant-statistic').filter({ hasText: '信用等级' })).toContainText('C');
  await expect(archive.locator('.ant-statistic').filter({ hasText: '信用分' })).toContainText('70.0');
  await expect(page.getByRole('region', { name: '得分构成' }).getByRole('row').filter({ hasText: title })).toContainText('-30');
  await expect(page.getByRole('region', { name: '档案信用记录' }).getByRole('row').filter({ hasText: title })).toContainText(banText);
  await shot(page, 'credit-04-archive');

  // 3. The clerk finds the record and files an objection on the subject's behalf.
  await signIn(clerk, CLERK.username, CLERK.displayName);
  await expect(menuItem(clerk, '异议处理')).toHaveCount(0);
  await expect(menuItem(clerk, '信用修复')).toHaveCount(0);
  await openScreen(clerk, '信用记录', /\/workbench\/credit\/records$/);
  await expect(button(clerk, '登记信用记录')).toHaveCount(0);
  await clerk.getByLabel('主体名称检索').fill(subject);
  await clerk.getByLabel('主体名称检索').press('Enter');
  const clerkRow = clerk.getByRole('row').filter({ hasText: title });
  await expect(clerkRow).toBeVisible();
  await clerkRow.getByRole('button', { name: /^查看信用记录/ }).click();
  const clerkDrawer = clerk.locator('.ant-drawer-section').filter({ hasText: `信用记录：${title}` });
  await expect(clerkDrawer.getByText('暂无异议')).toBeVisible();
  await button(clerkDrawer, '提出异议').click();
  const objection = clerk.getByRole('dialog', { name: '提出异议' });
  await expect(objection.getByLabel('异议提出人', { exact: true })).toHaveValue(subject);
  await objection.getByLabel('异议理由', { exact: true }).fill('所涉业绩真实有效，合同原件可供核验，请求撤销该记录。');
  await objection.getByLabel('选择异议证明材料文件').setInputFiles({ name: '业绩合同.pdf', mimeType: 'application/pdf', buffer: objectionEvidence });
  await expect(objection.getByText(`SM3：${sm3(objectionEvidence)}`)).toBeVisible();
  await shot(clerk, 'credit-05-objection-form');
  await button(objection, '提交异议').click();
  await expect(clerk.getByText('异议已提交，记录进入异议处理')).toBeVisible();
  await expect(objection).toBeHidden();
  await expect(described(clerkDrawer, '记录状态')).toHaveText('异议处理中');
  const filed = clerkDrawer.locator('.ant-card').filter({ hasText: '待处理' });
  await expect(filed).toContainText(`${CLERK.displayName} 代 ${subject} 提出异议`);
  await expect(filed).toContainText(`SM3：${sm3(objectionEvidence)}`);
  await shot(clerk, 'credit-06-objection-filed');

  // 4. The supervisor sees it pending and upholds it.
  await openScreen(page, '异议处理', /\/workbench\/credit\/objections$/);
  const pendingRow = page.getByRole('row').filter({ hasText: title });
  await expect(pendingRow).toContainText(subject);
  await expect(pendingRow).toContainText('待处理');
  await shot(page, 'credit-07-objections-pending');
  await pendingRow.getByRole('button', { name: `处理异议 ${title}` }).click();
  const decision = page.getByRole('dialog', { name: '处理异议' });
  await expect(decision).toContainText('所涉业绩真实有效');
  await decision.getByText('异议成立（撤销该信用记录）').click();
  await decision.getByLabel('处理理由', { exact: true }).fill('经核验合同原件，业绩属实，原认定有误，撤销该记录。');
  await button(decision, '确认处理').click();
  // The dialog closing and the row leaving the pending list are the evidence; the 「异议已处理」
  // toast lasts 3 s and was sometimes gone before a busy machine looked (a flaky wait).
  await expect(decision).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: title })).toHaveCount(0);
  await page.getByRole('tab', { name: '已处理' }).click();
  const decidedRow = page.getByRole('row').filter({ hasText: title });
  await expect(decidedRow).toContainText('异议成立');
  await expect(decidedRow).toContainText('经核验合同原件');

  // The record follows: revoked, its ban no longer in force, the decision in its history.
  await decidedRow.getByRole('button', { name: `查看信用记录 ${title}` }).click();
  const revoked = page.locator('.ant-drawer-section').filter({ hasText: `信用记录：${title}` });
  await expect(described(revoked, '记录状态')).toHaveText('已撤销');
  await expect(revoked.getByRole('alert').filter({ hasText: banText })).toContainText('禁止参与不再生效');
  await expect(revoked.locator('.ant-card').filter({ hasText: '异议成立' })).toContainText(`${SUPERVISOR.displayName} 处理：异议成立，记录撤销`);
  await shot(page, 'credit-08-record-revoked');
  await page.keyboard.press('Escape');
  await expect(revoked).toBeHidden();

  // ... and the participation check lets the subject take part again.
  await openScreen(page, '信用档案', /\/workbench\/credit\/archive$/);
  result = await checkParticipation(page, uscc);
  await expect(result.getByText('可以参与', { exact: true })).toBeVisible();
  await shot(page, 'credit-09-participation-allowed');

  // The clerk's drawer, read again, shows the outcome too.
  await clerk.reload();
  await clerk.getByLabel('主体名称检索').fill(subject);
  await clerk.getByLabel('主体名称检索').press('Enter');
  await expect(clerk.getByRole('row').filter({ hasText: title })).toContainText('已撤销');
  await clerkContext.close();
});

/** The first day of the month `n` months before this one (CST): a decision old enough to repair. */
function monthsAgo(n: number): string {
  const [y, m] = cstToday().split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) - n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}

test('批量导入：有一行不合格则逐行报告、不写入；导入后代主体申请信用修复，监管人员审核通过', async ({ page, browser }, testInfo) => {
  mkdirSync(SHOTS, { recursive: true });

  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const uscc = usccOf(Math.floor(Math.random() * 1e8));
  const subject = `导入示范招标代理有限公司${run}`;
  const violation = `未按规定公示代理信息${run}`;
  const reward = `诚信示范单位${run}`;
  const decided = monthsAgo(4);
  const header = 'subjectKind,uscc,subjectName,role,type,severity,title,facts,legalBasis,sourceDepartment,regionCode,decisionNumber,decisionDate,effectiveFrom,disclosureMonths';
  const line = (code: string, type: string, severity: string, title: string, n: number) =>
    `organisation,${code},${subject},agency,${type},${severity},${title},"事实：代理项目信息未按规定公示, 经责令已改正",《招标投标法实施条例》第六十五条,太原市住房和城乡建设局,140100,并建罚〔导入〕${run}-${n},${decided},${decided},12`;
  const good = [line(uscc, 'violation', 'ordinary', violation, 1), line(uscc, 'reward', '', reward, 2)];
  const repairEvidence = Buffer.from(`整改报告 ${run}\n`, 'utf8');

  const clerkContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const clerk = await clerkContext.newPage();
  await signIn(page, SUPERVISOR.username, SUPERVISOR.displayName);

  // 1. A CSV with a bad check digit on its third line: the report names it, nothing is written.
  await openScreen(page, '信用记录', /\/workbench\/credit\/records$/);
  await page.getByRole('tab', { name: '批量导入' }).click();
  const bad = `${uscc.slice(0, 17)}${uscc.endsWith('0') ? '1' : '0'}`;
  await page.getByLabel('导入内容').fill(`${header}\n${good[0]}\n${line(bad, 'violation', 'ordinary', `${violation}（错）`, 3)}\n`);
  await button(page, '校验并导入').click();
  await expect(page.getByText('导入数据有 1 行不符合要求，未写入任何记录')).toBeVisible();
  const report = page.getByRole('table').filter({ hasText: '行号' });
  await expect(report.getByRole('row').filter({ hasText: 'uscc' })).toContainText(/^3\s*uscc\s*统一社会信用代码校验位错误$/);
  await shot(page, 'credit-10-import-report');
  await page.getByRole('tab', { name: '记录列表' }).click();
  await page.getByLabel('主体名称检索').fill(subject);
  await page.getByLabel('主体名称检索').press('Enter');
  // The unfiltered list holds the demo records: an empty table is the search's answer.
  await expect(page.locator('.ant-table-placeholder .ant-empty-description')).toHaveText('暂无数据');

  // 2. The same records from a file, without the bad line: both are written.
  await page.getByRole('tab', { name: '批量导入' }).click();
  await page.getByLabel('选择导入文件').setInputFiles({ name: '信用记录.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${header}\r\n${good.join('\r\n')}\r\n`, 'utf8') });
  await expect(page.getByText('已读取：信用记录.csv')).toBeVisible();
  await button(page, '校验并导入').click();
  await expect(page.getByText('导入成功：已写入 2 条信用记录')).toBeVisible();
  await page.getByRole('tab', { name: '记录列表' }).click();
  await expect(page.getByRole('row').filter({ hasText: violation })).toContainText('一般');
  await expect(page.getByRole('row').filter({ hasText: reward })).toContainText('表彰奖励');

  // 3. The clerk asks for repair of the imported violation, with evidence and the commitment.
  await signIn(clerk, CLERK.username, CLERK.displayName);
  await openScreen(clerk, '信用记录', /\/workbench\/credit\/records$/);
  await clerk.getByLabel('主体名称检索').fill(subject);
  await clerk.getByLabel('主体名称检索').press('Enter');
  await clerk.getByRole('row').filter({ hasText: violation }).getByRole('button', { name: /^查看信用记录/ }).click();
  const drawer = clerk.locator('.ant-drawer-section').filter({ hasText: `信用记录：${violation}` });
  await button(drawer, '申请信用修复').click();
  const repair = clerk.getByRole('dialog', { name: '申请信用修复' });
  await repair.getByLabel('履行义务情况', { exact: true }).fill('已在网站补充公示全部代理项目信息，并完成内部整改。');
  await button(repair, '提交申请').click();
  // Evidence and the commitment are required before anything is sent.
  await expect(repair.getByText('请至少提供一份证明材料')).toBeVisible();
  await expect(repair.getByText('须作出信用承诺方可申请修复')).toBeVisible();
  await repair.getByLabel('选择修复证明材料文件').setInputFiles({ name: '整改报告.pdf', mimeType: 'application/pdf', buffer: repairEvidence });
  await expect(repair.getByText(`SM3：${sm3(repairEvidence)}`)).toBeVisible();
  await repair.getByText('信用主体已作出上述公开信用承诺').click();
  await button(repair, '提交申请').click();
  await expect(clerk.getByText('修复申请已提交，等待审核')).toBeVisible();
  await expect(repair).toBeHidden();
  await expect(drawer.locator('.ant-card').filter({ hasText: '待审核' })).toContainText(`${CLERK.displayName} 代信用主体申请修复`);
  await expect(button(drawer, '申请信用修复')).toBeDisabled();
  await shot(clerk, 'credit-11-repair-filed');

  // 4. The supervisor approves it; the record is repaired.
  await openScreen(page, '信用修复', /\/workbench\/credit\/repairs$/);
  const pendingRow = page.getByRole('row').filter({ hasText: violation });
  await expect(pendingRow).toContainText('待审核');
  await pendingRow.getByRole('button', { name: `审核修复申请 ${violation}` }).click();
  const decision = page.getByRole('dialog', { name: '审核信用修复申请' });
  await expect(decision).toContainText('已在网站补充公示全部代理项目信息');
  await expect(decision.getByText(`SM3：${sm3(repairEvidence)}`)).toBeVisible();
  await decision.getByText(/^准予修复/).click();
  await decision.getByLabel('处理理由', { exact: true }).fill('已满最短公示期，义务已履行，承诺已公开，准予修复。');
  await button(decision, '确认处理').click();
  await expect(page.getByText('修复申请已审核')).toBeVisible();
  await expect(decision).toBeHidden();
  await page.getByRole('tab', { name: '已审核' }).click();
  const decidedRow = page.getByRole('row').filter({ hasText: violation });
  await expect(decidedRow).toContainText('准予修复');
  await decidedRow.getByRole('button', { name: `查看信用记录 ${violation}` }).click();
  const repaired = page.locator('.ant-drawer-section').filter({ hasText: `信用记录：${violation}` });
  await expect(described(repaired, '记录状态')).toHaveText('已修复');
  await expect(repaired.locator('.ant-card').filter({ hasText: '准予修复' })).toContainText(`${SUPERVISOR.displayName} 审核：准予修复，记录已修复、停止公示`);
  await shot(page, 'credit-12-repaired');
  await clerkContext.close();
});

/** A valid GB 11643 ID number of someone born in 小店区 on 1985-06-15, sequence `seq` (000–999). */
function idNumberOf(seq: number): string {
  const first17 = `14010519850615${String(seq).padStart(3, '0')}`;
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

test('从业人员信用档案：系统管理员登记工作人员，监管人员登记其个人信用记录，并在人员信息中查看其信用档案', async ({ page, browser }, testInfo) => {
  mkdirSync(SHOTS, { recursive: true });

  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const idNumber = idNumberOf(Math.floor(Math.random() * 1000));
  const name = `端到端工作人员${run}`;
  const title = `违规透露潜在投标人名称${run}`;

  // 1. 太原's system administrator registers the staff member of the 太原 centre.
  const adminContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const admin = await adminContext.newPage();
  await signIn(admin, 'ty_admin', '太原市中心系统管理员');
  await openScreen(admin, '人员信息', /\/workbench\/admin\/personnel$/);
  // The administrator does not read credit records: no archive entry for them.
  await expect(admin.getByRole('button', { name: /^信用档案/ })).toHaveCount(0);
  await button(admin, '新增人员').click();
  const form = admin.getByRole('dialog', { name: '新增人员' });
  await form.getByLabel('姓名', { exact: true }).fill(name);
  await form.getByLabel('身份证号', { exact: true }).fill(idNumber);
  await choose(admin, form, '所属机构', '太原市公共资源交易中心');
  await form.getByLabel('职务', { exact: true }).fill('交易服务窗口经办');
  await button(form, '保存').click();
  await expect(admin.getByText('人员已登记')).toBeVisible();
  await adminContext.close();

  // 2. The supervisor records a violation about that person (a natural person, as 从业人员).
  await signIn(page, SUPERVISOR.username, SUPERVISOR.displayName);
  await openScreen(page, '信用记录', /\/workbench\/credit\/records$/);
  await button(page, '登记信用记录').click();
  const dialog = page.getByRole('dialog', { name: '登记信用记录' });
  await dialog.getByText('自然人', { exact: true }).click();
  await dialog.getByLabel('主体名称', { exact: true }).fill(name);
  await dialog.getByLabel('身份证号', { exact: true }).fill(idNumber.toLowerCase());
  await choose(page, dialog, '参与角色', '从业人员');
  await dialog.getByText('一般', { exact: true }).click();
  await dialog.getByLabel('记录标题', { exact: true }).fill(title);
  await dialog.getByLabel('失信（守信）事实', { exact: true }).fill('在某学校改造工程招标期间，向他人透露已获取招标文件的潜在投标人名称。');
  await dialog.getByLabel('认定依据', { exact: true }).fill('《中华人民共和国招标投标法实施条例》第二十二条');
  await dialog.getByLabel('决定文号', { exact: true }).fill(`并建处〔2026〕${run}号`);
  await button(dialog, '保存').click();
  await expect(page.getByText('信用记录已登记')).toBeVisible();
  await page.keyboard.press('Escape');

  // 3. The person's archive from the personnel library: the record, masked ID, the score.
  await openScreen(page, '人员信息', /\/workbench\/admin\/personnel$/);
  await page.getByLabel('人员关键字').fill(name);
  await page.getByLabel('人员关键字').press('Enter');
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
  await expect(row).not.toContainText(idNumber);
  await row.getByRole('button', { name: `信用档案 ${name}` }).click();
  const drawer = page.locator('.ant-drawer-section').filter({ hasText: `从业人员信用档案：${name}` });
  await expect(drawer).toBeVisible();
  await expect(described(drawer, '所属机构')).toHaveText('太原市公共资源交易中心');
  await expect(drawer).not.toContainText(idNumber);
  // The score's breakdown names the record too: the record's own row is the one that opens it.
  await expect(drawer.getByRole('row').filter({ hasText: title }).first()).toContainText('-10');
  const records = drawer.getByRole('row').filter({ has: page.getByRole('button', { name: `查看信用记录 ${title}` }) });
  await expect(records).toContainText('一般');
  await expect(records).toContainText('违法违规');
  await shot(page, 'credit-13-staff-archive');
  // The record opens from the archive like anywhere else.
  await records.getByRole('button', { name: `查看信用记录 ${title}` }).click();
  await expect(page.locator('.ant-drawer-section').filter({ hasText: `信用记录：${title}` })).toBeVisible();
});
