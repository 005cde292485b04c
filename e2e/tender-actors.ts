// Helpers of the whole-tender browser test: one browser context per person (each keeps its own
// session, so the tenderer, the centre, three bidders and five experts are signed in side by
// side), the API reached through that same session (cookie + CSRF header, as the workbench does),
// the expert pool created through the API, and an expert's first sign-in through the login page
// (one-time password → TOTP enrolment → new password).
import { expect, type Browser, type Page, type TestInfo } from '@playwright/test';
import { generate } from 'otplib';
import { idNumberFor, usccFor } from '../src/modules/experts/experts.fixtures.ts';
import { button } from './workbench.ts';

export const CST_MS = 8 * 3_600_000;

/** `YYYY-MM-DD HH:mm` CST of an instant, as the pickers take it. */
export function cstText(at: Date): string {
  const t = new Date(at.getTime() + CST_MS).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

/** The instant of `HH:mm` CST on a day. */
export function atCst(day: string, time: string): Date {
  return new Date(Date.parse(`${day}T${time}:00+08:00`));
}

export interface Actor {
  page: Page;
  /** A JSON (or raw) API call in this person's session; throws with the answer on an unexpected status. */
  call: <T = unknown>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, o?: { status?: number; headers?: Record<string, string>; raw?: Buffer }) => Promise<T>;
}

export async function newActor(browser: Browser, testInfo: TestInfo): Promise<Actor> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const call: Actor['call'] = async (method, path, body, o = {}) => {
    const csrf = (await context.cookies()).find((c) => c.name === 'ggzy_csrf')?.value;
    const headers: Record<string, string> = { ...(csrf && method !== 'GET' ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}), ...o.headers };
    const data = o.raw ?? body;
    const res = await page.request.fetch(path, { method, headers, ...(data !== undefined ? { data } : {}) });
    const text = await res.text();
    expect(res.status(), `${method} ${path}: ${text}`).toBe(o.status ?? 200);
    // Files (documents, PDFs) come back as they are; only JSON answers are parsed.
    return (text && (res.headers()['content-type'] ?? '').includes('json') ? JSON.parse(text) : text) as never;
  };
  return { page, call };
}

/**
 * Pool experts for the draw: Taiyuan, specialty A01, employers unrelated to the deal's parties.
 * ID numbers and names carry the run, so a retry of the test on the same servers registers new
 * experts instead of colliding with the first attempt's (the pool keeps one expert per ID number).
 */
export async function createExperts(staff: Actor, count: number): Promise<{ id: string; name: string }[]> {
  const surnames = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨';
  const run = Date.now() % 1_000_000;
  const created: { id: string; name: string }[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${surnames[i % surnames.length]}评${'一二三四五六七八九十'[i % 10]}${'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉'[run % 20]}`;
    const e = await staff.call<{ id: string; name: string }>(
      'POST',
      '/api/v1/experts',
      { name, idNumber: idNumberFor(2_000_000 + run * 10 + i), phone: `1390351${String(7700 + i).padStart(4, '0')}`, regionCode: '140105', employerName: `山西省第${i + 1}建筑设计研究院有限公司`, employerUscc: usccFor(77_000 + i), titles: ['高级工程师'], specialties: ['A01'], primarySpecialty: 'A01' },
      { status: 201 },
    );
    created.push({ id: e.id, name: e.name });
  }
  return created;
}

/**
 * An expert's first sign-in: the one-time password, then the TOTP enrolment the expert role
 * requires (the secret read off the screen, the code computed from it), then a new password.
 * Returns the secret, for the expert's later sign-ins.
 */
export async function expertFirstSignIn(page: Page, username: string, initialPassword: string, newPassword: string, displayName: string): Promise<{ secret: string; step: number }> {
  await page.goto('/workbench/login');
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(initialPassword);
  await button(page, '登录').click();
  // Password hashing (argon2id) is the slow part of a first sign-in, more so with a whole panel at once.
  const slow = { timeout: 30_000 };
  const secretBox = page.getByLabel('双因素认证密钥');
  await expect(secretBox).toBeVisible(slow);
  const secret = (await secretBox.innerText()).replace(/\s+/g, '');
  const step = Math.floor(Date.now() / 30_000);
  await page.getByLabel('动态验证码').fill(await generate({ secret }));
  await button(page, '确认绑定').click();
  await expect(page.getByLabel('当前密码', { exact: true })).toBeVisible(slow);
  await page.getByLabel('当前密码', { exact: true }).fill(initialPassword);
  await page.getByLabel('新密码', { exact: true }).fill(newPassword);
  await page.getByLabel('确认新密码', { exact: true }).fill(newPassword);
  await button(page, '修改密码').click();
  await expect(page.getByRole('heading', { level: 4, name: new RegExp(`，${displayName}$`) })).toBeVisible();
  // The secret and the TOTP step the enrolment used (a code is accepted once per account and step).
  return { secret, step };
}

/** Types an instant (CST) into a date-time picker of the tender screens. */
export async function pick(page: Page, label: string, at: Date): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(cstText(at));
  await input.press('Enter');
  await expect(input).toHaveValue(cstText(at));
}
