// One registration valid across the province, in a real browser: a demo entity registered and
// approved at the province (山西龙城路桥工程有限公司, account `bidder1`) signs in on the Taiyuan city
// node's workbench with its province password. A wrong password is refused with the province's
// own message (counted there), and so is an entity whose registration the province has not yet
// approved (`bidder`); after signing in, 本主体信息 shows the approved profile read-only with a
// notice that changes are made at the province, and 本主体信用 says the credit archive is the
// province's. Then the expert pool: the city's own staff (its demo seed) find on 评标专家库 that the
// pool is the province's, and an expert registered there, after its first sign-in at the
// province, signs in on the city with that password and a code checked at the province. Both
// nodes run as separate servers (playwright.config.ts).
import { expect, test, type Page } from '@playwright/test';
import { generate } from 'otplib';
import { idNumberFor, usccFor } from '../src/modules/experts/experts.fixtures.ts';
import { expertFirstSignIn } from './tender-actors.ts';
import { bearerSignIn, button, DEMO_PASSWORD, signIn, signInEntity, TOTP_STEP_MS } from './workbench.ts';
import { CITY_PORT, PROVINCE_PORT } from './nodes.ts';

// src/seed/demo-trading.ts (approved) and src/seed/demo-registry.ts (still registering)
const ENTITY = { username: 'bidder1', displayName: '龙城路桥投标专员', name: '山西龙城路桥工程有限公司' };
const REGISTERING = 'bidder';
const EXPERT_PASSWORD = 'Expert@2026city';

function menuItem(page: Page, name: string) {
  return page.getByRole('menu', { name: '功能菜单' }).getByRole('menuitem', { name });
}

test('a province-registered entity signs in on the city node and reads its profile there', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${CITY_PORT}`, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();

  // The province checks the password and counts the failure; its message reaches the city's user unchanged.
  await page.goto('/workbench/login');
  await page.getByLabel('用户名', { exact: true }).fill(ENTITY.username);
  await page.getByLabel('密码', { exact: true }).fill(`${DEMO_PASSWORD}x`);
  await button(page, '登录').click();
  await expect(page.getByText(/用户名或密码错误，再失败 \d+ 次账号将被锁定/)).toBeVisible();
  await page.getByLabel('用户名', { exact: true }).fill(REGISTERING);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await button(page, '登录').click();
  await expect(page.getByText('主体注册尚未审核通过：请先登录省级平台完成注册，审核通过后即可在全省各市节点登录')).toBeVisible();

  await signInEntity(page, ENTITY.username, ENTITY.displayName);

  await menuItem(page, '本主体信息').click();
  await expect(page).toHaveURL(/\/registry\/mine$/);
  await expect(page.getByRole('heading', { level: 4, name: '本主体信息' })).toBeVisible();
  await expect(page.getByText('本主体在全省统一的市场主体库（省级平台）注册，全省通用')).toBeVisible();
  await expect(page.getByLabel('主体状态').getByText(ENTITY.name, { exact: true })).toBeVisible();
  await expect(button(page, '提交审核')).toHaveCount(0);
  await expect(button(page, '保存草稿')).toHaveCount(0);

  await menuItem(page, '本主体信用').click();
  await expect(page).toHaveURL(/\/credit\/mine$/);
  await expect(page.getByText('本主体的信用档案由省级平台统一管理')).toBeVisible();
  await context.close();
});

test("the province's expert pool on the city node: the city's staff are told where it is, a province expert signs in there", async ({ browser, playwright }) => {
  // The province's pool staff register an expert and open its account (the API, as the whole-tender test does).
  // Specialty A02, which no test draws: this expert has its own password from here on, and the
  // whole-tender test, drawing A01 in 140105 on the same province, must not find it in its pool.
  // The ID number carries the run, so a retry registers a new expert.
  const province = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${PROVINCE_PORT}` });
  const staffToken = await bearerSignIn(province, 'ty_staff');
  const as = { authorization: `Bearer ${staffToken}` };
  const created = await province.post('/api/v1/experts', {
    headers: as,
    data: { name: '郝评审', idNumber: idNumberFor(1_000_000 + (Date.now() % 1_000_000)), phone: '13903517950', regionCode: '140105', employerName: '山西省城乡规划设计研究院有限公司', employerUscc: usccFor(79_500), titles: ['高级工程师'], specialties: ['A02'], primarySpecialty: 'A02' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const expert = (await created.json()) as { id: string; name: string };
  const opened = await province.post(`/api/v1/experts/${expert.id}/account`, { headers: as, data: {} });
  expect(opened.status(), await opened.text()).toBe(201);
  const account = (await opened.json()) as { username: string; initialPassword: string };
  await province.dispose();

  // The city's own centre staff: 评标专家库 explains that the pool is the province's.
  const city = await browser.newContext({ baseURL: `http://127.0.0.1:${CITY_PORT}`, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const staff = await city.newPage();
  await signIn(staff, 'ty_staff', '太原市中心业务人员', 'city:ty_staff');
  await menuItem(staff, '评标专家库').click();
  await expect(staff).toHaveURL(/\/experts$/);
  await expect(staff.getByText('本节点使用省级评标专家库')).toBeVisible();
  await expect(staff.getByText(/评标专家库由省级平台统一管理/)).toBeVisible();
  await expect(button(staff, '登记专家')).toHaveCount(0);
  await expect(staff.getByRole('table')).toHaveCount(0);

  // The expert's first sign-in is at the province (password change and dynamic code are kept there).
  const home = await browser.newContext({ baseURL: `http://127.0.0.1:${PROVINCE_PORT}`, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const enrolled = await expertFirstSignIn(await home.newPage(), account.username, account.initialPassword, EXPERT_PASSWORD, expert.name);
  await home.close();

  await city.close();

  // Then on the city with the same password; the code is checked at the province, in a step the enrolment did not use.
  const expertOnCity = await browser.newContext({ baseURL: `http://127.0.0.1:${CITY_PORT}`, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const page = await expertOnCity.newPage();
  await page.goto('/workbench/login');
  await page.getByLabel('用户名', { exact: true }).fill(account.username);
  await page.getByLabel('密码', { exact: true }).fill(EXPERT_PASSWORD);
  await button(page, '登录').click();
  await expect(page.getByLabel('动态验证码')).toBeVisible();
  while (Math.floor(Date.now() / TOTP_STEP_MS) === enrolled.step || TOTP_STEP_MS - (Date.now() % TOTP_STEP_MS) < 2_000) await page.waitForTimeout(500);
  await page.getByLabel('动态验证码').fill(await generate({ secret: enrolled.secret }));
  await button(page, '验证').click();
  await expect(page.getByRole('heading', { level: 4, name: new RegExp(`，${expert.name}$`) })).toBeVisible();
  await menuItem(page, '我的评标').click();
  await expect(page).toHaveURL(/\/evaluation\/mine$/);
  await expect(page.getByText('暂无评标任务')).toBeVisible();
  await expertOnCity.close();
});
