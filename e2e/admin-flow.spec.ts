// The administrator flow of the workbench, end to end in a real browser against the real server:
// the demo system administrator signs in with a TOTP code, creates an organisation and an account
// in it; the new user signs in with the initial password, is made to change it, and reaches the
// workbench; the old password no longer works, the new one does.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { choose, demoTotpCode } from './workbench.ts';

// Demo data (src/seed/demo.ts): public by design, never seeded in production.
const ADMIN = { username: 'sysadmin', password: 'Demo@2026ggzy', displayName: '省中心系统管理员' };

const SHOTS = fileURLToPath(new URL('../.tmp/e2e-shots', import.meta.url));

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/**
 * A button by its text. Ant Design keeps the loading icon (aria-label "loading") in the button for
 * a while after a quick request, which then becomes part of the accessible name: "loading 登录".
 */
function button(scope: Page | Locator, text: string): Locator {
  return scope.getByRole('button', { name: new RegExp(`^(loading )?${text}$`) });
}

/** Fills 用户名 / 密码 and clicks 登录 on the password step. */
async function submitPassword(page: Page, username: string, password: string): Promise<void> {
  await expect(page.getByText('用户登录', { exact: true })).toBeVisible();
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
}

/** The workbench shell with the signed-in user's name in the header and on the home page. */
async function expectWorkbenchHome(page: Page, displayName: string): Promise<void> {
  // Not the screen the previous user was on when signing out (a login after 退出登录 starts afresh).
  await expect(page, `${displayName} should land on the workbench home page`).toHaveURL(/\/workbench\/?$/);
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 4, name: new RegExp(`，${displayName}$`) })).toBeVisible();
  await expect(page.getByText('欢迎使用公共资源交易一体化平台工作台。')).toBeVisible();
}

async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/workbench\/login$/);
  await expect(page.getByRole('heading', { name: '工作台登录' })).toBeVisible();
}

test('系统管理员以动态验证码登录，新建机构和账号；新用户首次登录须修改密码', async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const orgName = `端到端测试交易中心${run}`;
  const user = {
    username: `e2e_${run}`,
    displayName: `测试用户${run.slice(-4)}`,
    initialPassword: 'Init@2026pass',
    newPassword: 'Fresh#2026Pwd',
  };

  // 1. The administrator: password, then the TOTP code.
  await page.goto('/workbench/login');
  await expect(page.getByRole('heading', { name: '工作台登录' })).toBeVisible();
  await expect(page.getByText('公共资源交易一体化平台', { exact: true })).toBeVisible();
  await expect(page.getByText('账号密码', { exact: true })).toBeVisible();
  await shot(page, '01-login');
  await submitPassword(page, ADMIN.username, ADMIN.password);

  await expect(page.getByText('您的账号已启用双因素认证，请输入身份验证器应用中显示的动态验证码。')).toBeVisible();
  await page.getByLabel('动态验证码').fill(await demoTotpCode(ADMIN.username));
  await shot(page, '02-totp');
  await button(page, '验证').click();

  await expectWorkbenchHome(page, ADMIN.displayName);
  await expect(page.getByRole('cell', { name: '系统管理员', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: '全省', exact: true })).toBeVisible();
  await shot(page, '03-admin-home');

  // 2. A new organisation under the Taiyuan city centre, in the Taiyuan region.
  const menu = page.getByRole('menu', { name: '功能菜单' });
  await menu.getByRole('menuitem', { name: '组织机构' }).click();
  await expect(page).toHaveURL(/\/workbench\/admin\/organisations$/);
  await expect(page.getByRole('heading', { name: '组织机构' })).toBeVisible();
  // (A cell with sub-organisations starts with its expand / collapse button: "关闭行 …".)
  await expect(page.getByRole('cell', { name: /^(关闭行 |展开行 )?太原市公共资源交易中心$/ })).toBeVisible();
  await page.getByRole('button', { name: '新建机构' }).click();

  const orgDialog = page.getByRole('dialog', { name: '新建机构' });
  await expect(orgDialog).toBeVisible();
  await orgDialog.getByLabel('名称', { exact: true }).fill(orgName);
  // 类型 defaults to 交易中心 for a new top-level organisation; choose it explicitly anyway.
  await choose(page, orgDialog, '类型', '交易中心');
  await choose(page, orgDialog, '上级机构', '太原市公共资源交易中心', '太原市公共资源交易中心');
  await choose(page, orgDialog, '行政区划', '太原市（140100）', '太原市');
  await shot(page, '04-org-dialog');
  await button(orgDialog, '保存').click();

  // The notice shows for 3 s from the moment of success: look for it while the dialog is still
  // closing, not after (on a loaded machine the close animation can outlast the notice).
  await expect(page.getByText('机构已创建')).toBeVisible();
  await expect(orgDialog).toBeHidden();
  const orgRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: orgName, exact: true }) });
  await expect(orgRow).toBeVisible();
  await expect(orgRow.getByRole('cell', { name: '交易中心', exact: true })).toBeVisible();
  await expect(orgRow.getByRole('cell', { name: '山西省 太原市', exact: true })).toBeVisible();
  await expect(orgRow.getByText('正常', { exact: true })).toBeVisible();
  // Nested under the Taiyuan centre (which now has a collapse button): one level deeper.
  const parentRow = page.getByRole('row', { name: /^关闭行 太原市公共资源交易中心 / });
  await expect(parentRow.getByRole('button', { name: '关闭行' })).toHaveAttribute('aria-expanded', 'true');
  await expect(parentRow).toHaveClass(/ant-table-row-level-1/);
  await expect(orgRow).toHaveClass(/ant-table-row-level-2/);
  await orgRow.scrollIntoViewIfNeeded();
  await shot(page, '05-org-tree');

  // 3. An account in the new organisation.
  await menu.getByRole('menuitem', { name: '用户账号' }).click();
  await expect(page).toHaveURL(/\/workbench\/admin\/accounts$/);
  await expect(page.getByRole('heading', { name: '用户账号' })).toBeVisible();
  await page.getByRole('button', { name: '新建账号' }).click();

  const accountDialog = page.getByRole('dialog', { name: '新建账号' });
  await expect(accountDialog).toBeVisible();
  await accountDialog.getByLabel('用户名', { exact: true }).fill(user.username);
  await accountDialog.getByLabel('姓名', { exact: true }).fill(user.displayName);
  await choose(page, accountDialog, '所属机构', orgName, orgName);
  await accountDialog.getByLabel('初始密码', { exact: true }).fill(user.initialPassword);
  await shot(page, '06-account-dialog');
  await button(accountDialog, '保存').click();

  await expect(page.getByText('账号已创建，用户首次登录时须修改初始密码')).toBeVisible();
  await expect(accountDialog).toBeHidden();
  await page.getByLabel('账号关键字').fill(user.username);
  await page.getByLabel('账号关键字').press('Enter');
  const accountRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: user.username, exact: true }) });
  await expect(accountRow).toBeVisible();
  await expect(accountRow.getByRole('cell', { name: user.displayName, exact: true })).toBeVisible();
  await expect(accountRow.getByRole('cell', { name: orgName, exact: true })).toBeVisible();
  await expect(accountRow.getByText('待改密', { exact: true })).toBeVisible();
  await expect(accountRow.getByText('未分配', { exact: true })).toBeVisible();
  await shot(page, '07-accounts');

  // 4. The new account has no roles, hence no TOTP: password, then the forced change.
  await logout(page);
  await submitPassword(page, user.username, user.initialPassword);
  await expect(page.getByText('请先修改密码', { exact: true })).toBeVisible();
  await expect(page.getByLabel('动态验证码')).toHaveCount(0);
  await expect(page.getByText('您的密码为临时密码或已过期，修改后方可使用系统。')).toBeVisible();
  await page.getByLabel('当前密码', { exact: true }).fill(user.initialPassword);
  await page.getByLabel('新密码', { exact: true }).fill(user.newPassword);
  await page.getByLabel('确认新密码', { exact: true }).fill(user.newPassword);
  await shot(page, '08-password-change');
  await button(page, '修改密码').click();

  await expectWorkbenchHome(page, user.displayName);
  const welcome = page.locator('.welcome-card');
  await expect(welcome.getByText(user.username, { exact: true })).toBeVisible();
  await expect(welcome.getByText(orgName, { exact: true })).toBeVisible();
  await expect(page.getByText('尚未分配角色，请联系安全管理员')).toBeVisible();
  await shot(page, '09-user-home');

  // 5. The initial password is gone; the new one signs straight in.
  await logout(page);
  await submitPassword(page, user.username, user.initialPassword);
  await expect(page.getByRole('alert').filter({ hasText: /^用户名或密码错误/ })).toBeVisible();
  await expect(page.getByText('用户登录', { exact: true })).toBeVisible();
  await shot(page, '10-old-password-rejected');

  await page.getByLabel('密码', { exact: true }).fill(user.newPassword);
  await button(page, '登录').click();
  await expectWorkbenchHome(page, user.displayName);
  await expect(page.getByText('请先修改密码', { exact: true })).toBeHidden();
});
