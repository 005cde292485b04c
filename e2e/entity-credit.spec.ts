// A market entity reads its own credit archive and objects itself, end to end in a real browser:
// the demo supervisor (太原市住建局) enters a serious violation with a province-wide ban on every
// category against the demo entity (山西晋建演示建设工程有限公司); the entity's account `bidder`
// sees on 本主体信用 that it is barred, and why, and files an objection from the record; the
// supervisor upholds it; the entity sees the objection 成立, the record 已撤销 and no ban in force.
// Two browser contexts, so that both accounts stay signed in.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { button, choose, chooseMany, signIn, signInEntity } from './workbench.ts';

const SUPERVISOR = { username: 'supervisor', displayName: '太原市住建局监管人员' };
// src/seed/demo-registry.ts
const ENTITY = { username: 'bidder', displayName: '晋建投标专员', uscc: '91140100202600012R', name: '山西晋建演示建设工程有限公司' };
const BASIS = '《中华人民共和国招标投标法》第五十四条';

const SHOTS = fileURLToPath(new URL('../.tmp/e2e-shots', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

const cstToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** The day before the same day next year (29 Feb → 28 Feb first): the form's default end of a one-year ban. */
function lastDayOfYearFrom(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const sameDay = m === 2 && d === 29 ? Date.UTC(y + 1, 1, 28) : Date.UTC(y + 1, m - 1, d);
  return new Date(sameDay - 86_400_000).toISOString().slice(0, 10);
}

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

test('主体用户在本主体信用中看到禁止参与及原因，自行提出异议；异议成立后记录撤销、不再禁止参与', async ({ page, browser }, testInfo) => {
  mkdirSync(SHOTS, { recursive: true });
  // A TOTP code is accepted once per account and step: a retry must not reuse the failed one's.

  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const title = `围标串标嫌疑核查不实${run}`;
  const today = cstToday();
  const until = lastDayOfYearFrom(today);
  const reason = `${today} 至 ${until} 禁止在山西省参与全部交易（${BASIS}）`;
  const objectionReason = `该处罚决定已被行政复议决定撤销（晋复〔2026〕${run}号），请求撤销该记录。`;
  const decisionReason = `经核实，原处罚决定已被复议撤销（${run}），异议成立，撤销该记录。`;

  const entityContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const entity = await entityContext.newPage();

  // 1. The supervisor enters a serious violation with a ban on every category in all of 山西省.
  await signIn(page, SUPERVISOR.username, SUPERVISOR.displayName);
  // Staff hold no credit.self.read: the entity's screen is not theirs.
  await expect(menuItem(page, '本主体信用')).toHaveCount(0);
  await openScreen(page, '信用记录', /\/workbench\/credit\/records$/);
  await button(page, '登记信用记录').click();
  const form = page.getByRole('dialog', { name: '登记信用记录' });
  await form.getByLabel('主体名称', { exact: true }).fill(ENTITY.name);
  await form.getByLabel('统一社会信用代码', { exact: true }).fill(ENTITY.uscc);
  await form.getByText('严重', { exact: true }).click();
  await form.getByLabel('记录标题', { exact: true }).fill(title);
  await form.getByLabel('失信（守信）事实', { exact: true }).fill('在某市政道路工程施工招标中与其他投标人相互串通投标报价。');
  await form.getByLabel('认定依据', { exact: true }).fill(BASIS);
  await form.getByLabel('决定文号', { exact: true }).fill(`并建罚〔2026〕${run}号`);
  await expect(form.getByLabel('决定日期', { exact: true })).toHaveValue(today);
  await form.getByLabel('禁止参与公共资源交易', { exact: true }).click();
  await chooseMany(page, form, '禁止参与的交易类别', ['全部交易类别']);
  await choose(page, form, '禁止参与区域', '山西省（140000）', '山西省');
  await expect(form.locator('.ant-picker-range input').first()).toHaveValue(today);
  await expect(form.locator('.ant-picker-range input').last()).toHaveValue(until);
  await button(form, '保存').click();
  await expect(page.getByText('信用记录已登记')).toBeVisible();
  await expect(form).toBeHidden();
  await page.keyboard.press('Escape');

  // 2. The entity's user opens 本主体信用: the ban in force, its reason and the record.
  await signInEntity(entity, ENTITY.username, ENTITY.displayName);
  // The home page points the entity's user to the screen.
  await expect(entity.locator('.welcome-card').getByRole('link', { name: '本主体信用' })).toBeVisible();
  await openScreen(entity, '本主体信用', /\/workbench\/credit\/mine$/);
  const bans = entity.getByRole('region', { name: '现行禁止参与' });
  const ban = bans.getByRole('alert').filter({ hasText: title });
  await expect(ban).toContainText(`您当前被禁止参与公共资源交易：${today} 至 ${until}`);
  await expect(ban).toContainText(`禁止原因：${reason}`);
  const archive = entity.getByRole('region', { name: '信用档案', exact: true });
  await expect(described(archive, '信用主体')).toHaveText(ENTITY.name);
  await expect(archive).toContainText(ENTITY.uscc);
  await expect(entity.getByRole('region', { name: '得分构成' }).getByRole('row').filter({ hasText: title })).toContainText('-30');
  const row = entity.getByRole('region', { name: '档案信用记录' }).getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('严重');
  await expect(row).toContainText('生效中');
  await expect(row).toContainText('禁止在山西省参与全部交易类别');
  await shot(entity, 'entity-credit-01-ban');

  // 3. From the record it files an objection itself: no 异议提出人, the entity is the filer.
  await ban.getByRole('button', { name: `查看禁止参与的信用记录 ${title}` }).click();
  const drawer = entity.locator('.ant-drawer-section').filter({ hasText: `信用记录：${title}` });
  await expect(described(drawer, '记录状态')).toHaveText('生效中');
  // Repair of a serious record waits for its minimum disclosure period: the reason is shown.
  await expect(drawer.getByRole('alert').filter({ hasText: '不能申请信用修复：最短公示期未满' })).toBeVisible();
  await expect(button(drawer, '申请信用修复')).toBeDisabled();
  await button(drawer, '提出异议').click();
  const objection = entity.getByRole('dialog', { name: '提出异议' });
  await expect(objection.getByLabel('异议提出人', { exact: true })).toHaveCount(0);
  await expect(objection).toContainText(`以本主体「${ENTITY.name}」的名义提出`);
  // The reason is required before anything is sent.
  await button(objection, '提交异议').click();
  await expect(objection.getByText('请填写异议理由')).toBeVisible();
  await objection.getByLabel('异议理由', { exact: true }).fill(objectionReason);
  await shot(entity, 'entity-credit-02-objection-form');
  await button(objection, '提交异议').click();
  await expect(entity.getByText('异议已提交，记录进入异议处理')).toBeVisible();
  await expect(objection).toBeHidden();
  await expect(described(drawer, '记录状态')).toHaveText('异议处理中');
  const filed = drawer.locator('.ant-card').filter({ hasText: objectionReason });
  await expect(filed).toContainText('异议处理中');
  await expect(filed).toContainText(`本账号以 ${ENTITY.name} 名义提出异议`);
  // A second objection on the same record is not open while this one is pending.
  await expect(button(drawer, '提出异议')).toBeDisabled();
  await expect(drawer.getByText('不能提出异议：该记录已有处理中的异议')).toBeVisible();
  await entity.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  const pending = entity.getByRole('region', { name: '档案异议' }).getByRole('row').filter({ hasText: objectionReason });
  await expect(pending).toContainText('异议处理中');
  await expect(pending).toContainText(title);
  await shot(entity, 'entity-credit-03-objection-pending');

  // 4. The supervisor upholds it.
  await openScreen(page, '异议处理', /\/workbench\/credit\/objections$/);
  const pendingRow = page.getByRole('row').filter({ hasText: title });
  await expect(pendingRow).toContainText(ENTITY.name);
  await pendingRow.getByRole('button', { name: `处理异议 ${title}` }).click();
  const decision = page.getByRole('dialog', { name: '处理异议' });
  await expect(decision).toContainText(objectionReason);
  await decision.getByText('异议成立（撤销该信用记录）').click();
  await decision.getByLabel('处理理由', { exact: true }).fill(decisionReason);
  await button(decision, '确认处理').click();
  await expect(page.getByText('异议已处理')).toBeVisible();
  await expect(decision).toBeHidden();

  // 5. The entity reloads: the objection 成立 with its reason, the record 已撤销, no ban in force.
  await entity.reload();
  await expect(entity.getByRole('heading', { level: 4, name: '本主体信用' })).toBeVisible();
  const decided = entity.getByRole('region', { name: '档案异议' }).getByRole('row').filter({ hasText: objectionReason });
  await expect(decided).toContainText('异议成立');
  await expect(decided).toContainText(decisionReason);
  const revoked = entity.getByRole('region', { name: '档案信用记录' }).getByRole('row').filter({ hasText: title });
  await expect(revoked).toContainText('已撤销');
  await expect(entity.getByRole('alert').filter({ hasText: title })).toHaveCount(0);
  // A fresh data directory holds no other record about the demo entity (a retry may leave the failed attempt's).
  if (testInfo.retry === 0) await expect(entity.getByText('本主体当前没有生效中的禁止参与公共资源交易的记录')).toBeVisible();
  await expect(entity.getByRole('region', { name: '得分构成' }).getByRole('row').filter({ hasText: title })).toHaveCount(0);
  await revoked.getByRole('button', { name: `查看信用记录 ${title}` }).click();
  const after = entity.locator('.ant-drawer-section').filter({ hasText: `信用记录：${title}` });
  await expect(described(after, '记录状态')).toHaveText('已撤销');
  await expect(after.locator('.ant-card').filter({ hasText: objectionReason })).toContainText(`处理结果：异议成立，记录撤销`);
  await expect(after.getByRole('alert').filter({ hasText: '禁止在山西省参与全部交易类别' })).toContainText('禁止参与不再生效');
  await shot(entity, 'entity-credit-04-revoked');
  await entityContext.close();
});
