// The construction tender procedure up to the bid deadline, end to end in a real browser: a
// tenderer registers a project with two lots → the Taiyuan centre accepts it (deal code shown) →
// the tenderer drafts the notice with a deadline that breaks the 20-day rule (the field names the
// rule) → fixes it, uploads the tender documents and submits → the centre publishes → a bidder
// downloads the documents → the tenderer issues a clarification → the supervisor reads the deal's
// timeline with every step in order.
//
// Seeding (beforeAll, over the HTTP API of the server Playwright starts, so nothing bypasses the
// rules): two organisations register through the public registration route, complete their
// profiles (roles 招标人 / 投标人), upload a rendered business licence (the real OCR reads it) and
// submit; the province centre's staff account (`staff`, TOTP) approves both. The browser steps use
// other accounts (`ty_staff`, `supervisor`), so no TOTP step is shared. The new entities use the
// demo password, which signInEntity types.
//
// The documents period starts a few minutes from now (the server refuses a start in the past at
// publication, and refuses downloads before the start); the server runs in demo mode, so instead
// of waiting the centre moves this deal's clock to the start (the compressed calendar). The
// deadline is the first working, non-holiday day the 20-day rule allows, computed with the
// platform's own calendar.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext, type Browser, type Locator, type Page, type TestInfo } from '@playwright/test';
import { addDays, chinaDate, firstWorkingDayFrom, periodEnd } from '../src/platform/calendar/china-calendar.ts';
import { usccFor } from '../src/modules/experts/experts.fixtures.ts';
import { licenceImage, type LicenceFacts } from './licence.ts';
import { bearerSignIn, button, DEMO_PASSWORD, choose, signIn, signInEntity } from './workbench.ts';

const SHOTS = fileURLToPath(new URL('../.tmp/e2e-shots', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
const CENTRE = { username: 'ty_staff', displayName: '太原市中心业务人员' };
const SUPERVISOR = { username: 'supervisor', displayName: '太原市住建局监管人员' };
const CST_MS = 8 * 3_600_000;

const run = Date.now() % 10_000_000;
const TENDERER = { username: `tdr_${run.toString(36)}`, displayName: '晋阳招标经办人', name: '太原晋阳端到端城建开发有限公司', uscc: usccFor(40_000_000 + run), role: 'tenderer' as const };
const BIDDER = { username: `bdr_${run.toString(36)}`, displayName: '汾河投标经办人', name: '山西汾河端到端路桥工程有限公司', uscc: usccFor(50_000_000 + run), role: 'bidder' as const };
const PROJECT = `小店区滨河东路改造工程${run.toString(36)}`;

/** `YYYY-MM-DD HH:mm` CST of an instant, as the pickers take it. */
function cstText(at: Date): string {
  const t = new Date(at.getTime() + CST_MS).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

/** The instant of `HH:mm` CST on a day. */
function atCst(day: string, time: string): Date {
  return new Date(Date.parse(`${day}T${time}:00+08:00`));
}

function menuItem(page: Page, name: string): Locator {
  return page.getByRole('menu', { name: '功能菜单' }).getByRole('menuitem', { name });
}

async function openScreen(page: Page, name: string): Promise<void> {
  await menuItem(page, name).click();
  await expect(page.getByRole('heading', { level: 4, name })).toBeVisible();
}

function formItem(scope: Page | Locator, label: string): Locator {
  return scope.locator('.ant-form-item').filter({ has: scope.getByLabel(label, { exact: true }) });
}

async function pick(page: Page, label: string, at: Date): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(cstText(at));
  await input.press('Enter');
  await expect(input).toHaveValue(cstText(at));
}

async function newPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  return context.newPage();
}

/** Registers an organisation, completes and submits its profile with a licence; returns the submitted version's id. */
async function registerEntity(request: APIRequestContext, e: typeof TENDERER | typeof BIDDER): Promise<string> {
  const reg = await request.post('/api/v1/public/registrations', { data: { username: e.username, password: DEMO_PASSWORD, displayName: e.displayName, entity: { kind: 'organisation', uscc: e.uscc, name: e.name } } });
  expect(reg.status(), await reg.text()).toBe(201);
  const headers = { authorization: `Bearer ${await bearerSignIn(request, e.username, DEMO_PASSWORD)}` };
  const licence: LicenceFacts = { name: e.name, uscc: e.uscc, legalRepresentative: '张建华', registeredCapitalWanYuan: 8000, entityType: '有限责任公司', establishedOn: '2010-03-15', address: '山西省太原市小店区滨河东路88号' };
  const profile = {
    name: e.name,
    regionCode: '140100',
    roles: [e.role],
    entityType: licence.entityType,
    registeredCapitalWanYuan: licence.registeredCapitalWanYuan,
    establishedOn: licence.establishedOn,
    address: licence.address,
    legalRepresentative: { name: licence.legalRepresentative },
    contacts: [{ name: e.displayName.slice(0, 4), phone: '13812345678' }],
    qualifications: [],
    certificates: [],
    keyPersonnel: [],
  };
  const draft = await request.put('/api/v1/registry/me/draft', { data: profile, headers });
  expect(draft.status(), await draft.text()).toBe(200);
  const upload = await request.put('/api/v1/registry/me/draft/licence', { data: await licenceImage(licence), headers: { ...headers, 'content-type': 'image/png' }, timeout: 120_000 });
  expect(upload.status(), await upload.text()).toBe(200);
  const submitted = await request.post('/api/v1/registry/me/draft/submit', { headers });
  expect(submitted.status(), await submitted.text()).toBe(200);
  return ((await submitted.json()) as { id: string }).id;
}

test.beforeAll(async ({ playwright }, testInfo) => {
  test.setTimeout(300_000);
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  const versions = [await registerEntity(request, TENDERER), await registerEntity(request, BIDDER)];
  const headers = { authorization: `Bearer ${await bearerSignIn(request, 'staff')}` };
  for (const id of versions) {
    const decided = await request.post(`/api/v1/registry/versions/${id}/decision`, { data: { outcome: 'approved' }, headers });
    expect(decided.status(), await decided.text()).toBe(200);
  }
  await request.dispose();
});

test('招标项目登记、受理赋码、招标公告（20 日规则）、发布、下载、澄清，监管人员查看交易全过程', async ({ page, browser }, testInfo) => {
  test.setTimeout(15 * 60_000);
  mkdirSync(SHOTS, { recursive: true });
  const tenderer = page;

  // 1. The tenderer registers a project with two lots and submits it for acceptance.
  await signInEntity(tenderer, TENDERER.username, TENDERER.displayName);
  await openScreen(tenderer, '招标项目');
  await button(tenderer, '登记招标项目').click();
  const dialog = tenderer.getByRole('dialog', { name: '登记招标项目' });
  await dialog.getByLabel('项目名称', { exact: true }).fill(PROJECT);
  await dialog.getByLabel('投资项目代码', { exact: true }).fill('2026-140105-48-01-000123');
  await choose(tenderer, dialog, '所在地区', '小店区（140105）', '小店区');
  await dialog.getByLabel('行政监督部门', { exact: true }).fill('太原市住房和城乡建设局');
  await dialog.getByLabel('资金来源', { exact: true }).fill('财政资金');
  await dialog.getByLabel('标段 1 名称', { exact: true }).fill('施工一标段');
  await dialog.getByLabel('标段 1 估算价（元）', { exact: true }).fill('12000000');
  await button(dialog, '添加标段').click();
  await dialog.getByLabel('标段 2 名称', { exact: true }).fill('施工监理标段');
  await choose(tenderer, dialog, '标段 2 类型', '监理');
  await dialog.getByLabel('标段 2 估算价（元）', { exact: true }).fill('800000');
  await shot(tenderer, 't01-register');
  await button(dialog, '保存').click();
  await expect(tenderer.getByText(`已登记：${PROJECT}`)).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(tenderer.getByRole('heading', { level: 4, name: PROJECT })).toBeVisible();
  const projectUrl = tenderer.url();
  await button(tenderer, '提交受理').click();
  await button(tenderer.locator('.ant-popover'), '提交').click();
  await expect(tenderer.getByText('已提交交易中心受理')).toBeVisible();

  // 2. The centre accepts it: the deal code and the two lot codes are issued and shown.
  const centre = await newPage(browser, testInfo);
  await signIn(centre, CENTRE.username, CENTRE.displayName);
  await openScreen(centre, '项目受理');
  await centre.getByRole('button', { name: `办理 ${PROJECT}` }).click();
  const drawer = centre.locator('.ant-drawer').filter({ hasText: `办理：${PROJECT}` });
  await button(drawer, '受理').click();
  const accepted = centre.getByRole('dialog').filter({ hasText: `已受理：${PROJECT}` });
  await expect(accepted).toBeVisible();
  const dealCode = (await accepted.locator('.deal-code').innerText()).trim();
  expect(dealCode).toMatch(/^[0-9A-Z]{18}-\d{8}-\d{6}-[0-9A-Z*]$/);
  await expect(accepted.getByText(`${dealCode}-001`, { exact: true })).toBeVisible();
  await expect(accepted.getByText(`${dealCode}-002`, { exact: true })).toBeVisible();
  await shot(centre, 'c01-accepted');
  await button(accepted, '知道了').click();

  // 3. The tenderer drafts the notice; a deadline 10 days after the documents' start is refused on its field.
  await tenderer.goto(projectUrl);
  await expect(tenderer.getByRole('tab', { name: '招标公告与招标文件', selected: true })).toBeVisible();
  await expect(tenderer.getByText(dealCode, { exact: true }).first()).toBeVisible();
  const from = new Date(Math.ceil((Date.now() + 4 * 60_000) / 60_000) * 60_000);
  const fromDay = chinaDate(from);
  const until = atCst(periodEnd(fromDay, 7).date, '17:00');
  const earliest = periodEnd(fromDay, 20).date;
  const deadline = atCst(firstWorkingDayFrom(earliest).date, '09:30');
  const tooEarly = atCst(firstWorkingDayFrom(addDays(fromDay, 10)).date, '09:30');
  expect(chinaDate(tooEarly) < earliest).toBe(true);

  await tenderer.getByLabel('公告正文', { exact: true }).fill(`${PROJECT}已由太原市发展和改革委员会批准建设，项目业主为${TENDERER.name}，资金来自财政资金。现对该项目的施工及监理进行公开招标，欢迎符合条件的投标人参加投标。`);
  await pick(tenderer, '招标文件发出（获取）开始时间', from);
  await expect(tenderer.getByText(`投标截止最早可定于 ${earliest}`, { exact: false })).toBeVisible();
  await pick(tenderer, '招标文件获取截止时间', until);
  await pick(tenderer, '投标截止时间（开标时间）', tooEarly);
  await tenderer.getByLabel('标段 1 投标保证金（元）', { exact: true }).fill('200000');
  await tenderer.getByLabel('标段 2 投标保证金（元）', { exact: true }).fill('10000');
  await button(tenderer, '保存').click();
  const deadlineItem = formItem(tenderer, '投标截止时间（开标时间）');
  await expect(deadlineItem.locator('.ant-form-item-explain-error')).toContainText(`不得少于 20 日（招标投标法第二十四条），最早可定于 ${earliest}`);
  await shot(tenderer, 't02-twenty-days');

  // 4. Fixed deadline, documents uploaded, submitted for review.
  await pick(tenderer, '投标截止时间（开标时间）', deadline);
  await button(tenderer, '保存').click();
  await expect(tenderer.getByText('招标公告、进度安排和评标办法已保存')).toBeVisible();
  await expect(deadlineItem.locator('.ant-form-item-explain-error')).toHaveCount(0);
  const pdf = Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n% ${PROJECT}\n`);
  await tenderer.locator('input[type=file]').setInputFiles({ name: '招标文件.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(tenderer.getByText('招标文件已上传：招标文件.pdf', { exact: true })).toBeVisible();
  await expect(tenderer.getByText(/已上传：招标文件\.pdf（\d+ B）/)).toBeVisible();
  await button(tenderer, '提交审核').click();
  await button(tenderer.locator('.ant-popover'), '提交').click();
  await expect(tenderer.getByText('已提交交易中心审核')).toBeVisible();
  await expect(tenderer.getByText('招标公告与招标文件已提交，正在等待交易中心审核')).toBeVisible();

  // 5. The centre publishes.
  await openScreen(centre, '公告审核');
  await centre.getByRole('button', { name: `办理 ${PROJECT}` }).click();
  const review = centre.locator('.ant-drawer').filter({ hasText: `办理：${PROJECT}` });
  await expect(review.getByText(`公告标题：${PROJECT}招标公告`)).toBeVisible();
  await button(review, '审核通过并发布').click();
  await expect(centre.getByText(`已发布：${PROJECT}`)).toBeVisible();
  await expect(review).toBeHidden();

  // 6. A bidder downloads the documents once their period has begun.
  const bidder = await newPage(browser, testInfo);
  await signInEntity(bidder, BIDDER.username, BIDDER.displayName);
  await openScreen(bidder, '招标公告');
  await bidder.getByRole('link', { name: PROJECT }).click();
  await expect(bidder.getByRole('heading', { level: 4, name: PROJECT })).toBeVisible();
  await expect(bidder.getByText(`本项目异议截止于`, { exact: false })).toBeVisible();
  const movedClock = from.getTime() > Date.now();
  if (movedClock) {
    await expect(bidder.getByText(`招标文件自 ${cstText(from)} 起可以下载`)).toBeVisible();
    const projectId = new URL(projectUrl).pathname.split('/').pop()!;
    const moved = await bidder.request.post(`/api/v1/trading/projects/${projectId}/demo-clock`, { data: { to: new Date(from.getTime() + 1_000).toISOString() }, headers: { authorization: `Bearer ${await bearerSignIn(bidder.request, 'ty_staff')}` } });
    expect(moved.status(), await moved.text()).toBe(200);
    await bidder.reload();
  }
  const downloaded = bidder.waitForEvent('download');
  await bidder.getByRole('button', { name: '下载 招标文件.pdf' }).click();
  expect((await downloaded).suggestedFilename()).toBe('招标文件.pdf');
  await expect(bidder.getByText('已下载：招标文件.pdf')).toBeVisible();
  await shot(bidder, 'b01-downloaded');

  // 7. The tenderer sees one download (not who) and issues a clarification.
  await tenderer.reload();
  await tenderer.getByRole('tab', { name: '投标期间' }).click();
  await expect(tenderer.getByText('1 次', { exact: true })).toBeVisible();
  await button(tenderer, '发布澄清或修改').click();
  const clarification = tenderer.getByRole('dialog', { name: '发布澄清或修改' });
  await clarification.getByLabel('标题', { exact: true }).fill('关于工程量清单的澄清');
  await clarification.getByLabel('澄清或修改内容', { exact: true }).fill('工程量清单第 3 章第 12 项的计量单位更正为立方米，其余内容不变。');
  await button(clarification, '发布').click();
  await expect(tenderer.getByText('第 1 号澄清或修改已发布')).toBeVisible();
  await expect(clarification).toBeHidden();
  await expect(tenderer.getByText('第 1 号：关于工程量清单的澄清')).toBeVisible();

  // 8. The supervisor reads the whole timeline, every step in order.
  const supervisor = await newPage(browser, testInfo);
  await signIn(supervisor, SUPERVISOR.username, SUPERVISOR.displayName);
  await openScreen(supervisor, '交易项目');
  await supervisor.getByRole('link', { name: `交易全过程 ${PROJECT}` }).click();
  await expect(supervisor.getByRole('heading', { level: 4, name: '交易全过程' })).toBeVisible();
  await expect(supervisor.getByText(dealCode, { exact: false }).first()).toBeVisible();
  const events = supervisor.locator('.timeline-event');
  // The demo clock's move is on the timeline too (it is never hidden).
  const expected = ['project_accepted', 'lot_coded', 'lot_coded', 'notice_submitted', 'notice_published', 'documents_published', ...(movedClock ? ['clock_moved'] : []), 'documents_downloaded', 'clarification_issued'];
  await expect(events).toHaveCount(expected.length);
  expect(await events.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-event-type')))).toEqual(expected);
  const at = (type: string) => events.nth(expected.lastIndexOf(type));
  await expect(events.nth(0)).toContainText('项目受理并赋码');
  await expect(events.nth(1)).toContainText('施工一标段');
  await expect(at('notice_published')).toContainText(`${PROJECT}招标公告`);
  await expect(at('documents_published')).toContainText('招标文件.pdf');
  await expect(at('documents_downloaded')).toContainText('招标文件下载');
  await expect(at('clarification_issued')).toContainText('关于工程量清单的澄清');
  await expect(supervisor.getByRole('button', { name: /发布澄清|受理|审核/ })).toHaveCount(0);
  await shot(supervisor, 's01-timeline');
});
