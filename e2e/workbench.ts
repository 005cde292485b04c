// Helpers for browser tests of the workbench: signing in with the demo TOTP secret, picking Ant
// Design select options, buttons by text.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { generate } from 'otplib';

// Demo data (src/seed/demo.ts): public by design, never seeded in production.
export const DEMO_PASSWORD = 'Demo@2026ggzy';
export const DEMO_TOTP_SECRET = 'GGZYDEMOTOTPSECRETKEY234GGZYDEMO';
export const TOTP_STEP_MS = 30_000;

/**
 * A button by its text. A button's icon is part of its accessible name ("plus 登记信用记录"), and
 * Ant Design keeps the loading icon in it for a while after a quick request ("loading 登录").
 */
export function button(scope: Page | Locator, text: string): Locator {
  return scope.getByRole('button', { name: new RegExp(`(^| )${text}$`) });
}

/**
 * The TOTP step each demo account last signed in with, kept in a file rather than in memory: the
 * server accepts a code once per account and step, and Playwright starts a new worker after a
 * failed test, so a retry (or the next test file) must know the step the failed attempt used.
 */
const USED_STEPS = fileURLToPath(new URL('../.tmp/e2e-totp-steps.json', import.meta.url));
const step = () => Math.floor(Date.now() / TOTP_STEP_MS);

function usedSteps(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(USED_STEPS, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

/**
 * The current TOTP code of a demo account, computed once the account may use it: clear of a step
 * boundary (so the code is still current when it reaches the server) and in a step this account
 * has not signed in with yet, waiting for the next step otherwise. The step is recorded as used.
 */
export async function demoTotpCode(username: string): Promise<string> {
  if (TOTP_STEP_MS - (Date.now() % TOTP_STEP_MS) < 2_000 || usedSteps()[username] === step()) {
    await new Promise((r) => setTimeout(r, TOTP_STEP_MS - (Date.now() % TOTP_STEP_MS) + 250));
  }
  mkdirSync(dirname(USED_STEPS), { recursive: true });
  writeFileSync(USED_STEPS, JSON.stringify({ ...usedSteps(), [username]: step() }));
  return generate({ secret: DEMO_TOTP_SECRET });
}

/**
 * Signs a demo account in: password, then the current TOTP code, and waits for the home page. A
 * code is accepted once per account and step: an account that signed in during the current step
 * (an earlier test of this worker) waits for the next one; a retry (a new worker) waits itself.
 * `totpKey` names the account in that bookkeeping: the same username on another node is another account.
 */
export async function signIn(page: Page, username: string, displayName: string, totpKey = username): Promise<void> {
  await page.goto('/workbench/login');
  await expect(page.getByText('用户登录', { exact: true })).toBeVisible();
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await button(page, '登录').click();
  await expect(page.getByLabel('动态验证码')).toBeVisible();
  await page.getByLabel('动态验证码').fill(await demoTotpCode(totpKey));
  await button(page, '验证').click();
  await expect(page).toHaveURL(/\/workbench\/?$/);
  await expect(page.getByRole('heading', { level: 4, name: new RegExp(`，${displayName}$`) })).toBeVisible();
}

/**
 * Picks an option of an Ant Design Select / TreeSelect: types `search` (or just opens it), clicks
 * the option titled `title`, and checks the dropdown closed with `title` shown in the form item.
 * A click that did not take (a TreeSelect just given a search text sometimes ignores the first)
 * is tried again, after checking whether an earlier click took after all.
 */
export async function choose(page: Page, scope: Locator, label: string, title: string, search?: string): Promise<void> {
  const field = scope.getByLabel(label, { exact: true });
  const item = scope.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) });
  const dropdown = page.locator('.ant-select-dropdown:visible');
  let attempt = 0;
  await expect(async () => {
    attempt++;
    const open = (await dropdown.count()) > 0;
    if (attempt > 1 && !open && (await item.innerText()).includes(title)) return;
    if (!open) {
      if (search === undefined) await field.click();
      else await field.fill(search);
    }
    await dropdown.getByTitle(title, { exact: true }).click({ timeout: 3_000 });
    await expect(dropdown).toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 20_000, intervals: [250, 500, 1_000] });
  await expect(item).toContainText(title);
}

/** Picks several options of a multiple Select, then closes its dropdown. */
export async function chooseMany(page: Page, scope: Locator, label: string, titles: string[]): Promise<void> {
  const field = scope.getByLabel(label, { exact: true });
  const item = scope.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) });
  const dropdown = page.locator('.ant-select-dropdown:visible');
  for (const title of titles) {
    await expect(async () => {
      if ((await item.locator('.ant-select-selection-item').filter({ hasText: title }).count()) > 0) return;
      if ((await dropdown.count()) === 0) await field.click();
      await dropdown.locator('.ant-select-item-option').filter({ hasText: new RegExp(`^${title}$`) }).click({ timeout: 3_000 });
      await expect(item.locator('.ant-select-selection-item').filter({ hasText: title })).toHaveCount(1, { timeout: 2_000 });
    }).toPass({ timeout: 20_000, intervals: [250, 500, 1_000] });
  }
  await field.press('Escape');
  await expect(dropdown).toHaveCount(0);
}

/** Signs a market entity's account in: password only (entity accounts have no second factor). */
export async function signInEntity(page: Page, username: string, displayName: string): Promise<void> {
  await page.goto('/workbench/login');
  await expect(page.getByText('用户登录', { exact: true })).toBeVisible();
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await button(page, '登录').click();
  await expect(page).toHaveURL(/\/workbench\/?$/);
  await expect(page.getByRole('heading', { level: 4, name: new RegExp(`，${displayName}$`) })).toBeVisible();
}

/**
 * Signs an account in over the API for seeding (no browser): password, then — for staff — the
 * current TOTP code, and returns the bearer token (bearer requests need no CSRF header). Shares
 * the TOTP bookkeeping of signIn, so the same account may sign in again in the browser.
 */
export async function bearerSignIn(request: APIRequestContext, username: string, password = DEMO_PASSWORD): Promise<string> {
  const login = await request.post('/api/v1/auth/login', { data: { username, password, tokenType: 'bearer' } });
  expect(login.status(), await login.text()).toBe(200);
  const answer = (await login.json()) as { stage: string; token: string };
  if (answer.stage === 'mfa') {
    const verify = await request.post('/api/v1/auth/mfa/verify', { data: { code: await demoTotpCode(username) }, headers: { authorization: `Bearer ${answer.token}` } });
    expect(verify.status(), await verify.text()).toBe(200);
  }
  return answer.token;
}
