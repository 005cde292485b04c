// A bidder's steps on the bidding screens, shared by the bidding test and the whole-tender test:
// a sealing key generated in the browser (its key file downloaded), the bid screen of a lot
// reached from 我的投标, the opening form filled and a PDF sealed in the browser and uploaded
// with its receipt verified against the platform key, and the decryption at the opening with the
// key file. Nothing here goes around the screens.
import { expect, type Locator, type Page } from '@playwright/test';
import { button } from './workbench.ts';

export function menuItem(page: Page, name: string): Locator {
  return page.getByRole('menu', { name: '功能菜单' }).getByRole('menuitem', { name });
}

export async function openScreen(page: Page, name: string): Promise<void> {
  await menuItem(page, name).click();
  await expect(page.getByRole('heading', { level: 4, name })).toBeVisible();
}

/** Loads a key file and passphrase into the key-file form of `scope` and presses its button. */
export async function useKeyFile(scope: Locator, keyFile: string, passphrase: string, action: string): Promise<void> {
  await scope.locator('input[type=file]').setInputFiles(keyFile);
  await expect(scope.getByText(/指纹 [0-9a-f]{8}…/)).toBeVisible();
  await scope.getByLabel('密钥文件口令', { exact: true }).fill(passphrase);
  await button(scope, action).click();
}

/** On 密封密钥: generates and registers a key in the browser; its key file is saved at `keyFile`. */
export async function generateSealingKey(page: Page, passphrase: string, keyFile: string): Promise<void> {
  await button(page, '生成密封密钥').click();
  const dialog = page.getByRole('dialog', { name: '生成密封密钥' });
  // The name is proposed from the keys the bidder already has (a retried test has one): say it.
  await dialog.getByLabel('密钥名称', { exact: true }).fill('工作密钥');
  await dialog.getByLabel('密钥文件口令', { exact: true }).fill(passphrase);
  await dialog.getByLabel('确认口令', { exact: true }).fill(passphrase);
  // The passphrase derivation (PBKDF2-HMAC-SM3, 100 000 rounds in a worker) takes seconds here.
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await button(dialog, '生成并登记').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^密封密钥-工作密钥-[0-9a-f]{8}\.json$/);
  await file.saveAs(keyFile);
  await expect(page.getByText('密封密钥已登记，密钥文件已下载')).toBeVisible();
  await expect(dialog.getByText('密封密钥已登记', { exact: true })).toBeVisible();
  await button(dialog, '完成').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: '工作密钥' }).getByText('有效').first()).toBeVisible();
}

/** 我的投标: searches the project and opens the bid screen of its lot. */
export async function openBidScreen(page: Page, project: string, lot: string, ids: { projectId: string; lotId: string }): Promise<void> {
  await openScreen(page, '我的投标');
  await page.getByLabel('搜索项目').fill(project);
  await page.getByLabel('搜索项目').press('Enter');
  // The list shows every project in bidding until the search answers (the demo deals have lots of the same name).
  await expect(page.getByRole('button', { name: `进入投标 ${lot}` })).toHaveCount(1);
  await expect(page.getByRole('cell', { name: project, exact: true })).toBeVisible();
  await page.getByRole('button', { name: `进入投标 ${lot}` }).click();
  await expect(page.getByRole('heading', { level: 4, name: lot })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/bidding/projects/${ids.projectId}/lots/${ids.lotId}$`));
}

export interface BidForm {
  /** 投标报价（元）as typed, and as the screen shows it back (`11,880,000.50`). */
  price: string;
  shown: string;
  days: number;
  manager: string;
  file: { name: string; buffer: Buffer };
}

/** The bid screen: 开标一览表, the file, 加密并递交; the signed receipt verified in the browser. */
export async function sealAndSubmit(page: Page, bid: BidForm, bidderName: string): Promise<void> {
  await page.getByLabel('投标报价（元）', { exact: true }).fill(bid.price);
  await expect(page.getByText(`即 ${bid.shown} 元`, { exact: false })).toBeVisible();
  await page.getByLabel('工期（日历天）', { exact: true }).fill(String(bid.days));
  await page.getByLabel('质量标准', { exact: true }).fill('合格');
  await page.getByLabel('项目经理', { exact: true }).fill(bid.manager);
  await page.getByRole('tabpanel', { name: '递交投标文件' }).locator('input[type=file]').setInputFiles({ name: bid.file.name, mimeType: 'application/pdf', buffer: bid.file.buffer });
  await button(page, '加密并递交').click();
  await expect(page.getByText('投标文件已递交，平台已签发回执')).toBeVisible({ timeout: 30_000 });
  const receipt = page.getByLabel('投标回执').first();
  await expect(receipt.getByText('回执验签通过')).toBeVisible();
  await expect(receipt.getByText(/^[0-9a-f]{64}$/)).toBeVisible();
  await expect(receipt.getByText(bidderName, { exact: true })).toBeVisible();
  await expect(page.getByText('已递交（密封）').first()).toBeVisible();
}

/** The bid screen's 开标解密 tab, once the window is open: the panel, for a test that does more there. */
export async function decryptionPanel(page: Page): Promise<Locator> {
  // The bidder's window in front again: Chromium throttles the timers of pages in the background.
  await page.bringToFront();
  await button(page, '刷新').click();
  await page.getByRole('tab', { name: '开标解密' }).click();
  const panel = page.getByRole('tabpanel', { name: '开标解密' });
  await expect(panel.getByText(/开标解密进行中，剩余 \d{2}:\d{2}:\d{2}/)).toBeVisible({ timeout: 20_000 });
  return panel;
}

/** Decrypts the bidder's own bid at the opening with its key file. */
export async function decryptAtOpening(page: Page, keyFile: string, passphrase: string): Promise<void> {
  const panel = await decryptionPanel(page);
  await useKeyFile(panel, keyFile, passphrase, '解密投标文件');
  await expect(page.getByText('投标文件解密成功')).toBeVisible({ timeout: 60_000 });
}
