// Sealed bids and the online opening, end to end in a real browser: three bidders each generate a
// sealing key in the browser (the key file is downloaded), download the tender documents, fill
// the opening form (开标一览表), seal and upload a PDF and see the signed receipt verified against
// the platform key; one rehearses the decryption; the Taiyuan centre's staff see only the count
// and arrival times, then fast-forward the deal's clock to the deadline (demo mode); the platform
// opens the lot for decryption; the bidders decrypt with their key files — one types a wrong
// passphrase first — and after the last decryption the opening record shows the three bidders
// with their prices, to the bidders and to the staff.
//
// Seeding (beforeAll, over the HTTP API of the server Playwright starts, so nothing bypasses the
// rules): a tenderer and three bidders register through the public registration route, complete
// their profiles, upload a rendered business licence (the real OCR reads it) and submit; the
// province centre's staff account (`staff`, TOTP) approves them. The tenderer registers a project
// with one lot; `staff` accepts it, the tenderer drafts the notice and uploads the documents, and
// `staff` publishes. The documents period must start in the future at publication, so `staff`
// then moves the deal's clock (demo mode) just past its start instead of waiting. The browser
// uses `ty_staff`, so no TOTP step is shared with the seeding.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext, type APIResponse, type Browser, type Page, type TestInfo } from '@playwright/test';
import { chinaDate, firstWorkingDayFrom, periodEnd } from '../src/platform/calendar/china-calendar.ts';
import { idNumberFor, usccFor } from '../src/modules/experts/experts.fixtures.ts';
import { generateSm2KeyPair, sm2Sign } from '../src/platform/crypto/sm2.ts';
import { generateFileKey, sealBuffer, sealFileKey, sealingKeyProofMessage } from '../src/modules/trading/bid-envelope.ts';
import { buildBidPackage } from '../web/src/crypto/bid-package.ts';
import { licenceImage, type LicenceFacts } from './licence.ts';
import { decryptAtOpening, decryptionPanel, generateSealingKey, openBidScreen, openScreen, sealAndSubmit, useKeyFile } from './bidding-steps.ts';
import { expertFirstSignIn } from './tender-actors.ts';
import { bearerSignIn, button, choose, DEMO_PASSWORD, signIn, signInEntity } from './workbench.ts';

const SHOTS = fileURLToPath(new URL('../.tmp/e2e-shots', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
const CENTRE = { username: 'ty_staff', displayName: '太原市中心业务人员' };

const run = Date.now() % 10_000_000;
const tag = run.toString(36);
type Party = { username: string; displayName: string; name: string; uscc: string; role: 'tenderer' | 'bidder' };
const TENDERER: Party = { username: `ttd_${tag}`, displayName: '迎泽招标经办人', name: '太原迎泽端到端城建开发有限公司', uscc: usccFor(60_000_000 + run), role: 'tenderer' };
const BIDDERS = [
  { username: `tb1_${tag}`, displayName: '晋阳投标经办人', name: '山西晋阳端到端建设工程有限公司', uscc: usccFor(61_000_000 + run), role: 'bidder' as const, price: '11880000.5', shown: '11,880,000.50', days: 365, manager: '王建国', passphrase: 'Jinyang#2026key' },
  { username: `tb2_${tag}`, displayName: '汾河投标经办人', name: '山西汾河端到端路桥工程有限公司', uscc: usccFor(62_000_000 + run), role: 'bidder' as const, price: '11650000', shown: '11,650,000.00', days: 330, manager: '李志强', passphrase: 'Fenhe#2026key!' },
  { username: `tb3_${tag}`, displayName: '龙城投标经办人', name: '太原龙城端到端市政工程有限公司', uscc: usccFor(63_000_000 + run), role: 'bidder' as const, price: '11999999.99', shown: '11,999,999.99', days: 360, manager: '赵文斌', passphrase: 'Longcheng#2026k' },
];
const PROJECT = `迎泽大街综合改造工程${tag}`;
const LOT = '施工总承包标段';

interface Seeded {
  projectId: string;
  lotId: string;
}
let seeded: Seeded;

/** Bearer sign-in for seeding: password, then (staff) the current TOTP code. */
async function bearer(request: APIRequestContext, username: string): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await bearerSignIn(request, username)}` };
}

async function ok<T>(what: string, response: Promise<APIResponse>, status = 200): Promise<T> {
  const r = await response;
  expect(r.status(), `${what}: ${await r.text()}`).toBe(status);
  return (await r.json()) as T;
}

/** Registers an organisation, completes and submits its profile with a licence; returns its headers and the submitted version. */
async function registerEntity(request: APIRequestContext, e: Party): Promise<{ headers: Record<string, string>; versionId: string }> {
  await ok('register', request.post('/api/v1/public/registrations', { data: { username: e.username, password: DEMO_PASSWORD, displayName: e.displayName, entity: { kind: 'organisation', uscc: e.uscc, name: e.name } } }), 201);
  const headers = await bearer(request, e.username);
  const licence: LicenceFacts = { name: e.name, uscc: e.uscc, legalRepresentative: '张建华', registeredCapitalWanYuan: 8000, entityType: '有限责任公司', establishedOn: '2010-03-15', address: '山西省太原市迎泽区迎泽大街88号' };
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
  await ok('draft', request.put('/api/v1/registry/me/draft', { data: profile, headers }));
  await ok('licence', request.put('/api/v1/registry/me/draft/licence', { data: await licenceImage(licence), headers: { ...headers, 'content-type': 'image/png' }, timeout: 120_000 }));
  const submitted = await ok<{ id: string }>('submit', request.post('/api/v1/registry/me/draft/submit', { headers }));
  return { headers, versionId: submitted.id };
}

/** 技术 60, 商务 10, 价格 30: a 综合评估法 as the notice takes it. */
const METHOD = {
  kind: 'comprehensive',
  technical: [
    { id: 't1', name: '施工组织设计', maxPoints: 40 },
    { id: 't2', name: '项目管理机构', maxPoints: 20 },
  ],
  commercial: [{ id: 'c1', name: '企业业绩', maxPoints: 10 }],
  price: { id: 'price', name: '投标报价', maxPoints: 30, formula: { kind: 'benchmark_mean', downwardCoefficientPercent: 2, trimExtremes: true, deductPerPercentAbove: 1, deductPerPercentBelow: 0.5 } },
};

const atCst = (day: string, time: string) => new Date(Date.parse(`${day}T${time}:00+08:00`));

/**
 * A project of `tenderer` with one lot, accepted and published by `staff`, its deal clock moved
 * just past the documents' start (demo mode) instead of the test waiting for it.
 */
async function publishedLot(request: APIRequestContext, tenderer: Record<string, string>, staff: Record<string, string>, name: string, method: object = METHOD): Promise<Seeded & { deadline: Date }> {
  const project = await ok<{ id: string }>(
    'project',
    request.post('/api/v1/trading/projects', {
      headers: tenderer,
      data: { name, category: 'construction_works', tenderMethod: 'open', regionCode: '140106', supervisingDepartment: '太原市住房和城乡建设局', fundingSource: '财政资金', description: '道路、排水及附属工程施工', lots: [{ name: LOT, kind: 'construction', estimatedPrice: '12500000.00' }] },
    }),
    201,
  );
  await ok('submit project', request.post(`/api/v1/trading/projects/${project.id}/submit`, { headers: tenderer }));
  const accepted = await ok<{ lots: { id: string }[] }>('accept', request.post(`/api/v1/trading/projects/${project.id}/accept`, { headers: staff }));
  const from = new Date(Math.ceil((Date.now() + 3 * 60_000) / 60_000) * 60_000);
  const fromDay = chinaDate(from);
  const deadline = atCst(firstWorkingDayFrom(periodEnd(fromDay, 20).date).date, '09:30');
  const schedule = { documentsFrom: from.toISOString(), documentsUntil: atCst(periodEnd(fromDay, 7).date, '17:00').toISOString(), bidDeadline: deadline.toISOString(), bidValidityDays: 90, decryptionMinutes: 30 };
  await ok('notice', request.put(`/api/v1/trading/projects/${project.id}/notice`, { headers: tenderer, data: { title: `${name}招标公告`, body: `${name}已由有关部门批准建设，现对该项目施工进行公开招标，欢迎符合条件的投标人参加投标。`, schedule, lots: [{ lotId: accepted.lots[0]!.id, bidSecurity: '200000.00', evaluationMethod: method }] } }));
  const pdf = Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n% ${name}\n`);
  await ok('documents', request.put(`/api/v1/trading/projects/${project.id}/documents?name=${encodeURIComponent('招标文件.pdf')}`, { headers: { ...tenderer, 'content-type': 'application/pdf' }, data: pdf }), 201);
  await ok('submit notice', request.post(`/api/v1/trading/projects/${project.id}/notice/submit`, { headers: tenderer }));
  await ok('publish', request.post(`/api/v1/trading/projects/${project.id}/notice/review`, { headers: staff, data: { outcome: 'approved' } }));
  // Demo mode: the deal's clock moves just past the documents' start instead of the test waiting.
  await ok('clock', request.post(`/api/v1/trading/projects/${project.id}/demo-clock`, { headers: staff, data: { to: new Date(from.getTime() + 60_000).toISOString() } }));
  return { projectId: project.id, lotId: accepted.lots[0]!.id, deadline };
}

const lotStatusOf = async (request: APIRequestContext, projectId: string, staff: Record<string, string>) => (await ok<{ lots: { status: string }[] }>('project', request.get(`/api/v1/trading/projects/${projectId}`, { headers: staff }))).lots[0]!.status;

/**
 * Bids over the API (the browser sealing is the first test): each bidder downloads the documents
 * and seals its bid to every active key it has; the deal's clock moves to the deadline; the first
 * `decrypting` bidders decrypt.
 */
async function bidOverApi(request: APIRequestContext, lot: Seeded & { deadline: Date }, staff: Record<string, string>, tenderer: Record<string, string>, label: string, decrypting: number): Promise<void> {
  const notice = await ok<{ documents: { id: string }[] }>('notice', request.get(`/api/v1/trading/projects/${lot.projectId}/notice`, { headers: tenderer }));
  const fileKeys: string[] = [];
  for (const b of BIDDERS) {
    const headers = await bearer(request, b.username);
    const download = await request.get(`/api/v1/trading/projects/${lot.projectId}/documents/${notice.documents[0]!.id}`, { headers });
    expect(download.status()).toBe(200);
    // A key of its own for the API (the browser's key from the first test stays active too: the file key is sealed to both).
    const me = await ok<{ entity: { id: string } }>('me', request.get('/api/v1/auth/me', { headers }));
    const pair = generateSm2KeyPair();
    await ok('key', request.post('/api/v1/trading/sealing-keys', { headers, data: { publicKey: pair.publicKey, label: '接口密钥', proof: sm2Sign(sealingKeyProofMessage(me.entity.id, pair.publicKey), pair.privateKey) } }), 201);
    const keys = await ok<{ items: { id: string; publicKey: string; revokedAt: string | null }[] }>('keys', request.get('/api/v1/trading/sealing-keys', { headers }));
    const pkg = buildBidPackage({ priceFen: Math.round(Number(b.price) * 100), durationDays: b.days, qualityStandard: '合格', projectManager: b.manager }, [{ name: '投标文件.pdf', mediaType: 'application/pdf', bytes: Buffer.from(`%PDF-1.7 ${b.name} ${label}投标文件`) }], { name: 'ggzy-e2e', version: '1' }, new Date());
    const fileKey = generateFileKey();
    const seals = keys.items.filter((k) => k.revokedAt === null).map((k) => ({ sealingKeyId: k.id, sealedKey: sealFileKey(fileKey, k.publicKey) }));
    await ok('bid', request.put(`/api/v1/trading/lots/${lot.lotId}/bids/mine`, { headers: { ...headers, 'content-type': 'application/octet-stream', 'x-bid-seals': Buffer.from(JSON.stringify(seals)).toString('base64url'), 'x-bid-client': 'ggzy-e2e/1' }, data: await sealBuffer(fileKey, pkg) }), 201);
    fileKeys.push(fileKey.toString('hex'));
  }
  await ok('clock', request.post(`/api/v1/trading/projects/${lot.projectId}/demo-clock`, { headers: staff, data: { to: new Date(lot.deadline.getTime() + 1_000).toISOString() } }));
  await expect.poll(() => lotStatusOf(request, lot.projectId, staff), { timeout: 15_000 }).toBe('decrypting');
  for (const [i, b] of BIDDERS.slice(0, decrypting).entries()) {
    await ok('decrypt', request.post(`/api/v1/trading/lots/${lot.lotId}/bids/mine/decrypt`, { headers: await bearer(request, b.username), data: { fileKey: fileKeys[i] } }));
  }
}

test.beforeAll(async ({ playwright }, testInfo) => {
  test.setTimeout(300_000);
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  const tenderer = await registerEntity(request, TENDERER);
  const versions = [tenderer.versionId];
  for (const b of BIDDERS) versions.push((await registerEntity(request, b)).versionId);
  const staff = await bearer(request, 'staff');
  for (const id of versions) await ok('approve', request.post(`/api/v1/registry/versions/${id}/decision`, { data: { outcome: 'approved' }, headers: staff }));

  seeded = await publishedLot(request, tenderer.headers, staff, PROJECT);
  await request.dispose();
});

async function newPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  return context.newPage();
}

test('三家投标人浏览器内加密递交、回执验签、解密演练，快进到截止后在线解密，公布开标记录', async ({ browser }, testInfo) => {
  test.setTimeout(10 * 60_000);
  mkdirSync(SHOTS, { recursive: true });
  const pages: Page[] = [];
  const keyFiles: string[] = [];

  for (const [i, b] of BIDDERS.entries()) {
    const page = await newPage(browser, testInfo);
    pages.push(page);
    await signInEntity(page, b.username, b.displayName);

    // 1. A sealing key generated in the browser; its key file is downloaded.
    await openScreen(page, '密封密钥');
    await expect(page.getByText('尚未登记有效的密封密钥', { exact: false })).toBeVisible();
    // The first key's proposed name.
    await button(page, '生成密封密钥').click();
    await expect(page.getByRole('dialog', { name: '生成密封密钥' }).getByLabel('密钥名称', { exact: true })).toHaveValue('工作密钥');
    await page.getByRole('dialog', { name: '生成密封密钥' }).getByRole('button', { name: /取\s*消/ }).click();
    const keyFile = testInfo.outputPath(`sealing-key-${i + 1}.json`);
    await generateSealingKey(page, b.passphrase, keyFile);
    keyFiles.push(keyFile);
    if (i === 0) await shot(page, 'k01-key-generated');
    // 2. The lot from 我的投标; the documents downloaded (a bid needs the recorded download).
    await openBidScreen(page, PROJECT, LOT, seeded);
    await expect(page.getByLabel('投标截止倒计时')).toHaveText(/^\d+ 天 \d{2}:\d{2}:\d{2}$/);
    const documents = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 招标文件.pdf' }).click();
    expect((await documents).suggestedFilename()).toBe('招标文件.pdf');
    await expect(page.getByText('已下载招标文件：招标文件.pdf')).toBeVisible();
    // 3. The opening form, the bid file; sealed here and uploaded; the receipt verified.
    const bidPdf = Buffer.from(`%PDF-1.4\n% ${b.name} 投标文件\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n${'技术标与商务标正文。'.repeat(20_000)}\n`);
    await sealAndSubmit(page, { price: b.price, shown: b.shown, days: b.days, manager: b.manager, file: { name: '投标文件.pdf', buffer: bidPdf } }, b.name);
    if (i === 0) await shot(page, 'k02-receipt');

    // 4. The first bidder rehearses the decryption with its key file.
    if (i === 0) {
      await page.getByRole('tab', { name: '解密演练' }).click();
      const panel = page.getByRole('tabpanel', { name: '解密演练' });
      await useKeyFile(panel, keyFile, b.passphrase, '开始演练');
      await expect(page.getByText('解密演练成功')).toBeVisible({ timeout: 60_000 });
      await expect(panel.getByText('密钥可以解开本投标文件')).toBeVisible();
      await expect(panel.getByRole('row').filter({ hasText: '通过' })).toHaveCount(1);
      await shot(page, 'k03-rehearsal');
    }
  }

  // 5. The centre: only the count and the arrival times before the deadline; then the deal's clock is moved to it.
  const centre = await newPage(browser, testInfo);
  await signIn(centre, CENTRE.username, CENTRE.displayName);
  await openScreen(centre, '开标监控');
  await centre.getByRole('button', { name: `开标监控 ${PROJECT}` }).click();
  await expect(centre.getByRole('heading', { level: 4, name: PROJECT })).toBeVisible();
  const lotCard = centre.getByLabel(`标段 ${LOT}`);
  await expect(lotCard.getByLabel('投标文件数量')).toHaveText('3 份');
  await expect(lotCard.getByText('递交时间（开标前不显示投标人）')).toBeVisible();
  for (const b of BIDDERS) await expect(centre.getByText(b.name)).toHaveCount(0);
  await shot(centre, 'c01-before-deadline');
  await centre.bringToFront();
  await button(centre, '快进到投标截止').click();
  await button(centre.locator('.ant-popover'), '快进').click();
  await expect(centre.getByText('交易时钟已快进到', { exact: false })).toBeVisible();
  await expect(lotCard.getByText('开标解密中')).toBeVisible({ timeout: 20_000 });
  await expect(lotCard.getByLabel('解密进度')).toContainText('已解密 0 / 3 份');

  // 6. The bidders decrypt; the third types a wrong passphrase first.
  for (const [i, b] of BIDDERS.entries()) {
    const page = pages[i]!;
    if (i === 2) {
      const panel = await decryptionPanel(page);
      await expect(panel.getByText(/开标解密进行中，剩余 00:[23]\d:\d{2}/)).toBeVisible();
      await useKeyFile(panel, keyFiles[i]!, 'Wrong#passphrase1', '解密投标文件');
      await expect(panel.getByText('口令错误或密封密钥文件已损坏')).toBeVisible({ timeout: 60_000 });
      await shot(page, 'k04-wrong-passphrase');
      await panel.getByLabel('密钥文件口令', { exact: true }).fill(b.passphrase);
      await button(panel, '解密投标文件').click();
      await expect(page.getByText('投标文件解密成功')).toBeVisible({ timeout: 60_000 });
    } else {
      await decryptAtOpening(page, keyFiles[i]!, b.passphrase);
    }
    if (i < 2) await expect(lotCard.getByLabel('解密进度')).toContainText(`已解密 ${i + 1} / 3 份`, { timeout: 20_000 });
  }

  // 7. After the last decryption the opening record is published: three bidders and their prices.
  for (const page of [centre, pages[0]!]) {
    await page.bringToFront();
    const record = page.getByLabel('开标记录');
    await expect(record).toBeVisible({ timeout: 30_000 });
    for (const b of BIDDERS) {
      const row = record.getByRole('row').filter({ hasText: b.name });
      await expect(row).toContainText('解密成功');
      await expect(row).toContainText(b.shown);
    }
    await expect(record.getByRole('row')).toHaveCount(4);
  }
  await expect(lotCard.getByText('已开标')).toBeVisible();
  await shot(centre, 'c02-opening-record');
  await shot(pages[0]!, 'k05-opening-record');
});

// 撤销: a bid its bidder does not decrypt within the window counts as withdrawn after the
// deadline, and the tenderer may keep its security (实施条例 §35). Bids over the API this time (the
// browser sealing is the test above): the first two bidders decrypt, the third does not; the
// centre fast-forwards past the window, the opening record is published, and the tenderer's
// lot page offers the decision, which the third bidder then sees on its own lot page.
test('开标时未解密的投标视为撤销：招标人决定不予退还其投标保证金，投标人可见', async ({ browser, playwright }, testInfo) => {
  test.setTimeout(6 * 60_000);
  mkdirSync(SHOTS, { recursive: true });
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  const tenderer = await bearer(request, TENDERER.username);
  const staff = await bearer(request, 'staff');
  const name = `${PROJECT}二期`;
  const lot = await publishedLot(request, tenderer, staff, name);
  await bidOverApi(request, lot, staff, tenderer, '二期', 2);
  // The window (30 minutes) ends without the third bidder's key.
  await ok('clock', request.post(`/api/v1/trading/projects/${lot.projectId}/demo-clock`, { headers: staff, data: { to: new Date(lot.deadline.getTime() + 31 * 60_000).toISOString() } }));
  await expect.poll(() => lotStatusOf(request, lot.projectId, staff), { timeout: 15_000 }).toBe('opened');
  await request.dispose();

  const revokedName = BIDDERS[2]!.name;
  const t = await newPage(browser, testInfo);
  await signInEntity(t, TENDERER.username, TENDERER.displayName);
  await t.goto(`/workbench/trading/lots/${lot.lotId}`);
  const card = t.getByLabel('撤销投标的投标保证金');
  await expect(card).toBeVisible({ timeout: 20_000 });
  // Only the third bid is there: the decrypted ones go back with the lot's outcome.
  await expect(card.getByRole('row')).toHaveCount(2);
  await expect(card.getByRole('row').filter({ hasText: revokedName })).toContainText('200000.00');
  await t.getByRole('button', { name: `不予退还 ${revokedName}` }).click();
  const dialog = t.getByRole('dialog').filter({ hasText: `不予退还：${revokedName}` });
  await expect(dialog.getByRole('textbox', { name: '理由' })).toBeVisible();
  // A click while the dialog is still opening can be lost (seen once in a full run): click until the form answers.
  await expect(async () => {
    await button(dialog, '确认').click();
    await expect(dialog.getByText('请填写处理理由')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await dialog.getByLabel('理由', { exact: true }).fill('投标截止后未在解密时限内解密，视为撤销投标文件，依法不予退还');
  await button(dialog, '确认').click();
  await expect(t.getByText('已决定不予退还该投标保证金')).toBeVisible();
  await expect(card.getByRole('row').filter({ hasText: revokedName })).toContainText('不予退还');
  await expect(t.getByRole('button', { name: `退还 ${revokedName}` })).toHaveCount(0);
  await shot(t, 't01-security-kept');

  const b3 = await newPage(browser, testInfo);
  await signInEntity(b3, BIDDERS[2]!.username, BIDDERS[2]!.displayName);
  await b3.goto(`/workbench/trading/lots/${lot.lotId}`);
  const own = b3.getByLabel('撤销投标的投标保证金');
  await expect(own.getByRole('row').filter({ hasText: revokedName })).toContainText('投标截止后未在解密时限内解密');
  await expect(own.getByRole('button')).toHaveCount(0);
});

// 评标价调整 under 经评审的最低投标价法: a lot of that method, bid and opened over the API; the
// centre draws the panel over the API (a pool of its own in the lot's district, 迎泽区, A01, so
// that the whole-tender test's draw in 小店区 sees only its own pool), records the answers and
// starts the evaluation; one member signs in for the first time in the browser and, on the
// scoring screen, records the committee's adjustment: the evaluated prices follow, a reason is
// required, and an adjustment that takes a price to zero is refused with the rule.
test('经评审的最低投标价法：评标专家在评分页录入评标价调整，评标价随之重算', async ({ browser, playwright }, testInfo) => {
  test.setTimeout(6 * 60_000);
  mkdirSync(SHOTS, { recursive: true });
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  const tenderer = await bearer(request, TENDERER.username);
  const staff = await bearer(request, 'staff');
  const name = `${PROJECT}三期`;
  const lowest = { kind: 'lowest_evaluated_price', passFail: [{ id: 'q1', name: '资格条件', category: 'qualification' }] };
  const lot = await publishedLot(request, tenderer, staff, name, lowest);
  await bidOverApi(request, lot, staff, tenderer, '三期', 3);
  await expect.poll(() => lotStatusOf(request, lot.projectId, staff), { timeout: 15_000 }).toBe('opened');
  const post = <T>(what: string, url: string, data: unknown, status = 200) => ok<T>(what, request.post(url, { headers: staff, data }), status);
  for (let i = 0; i < 7; i++) {
    await post('expert', '/api/v1/experts', { name: `${'周吴郑王冯陈褚'[i]}审${'一二三四五六七'[i]}`, idNumber: idNumberFor(run % 900_000 + 7_800 + i), phone: `1390352${String(i).padStart(4, '0')}`, regionCode: '140106', employerName: `山西省第${i + 11}工程咨询有限公司`, employerUscc: usccFor(80_000_000 + (run % 1_000_000) * 10 + i), titles: ['高级工程师'], specialties: ['A01'], primarySpecialty: 'A01' }, 201);
  }
  const day = chinaDate(new Date(lot.deadline.getTime() + 86_400_000));
  const draw = await post<{ members: { expertId: string; kind: string; state: string }[] }>('panel', `/api/v1/trading/lots/${lot.lotId}/panel`, { evaluationDate: day, needs: [{ specialtyCode: 'A01', count: 5 }], reserves: 1 }, 201);
  const members = draw.members.filter((m) => m.kind === 'member');
  expect(members).toHaveLength(5);
  for (const m of members) await post('answer', `/api/v1/trading/lots/${lot.lotId}/panel/responses`, { expertId: m.expertId, answer: 'accepted' });
  await post('confirm', `/api/v1/trading/lots/${lot.lotId}/panel/confirm`, {});
  await post('start', `/api/v1/trading/lots/${lot.lotId}/evaluation/start`, {});
  // An account for a member that has none yet (a demo expert may already have one).
  let account: { username: string; initialPassword: string; name: string } | undefined;
  for (const m of members) {
    const r = await request.post(`/api/v1/experts/${m.expertId}/account`, { headers: staff, data: {} });
    if (r.status() !== 201) continue;
    const expert = await ok<{ name: string }>('expert', request.get(`/api/v1/experts/${m.expertId}`, { headers: staff }));
    account = { ...((await r.json()) as { username: string; initialPassword: string }), name: expert.name };
    break;
  }
  expect(account).toBeDefined();
  await request.dispose();

  const e = await newPage(browser, testInfo);
  await expertFirstSignIn(e, account!.username, account!.initialPassword, 'Expert@2026adjust', account!.name);
  await openScreen(e, '我的评标');
  await e.getByRole('link', { name: `评分 ${name} ${LOT}` }).click();
  const card = e.getByLabel('评标价调整');
  await expect(card).toBeVisible();
  const evaluated = card.getByLabel('评标价');
  const [low, , high] = [BIDDERS[1]!, BIDDERS[0]!, BIDDERS[2]!];
  await expect(evaluated.getByRole('row').filter({ hasText: low.name })).toContainText(low.shown);
  // A reason is required; then +300,000.00 yuan for the lowest bid.
  await button(card, '添加调整').click();
  await choose(e, card, '调整 1 投标人', low.name);
  await card.getByLabel('调整 1 金额', { exact: true }).fill('+300000');
  await button(card, '保存调整').click();
  await expect(card.getByText('请注明调整依据')).toBeVisible();
  await card.getByLabel('调整 1 依据', { exact: true }).fill('招标文件第 3.2 条：缺项漏项按其他投标人最高报价补齐');
  await button(card, '保存调整').click();
  await expect(e.getByText('评标价调整已保存（1 项）')).toBeVisible();
  const row = evaluated.getByRole('row').filter({ hasText: low.name });
  await expect(row).toContainText('300,000.00');
  await expect(row).toContainText('11,950,000.00');
  await shot(e, 'x01-adjustment');
  // Taking a price to zero is refused by the platform, naming the bidder.
  await button(card, '添加调整').click();
  await choose(e, card, '调整 2 投标人', high.name);
  await card.getByLabel('调整 2 金额', { exact: true }).fill('-11999999.99');
  await card.getByLabel('调整 2 依据', { exact: true }).fill('测试');
  await button(card, '保存调整').click();
  await expect(card.getByText(`投标人${high.name}调整后的评标价为 0.00 元，须大于 0`)).toBeVisible();
  await e.getByRole('button', { name: '删除调整 2' }).click();
  // After a reload the saved set is what the screen shows.
  await e.reload();
  await expect(e.getByLabel('评标价').getByRole('row').filter({ hasText: low.name })).toContainText('11,950,000.00');
  await expect(e.getByLabel('调整 1 依据', { exact: true })).toHaveValue('招标文件第 3.2 条：缺项漏项按其他投标人最高报价补齐');
});
