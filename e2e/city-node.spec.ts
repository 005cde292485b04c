// One registration valid across the province, in a real browser: a demo entity registered and
// approved at the province (山西龙城路桥工程有限公司, account `bidder1`) signs in on the Taiyuan city
// node's workbench with its province password. A wrong password is refused with the province's
// own message (counted there), and so is an entity whose registration the province has not yet
// approved (`bidder`); after signing in, 本主体信息 shows the approved profile read-only with a
// notice that changes are made at the province, and 本主体信用 says the credit archive is the
// province's. Both nodes run as separate servers (playwright.config.ts).
import { expect, test, type Page } from '@playwright/test';
import { button, DEMO_PASSWORD, signInEntity } from './workbench.ts';
import { CITY_PORT } from './nodes.ts';

// src/seed/demo-trading.ts (approved) and src/seed/demo-registry.ts (still registering)
const ENTITY = { username: 'bidder1', displayName: '龙城路桥投标专员', name: '山西龙城路桥工程有限公司' };
const REGISTERING = 'bidder';

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
