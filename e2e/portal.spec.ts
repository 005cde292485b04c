// The public portal in Chromium, on a desktop and on a 390 × 844 phone (with JavaScript off: the
// pages are server-rendered and must work without it): find a notice by search, open its deal
// by typing the deal code into the search box, read the deal's public timeline. The content is
// the demo seed's tender deals (src/seed/demo-portal.ts), published through the procedure.
import { expect, test, type Page } from '@playwright/test';

const NOTICE = '大同市平城区御河东路桥梁维修加固工程施工招标公告';
const DEAL = '大同市平城区御河东路桥梁维修加固工程';

async function findByCode(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: '山西省公共资源交易平台' })).toBeVisible();
  await expect(page.getByRole('link', { name: '登录工作台' }).first()).toBeVisible();

  // Find the notice by words of its title.
  const search = page.getByRole('search').getByLabel('搜索公告、项目名称、交易标识码或统一社会信用代码');
  await search.fill('桥梁维修');
  await search.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.locator('mark').first()).toBeVisible();
  await page.getByRole('link', { name: NOTICE }).click();
  await expect(page.getByRole('heading', { level: 1, name: NOTICE })).toBeVisible();
  await expect(page.getByText('一、招标条件')).toBeVisible();
  const code = (await page.locator('dt:text-is("统一交易标识码") + dd code').innerText()).trim();
  expect(code).toMatch(/^[0-9A-Z]{18}-\d{8}-\d{6}-[0-9A-Z]$/);

  // Open the deal by typing its code (as printed, with hyphens) into the search box.
  const again = page.getByRole('search').getByLabel('搜索公告、项目名称、交易标识码或统一社会信用代码');
  await again.fill(code.toLowerCase());
  await again.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/deals/${code.replace(/-/g, '')}$`));
  await expect(page.getByRole('heading', { level: 1, name: DEAL })).toBeVisible();
  await expect(page.getByText('招标中').first()).toBeVisible();

  // The public timeline, in order.
  const timeline = page.getByRole('region', { name: '交易过程' }).getByRole('listitem');
  await expect(timeline.first()).toContainText('项目受理并赋码');
  const labels = await timeline.locator('strong').allInnerTexts();
  expect(labels.slice(0, 3)).toEqual(['项目受理并赋码', '标段赋码', '招标公告发布']);
  expect(labels).toContain('招标文件发布');
  await expect(timeline.filter({ hasText: '招标公告发布' })).toContainText('投标截止');
}

test.describe('portal on a desktop', () => {
  test('find a notice by search, open its deal by code, read the timeline', async ({ page }) => {
    await findByCode(page);
  });
});

test.describe('portal on a phone, JavaScript off', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: false });

  test('find a notice by search, open its deal by code, read the timeline; nothing wider than the screen down to 360 px', async ({ page }) => {
    await findByCode(page);
    const deal = page.url();
    for (const url of [deal, '/', '/notices', '/city/140200-datong/']) {
      await page.goto(url);
      const width = await page.locator('html').evaluate((el) => (el as unknown as { scrollWidth: number }).scrollWidth);
      expect(width, url).toBeLessThanOrEqual(390);
    }
    // The narrowest phones the portal is for.
    await page.setViewportSize({ width: 360, height: 740 });
    for (const url of [deal, '/notices']) {
      await page.goto(url);
      expect(await page.locator('html').evaluate((el) => (el as unknown as { scrollWidth: number }).scrollWidth), url).toBeLessThanOrEqual(360);
    }
  });
});
