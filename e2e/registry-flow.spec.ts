// The market-entity registry end to end in a real browser against the real server: a new
// organisation registers itself from the login page, signs in (no second factor), saves its
// profile with a registered capital that differs from its business licence, uploads a rendered
// licence and sees the mismatch in the OCR comparison, fixes the field and submits; the Taiyuan
// centre staff (TOTP) approve it in 主体审核; the entity then shows as 已生效.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { usccFor } from '../src/modules/experts/experts.fixtures.ts';
import { licenceImage, type LicenceFacts } from './licence.ts';
import { DEMO_PASSWORD, demoTotpCode } from './workbench.ts';

const SHOTS = fileURLToPath(new URL('../.tmp/e2e-shots', import.meta.url));

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

function button(scope: Page | Locator, text: string): Locator {
  return scope.getByRole('button', { name: new RegExp(`^(loading )?${text}$`) });
}

async function submitPassword(page: Page, username: string, password: string): Promise<void> {
  await expect(page.getByText('用户登录', { exact: true })).toBeVisible();
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await button(page, '登录').click();
}

async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/workbench\/login$/);
}

/** The image is on screen and decoded (not just its alt text). */
async function expectImageShown(img: Locator): Promise<void> {
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
}

/** Picks an option of an Ant Design (multiple) Select by its label. */
async function chooseOption(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
  await page.keyboard.press('Escape');
}

test('市场主体自助注册、完善信息并上传执照比对，交易中心审核通过后生效', async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  const run = Date.now() % 10_000_000;
  const uscc = usccFor(30_000_000 + run);
  // Fixed words (the OCR reads them back); the code is what makes each run's entity new.
  const name = '山西晋建端到端建设工程有限公司';
  const username = `ent_${run.toString(36)}`;
  const password = 'Entity@2026pass';
  const licence: LicenceFacts = { name, uscc, legalRepresentative: '王建国', registeredCapitalWanYuan: 5000, entityType: '有限责任公司', establishedOn: '2012-05-18', address: '山西省太原市小店区长治路100号' };

  // 1. Registration from the login page.
  await page.goto('/workbench/login');
  await page.getByRole('link', { name: '市场主体注册' }).click();
  await expect(page).toHaveURL(/\/workbench\/register$/);
  await expect(page.getByRole('heading', { name: '市场主体注册', level: 3 })).toBeVisible();
  await page.getByLabel('统一社会信用代码', { exact: true }).fill(uscc);
  await page.getByLabel('名称', { exact: true }).fill(name);
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByLabel('确认密码', { exact: true }).fill(password);
  await page.getByLabel('经办人姓名', { exact: true }).fill('李明');
  await shot(page, 'r01-register');
  await button(page, '注册').click();

  await expect(page).toHaveURL(/\/workbench\/login$/);
  await expect(page.getByText('注册成功', { exact: true })).toBeVisible();
  await expect(page.getByText(`请使用用户名 ${username} 登录`, { exact: false })).toBeVisible();

  // 2. The entity signs in without a TOTP code and opens 本主体信息.
  await submitPassword(page, username, password);
  await expect(page).toHaveURL(/\/workbench\/?$/);
  await expect(page.locator('.welcome-card').getByText(name, { exact: true })).toBeVisible();
  await page.getByRole('menu', { name: '功能菜单' }).getByRole('menuitem', { name: '本主体信息' }).click();
  await expect(page.getByRole('heading', { name: '本主体信息' })).toBeVisible();
  const status = page.getByLabel('主体状态');
  await expect(status.getByText('注册中', { exact: true })).toBeVisible();
  await expect(status.getByText('草稿', { exact: true })).toBeVisible();

  // 3. The profile, with a registered capital that is not the licence's.
  await expect(page.getByLabel('名称', { exact: true })).toHaveValue(name);
  await page.getByLabel('主体类型', { exact: true }).fill(licence.entityType);
  await page.getByLabel('注册资本（万元）', { exact: true }).fill('3000');
  await page.getByLabel('成立日期', { exact: true }).fill(licence.establishedOn);
  await page.getByLabel('成立日期', { exact: true }).press('Enter');
  await page.getByLabel('住所', { exact: true }).fill(licence.address);
  await chooseOption(page, '主体角色', '投标人');
  await page.getByLabel('法定代表人姓名', { exact: true }).fill(licence.legalRepresentative);
  await page.getByLabel('联系人 1 姓名', { exact: true }).fill('李明');
  await page.getByLabel('联系人 1 电话', { exact: true }).fill('13912345678');
  await button(page, '保存草稿').click();
  await expect(page.getByText('草稿已保存')).toBeVisible();

  // 4. The licence: the comparison names the mismatch.
  const licenceCard = page.locator('.ant-card').filter({ has: page.getByText('营业执照', { exact: true }) }).last();
  await licenceCard.locator('input[type=file]').setInputFiles({ name: 'licence.png', mimeType: 'image/png', buffer: await licenceImage(licence) });
  await expect(page.getByText(/执照已上传/)).toBeVisible({ timeout: 60_000 });
  await expectImageShown(licenceCard.getByRole('img', { name: '营业执照' }));
  const comparison = licenceCard.getByRole('table');
  const capitalRow = comparison.getByRole('row').filter({ hasText: '注册资本' });
  await expect(capitalRow.getByText('不一致', { exact: true })).toBeVisible();
  await expect(licenceCard.getByText(/表单与营业执照有 \d+ 项不一致/)).toBeVisible();
  await shot(page, 'r02-mismatch');

  // 5. Fix the field, save, see it match; submit.
  await page.getByLabel('注册资本（万元）', { exact: true }).fill(String(licence.registeredCapitalWanYuan));
  await button(page, '保存草稿').click();
  await expect(capitalRow.getByText('一致', { exact: true })).toBeVisible();
  await button(page, '提交审核').click();
  await button(page.locator('.ant-popover'), '提交').click();
  await expect(page.getByText('已提交审核，请等待交易中心审核')).toBeVisible();
  await expect(status.getByText('待审核', { exact: true })).toBeVisible();
  await expect(page.getByLabel('版本历史').getByText('待审核', { exact: true })).toBeVisible();
  await shot(page, 'r03-submitted');

  // 6. The Taiyuan centre staff approve it.
  await logout(page);
  await submitPassword(page, 'ty_staff', DEMO_PASSWORD);
  await expect(page.getByLabel('动态验证码')).toBeVisible();
  await page.getByLabel('动态验证码').fill(await demoTotpCode('ty_staff'));
  await button(page, '验证').click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  await page.getByRole('menu', { name: '功能菜单' }).getByRole('menuitem', { name: '主体审核' }).click();
  await expect(page.getByRole('heading', { name: '主体审核' })).toBeVisible();
  await page.getByRole('button', { name: `审核 ${name}` }).click();
  const drawer = page.getByRole('dialog', { name: new RegExp(`^审核：${name}`) });
  await expect(drawer).toBeVisible();
  await expectImageShown(drawer.getByRole('img', { name: `${name} 营业执照` }));
  await expect(drawer.getByText('表单与营业执照识别结果一致')).toBeVisible();
  await shot(page, 'r04-review');
  await button(drawer, '通过').click();
  await expect(page.getByText(`已通过：${name}`)).toBeVisible();
  await expect(page.getByRole('button', { name: `审核 ${name}` })).toHaveCount(0);

  // 7. The entity is in force.
  await logout(page);
  await submitPassword(page, username, password);
  await page.getByRole('menu', { name: '功能菜单' }).getByRole('menuitem', { name: '本主体信息' }).click();
  await expect(status.getByText('已生效', { exact: true })).toBeVisible();
  await expect(page.getByLabel('版本历史').getByText('已通过', { exact: true })).toBeVisible();
  await shot(page, 'r05-active');
});
