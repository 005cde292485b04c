// A whole construction tender in Chromium, from registration to contract, on a compressed
// calendar (demo mode: the centre moves the deal's own clock forward; every rule still counts with
// the real calendar). Three bidders, five experts, the demo accounts of `ggzy seed --demo`
// (tenderer, bidder1–3, ty_staff with the demo TOTP secret); the expert pool and the experts'
// accounts are created on the way, as the centre would.
//
// Registration, acceptance (deal code shown), the notice with its schedule and the tender
// documents, the review and publication, and the bidders' downloads are the tender screens. Each
// bidder generates its sealing key in the browser, seals and uploads its bid from 我的投标 and
// decrypts it at the opening with its key file, on the bidding screens. From the opening on
// every step is a screen: the draw, the answers (one expert declines and a
// reserve steps in), the confirmation, an account opened from 评标专家库, the experts' first
// sign-in and scoring (side by side), the report, the candidates' publicity with an objection
// answered, the fast-forward past the publicity, the award and its notice (downloaded by the
// tenderer and by the winner), the contract at the winning price with the securities released;
// the deal's timeline (交易全过程) then holds every step in order.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { chinaDate, firstWorkingDayFrom, periodEnd } from '../src/platform/calendar/china-calendar.ts';
import { decryptAtOpening, generateSealingKey, menuItem, openBidScreen, openScreen, sealAndSubmit } from './bidding-steps.ts';
import { atCst, createExperts, expertFirstSignIn, newActor, pick } from './tender-actors.ts';
import { button, choose, signIn, signInEntity } from './workbench.ts';

const SHOTS = fileURLToPath(new URL('../.tmp/e2e-shots', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
const PROJECT = `迎泽大街综合改造工程${(Date.now() % 1_000_000).toString(36)}`;
const BIDDERS = [
  { username: 'bidder1', displayName: '龙城路桥投标专员', name: '山西龙城路桥工程有限公司', manager: '张建军', price: '11500000', shown: '11,500,000.00', passphrase: 'Longcheng#2026w' },
  { username: 'bidder2', displayName: '汾河建工投标专员', name: '山西汾河建设工程集团有限公司', manager: '李卫东', price: '11280000', shown: '11,280,000.00', passphrase: 'Fenhe#2026whole' },
  { username: 'bidder3', displayName: '太行市政投标专员', name: '晋中太行市政工程有限公司', manager: '王志刚', price: '11750000', shown: '11,750,000.00', passphrase: 'Taihang#2026who' },
];
const EXPERT_PASSWORD = 'Expert@2026ggzy';

// Six engineers share two cores: give each action room, the test as a whole stays bounded.
test.use({ actionTimeout: 20_000 });

async function openLot(page: Page, menu: string, lotId: string): Promise<void> {
  await menuItem(page, menu).click();
  await page.getByRole('link', { name: new RegExp(`^进入 ${PROJECT}`) }).first().click();
  await expect(page).toHaveURL(new RegExp(`/trading/lots/${lotId}`));
}

test('一个完整的施工招标：登记、受理、公告、投标、开标、抽取专家、评标、公示、定标、合同', async ({ browser }, testInfo) => {
  test.slow();
  test.setTimeout(10 * 60_000);
  mkdirSync(SHOTS, { recursive: true });
  const started = Date.now();
  const lap = (what: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1)}s ${what}`);
  const staff = await newActor(browser, testInfo);
  const tenderer = await newActor(browser, testInfo);
  const bidders = [await newActor(browser, testInfo), await newActor(browser, testInfo), await newActor(browser, testInfo)];
  await Promise.all([signIn(staff.page, 'ty_staff', '太原市中心业务人员'), signInEntity(tenderer.page, 'tenderer', '市政公司招标专员')]);
  await Promise.all(BIDDERS.map((b, i) => signInEntity(bidders[i]!.page, b.username, b.displayName)));

  // ---- 1. Registration, acceptance, notice and documents, publication: the tender screens. ----
  lap('1');
  const t = tenderer.page;
  const s = staff.page;
  await menuItem(t, '招标项目').click();
  await button(t, '登记招标项目').click();
  const register = t.getByRole('dialog', { name: '登记招标项目' });
  await register.getByLabel('项目名称', { exact: true }).fill(PROJECT);
  await register.getByLabel('投资项目代码', { exact: true }).fill('2604-140105-04-01-000321');
  await choose(t, register, '所在地区', '小店区（140105）', '小店区');
  await register.getByLabel('行政监督部门', { exact: true }).fill('太原市住房和城乡建设局');
  await register.getByLabel('资金来源', { exact: true }).fill('财政资金');
  await register.getByLabel('标段 1 名称', { exact: true }).fill('施工标段');
  await register.getByLabel('标段 1 估算价（元）', { exact: true }).fill('12000000');
  await button(register, '保存').click();
  await expect(t.getByText(`已登记：${PROJECT}`)).toBeVisible();
  const projectId = /\/trading\/projects\/([0-9a-f-]{36})/.exec(t.url())![1]!;
  await button(t, '提交受理').click();
  await button(t.locator('.ant-popover'), '提交').click();
  await expect(t.getByText('已提交交易中心受理')).toBeVisible();

  await menuItem(s, '项目受理').click();
  await s.getByRole('button', { name: `办理 ${PROJECT}` }).click();
  await button(s.locator('.ant-drawer').filter({ hasText: `办理：${PROJECT}` }), '受理').click();
  const acceptedDialog = s.getByRole('dialog').filter({ hasText: `已受理：${PROJECT}` });
  const dealCode = (await acceptedDialog.locator('.deal-code').innerText()).trim();
  expect(dealCode).toMatch(/^[0-9A-Z]{18}-\d{8}-\d{6}-[0-9A-Z*]$/);
  await button(acceptedDialog, '知道了').click();

  const from = new Date(Math.ceil((Date.now() + 3 * 60_000) / 60_000) * 60_000);
  const fromDay = chinaDate(from);
  const deadline = atCst(firstWorkingDayFrom(periodEnd(fromDay, 20).date).date, '09:30');
  await t.reload();
  await expect(t.getByRole('tab', { name: '招标公告与招标文件', selected: true })).toBeVisible({ timeout: 30_000 });
  await t.getByLabel('公告正文', { exact: true }).fill(`${PROJECT}已由太原市发展和改革委员会批准建设，资金来自财政资金，现对该项目施工进行公开招标，欢迎符合条件的投标人参加投标。`);
  await pick(t, '招标文件发出（获取）开始时间', from);
  await pick(t, '招标文件获取截止时间', atCst(periodEnd(fromDay, 7).date, '17:00'));
  await pick(t, '投标截止时间（开标时间）', deadline);
  await t.getByLabel('标段 1 投标保证金（元）', { exact: true }).fill('200000');
  await button(t, '保存').click();
  await expect(t.getByText('招标公告、进度安排和评标办法已保存')).toBeVisible();
  await t.locator('input[type=file]').setInputFiles({ name: '招标文件.pdf', mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${PROJECT} 招标文件\n%%EOF\n`) });
  await expect(t.getByText('招标文件已上传：招标文件.pdf', { exact: true })).toBeVisible();
  await button(t, '提交审核').click();
  await button(t.locator('.ant-popover'), '提交').click();
  await expect(t.getByText('已提交交易中心审核')).toBeVisible();

  await menuItem(s, '公告审核').click();
  await s.getByRole('button', { name: `办理 ${PROJECT}` }).click();
  await button(s.locator('.ant-drawer').filter({ hasText: `办理：${PROJECT}` }), '审核通过并发布').click();
  await expect(s.getByText(`已发布：${PROJECT}`)).toBeVisible();
  await shot(t, 'w00-notice');

  // ---- 2. Bids: the documents downloaded on the notice screen once the deal's clock reaches their period. ----
  lap('2');
  await staff.call('POST', `/api/v1/trading/projects/${projectId}/demo-clock`, { to: new Date(from.getTime() + 60_000).toISOString() });
  const lotId = (await staff.call<{ lots: { id: string }[] }>('GET', `/api/v1/trading/projects/${projectId}`)).lots[0]!.id;
  await Promise.all(
    bidders.map(async ({ page: b }) => {
      await menuItem(b, '招标公告').click();
      await b.getByRole('link', { name: PROJECT }).click();
      const downloaded = b.waitForEvent('download');
      await b.getByRole('button', { name: '下载 招标文件.pdf' }).click();
      expect((await downloaded).suggestedFilename()).toBe('招标文件.pdf');
    }),
  );
  // Each bidder: a sealing key generated in the browser, the bid sealed there and uploaded from
  // 我的投标, the signed receipt verified on screen.
  const keyFiles: string[] = [];
  for (const [i, b] of BIDDERS.entries()) {
    const page = bidders[i]!.page;
    await page.bringToFront();
    await openScreen(page, '密封密钥');
    const keyFile = testInfo.outputPath(`whole-sealing-key-${i + 1}.json`);
    await generateSealingKey(page, b.passphrase, keyFile);
    keyFiles.push(keyFile);
    await openBidScreen(page, PROJECT, '施工标段', { projectId, lotId });
    const pdf = Buffer.from(`%PDF-1.7\n% ${b.name} 投标文件\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
    await sealAndSubmit(page, { price: b.price, shown: b.shown, days: 300, manager: b.manager, file: { name: '投标文件.pdf', buffer: pdf } }, b.name);
  }
  await shot(bidders[0]!.page, 'w01-bid-receipt');
  await staff.call('POST', `/api/v1/trading/projects/${projectId}/demo-clock`, { to: new Date(deadline.getTime() + 1_000).toISOString() });
  const lotStatus = async () => (await staff.call<{ lots: { status: string }[] }>('GET', `/api/v1/trading/projects/${projectId}`)).lots[0]!.status;
  await expect.poll(lotStatus, { timeout: 15_000 }).toBe('decrypting');
  // The opening: each bidder decrypts its own bid in the browser with its key file.
  for (const [i, b] of BIDDERS.entries()) await decryptAtOpening(bidders[i]!.page, keyFiles[i]!, b.passphrase);
  await expect.poll(lotStatus, { timeout: 15_000 }).toBe('opened');

  // ---- 3. The centre draws five experts; one declines and a reserve steps in. ----
  lap('3');
  const pool = await createExperts(staff, 8);
  await openLot(s, '评标组织', lotId);
  const drawCard = s.getByLabel('评标专家抽取');
  await choose(s, drawCard, '专业 1', 'A01 建筑工程施工', 'A01');
  await expect(drawCard.getByLabel('人数 1', { exact: true })).toHaveValue('5');
  await button(drawCard, '抽取专家').click();
  await expect(s.getByText('已抽取评标专家，请逐一联系并登记应答')).toBeVisible();
  const members = drawCard.getByLabel('抽取名单');
  await expect(members.getByRole('row')).toHaveCount(6);
  const firstName = (await members.getByRole('row').nth(1).getByRole('cell').nth(1).innerText()).trim();
  await s.getByRole('button', { name: `${firstName} 拒绝` }).click();
  const decline = s.getByRole('dialog', { name: `登记拒绝：${firstName}` });
  await decline.getByLabel('拒绝原因', { exact: true }).fill('评标当日另有公务安排');
  await button(decline, '登记').click();
  await expect(s.getByText(/已登记；候补专家 .+ 递补，请通知/)).toBeVisible();
  for (let round = 0; round < 5; round++) {
    const accept = s.getByRole('button', { name: / 同意$/ }).first();
    await accept.click();
    await expect(s.getByText(/已登记 .+：同意参加/).last()).toBeVisible();
  }
  await expect(s.getByRole('button', { name: / 同意$/ })).toHaveCount(0);
  await button(drawCard, '确认专家名单').click();
  await button(s.locator('.ant-popover'), '确认').click();
  await expect(s.getByText('评标委员会名单已确认')).toBeVisible();
  await button(drawCard, '开始评标').click();
  await expect(s.getByText('评标已开始，专家可登录评分')).toBeVisible();
  await shot(s, 'w01-panel');

  // ---- 4. Accounts for the five members: the first through 评标专家库, the others through the API. ----
  lap('4');
  const evaluation = await staff.call<{ drawId: string }>('GET', `/api/v1/trading/lots/${lotId}/evaluation`);
  const draw = await staff.call<{ members: { expertId: string; name: string; state: string }[] }>('GET', `/api/v1/experts/draws/${evaluation.drawId}`);
  const panel = draw.members.filter((m) => m.state === 'accepted');
  expect(panel).toHaveLength(5);
  expect(pool.map((e) => e.id)).toEqual(expect.arrayContaining(panel.map((m) => m.expertId)));
  const accounts: { name: string; username: string; password: string }[] = [];
  await menuItem(s, '评标专家库').click();
  await s.getByLabel('专家检索').fill(panel[0]!.name);
  await s.getByLabel('专家检索').press('Enter');
  await s.getByRole('button', { name: `查看专家 ${panel[0]!.name}` }).click();
  await button(s.locator('.ant-drawer'), '开通评标账号').click();
  const opening = s.getByRole('dialog', { name: `开通评标专家账号：${panel[0]!.name}` });
  await button(opening, '开通').click();
  await expect(opening.getByText('初始密码只显示这一次', { exact: false })).toBeVisible();
  const info = opening.getByLabel('账号信息');
  accounts.push({ name: panel[0]!.name, username: (await info.locator('td').nth(0).innerText()).trim(), password: (await info.locator('td').nth(1).innerText()).trim() });
  await button(opening, '我已记下，关闭').click();
  await s.locator('.ant-drawer .ant-drawer-close').click();
  for (const m of panel.slice(1)) {
    const a = await staff.call<{ username: string; initialPassword: string }>('POST', `/api/v1/experts/${m.expertId}/account`, {}, { status: 201 });
    accounts.push({ name: m.name, username: a.username, password: a.initialPassword });
  }

  // ---- 5. Each expert signs in for the first time and scores (quick entry), saves and confirms. ----
  lap('5');
  // Side by side, as a panel scores at the same time.
  await Promise.all(
    accounts.map(async (a) => {
      const expert = await newActor(browser, testInfo);
      const e = expert.page;
      await expertFirstSignIn(e, a.username, a.password, EXPERT_PASSWORD, a.name);
      await menuItem(e, '我的评标').click();
      await e.getByRole('link', { name: `评分 ${PROJECT} 施工标段` }).click();
      await expect(e.getByLabel('投标文件').getByRole('row')).toHaveCount(4);
      await button(e, '填入空白项').click();
      await button(e, '保存评分').click();
      await expect(e.getByText('评分已保存，确认前仍可修改')).toBeVisible();
      await button(e, '确认评分').click();
      await button(e.locator('.ant-popover'), '确认').click();
      await expect(e.getByText(/已于 .+ 确认评分，不能再修改/)).toBeVisible();
      if (a === accounts[0]) await shot(e, 'w02-scoring');
      await e.context().close();
    }),
  );

  // ---- 6. The centre produces the report: the ranking and three candidates. ----
  lap('6');
  await openLot(s, '评标组织', lotId);
  const evalCard = s.getByLabel('评标', { exact: true });
  await expect(evalCard.getByText('5 / 5 人')).toBeVisible({ timeout: 10_000 });
  await button(evalCard, '生成评标报告').click();
  await expect(s.getByText('评标报告已生成并签名')).toBeVisible();
  const ranking = s.getByLabel('排名').getByRole('row');
  await expect(ranking).toHaveCount(4);
  const winnerName = (await ranking.nth(1).getByRole('cell').nth(1).innerText()).trim();
  const winner = BIDDERS.findIndex((b) => b.name === winnerName);
  expect(winner).toBeGreaterThanOrEqual(0);
  await shot(s, 'w03-report');

  // ---- 7. The tenderer publishes the candidates; a bidder objects and is answered. ----
  lap('7');
  await menuItem(t, '评标结果与定标').click();
  await t.getByRole('link', { name: `进入 ${PROJECT} 施工标段` }).click();
  const publish = t.getByLabel('公示中标候选人');
  await expect(publish.getByText('日内公示中标候选人', { exact: false })).toBeVisible();
  await button(publish, '发布中标候选人公示').click();
  await expect(t.getByText('中标候选人公示已发布')).toBeVisible();
  await expect(t.getByLabel('中标候选人', { exact: true }).getByRole('row')).toHaveCount(4);
  const objector = bidders[(winner + 1) % 3]!.page;
  await openLot(objector, '评标结果与定标', lotId);
  await button(objector, '提出异议').click();
  const objection = objector.getByRole('dialog', { name: '对评标结果提出异议' });
  await objection.getByLabel('异议内容', { exact: true }).fill('本公司认为施工组织设计评分偏低，请评标委员会复核评分过程。');
  await button(objection, '提交异议').click();
  await expect(objector.getByText('异议已提交，招标人将在 3 日内答复')).toBeVisible();
  await t.reload();
  await t.getByRole('button', { name: '答复异议' }).click();
  const reply = t.getByRole('dialog', { name: '答复异议' });
  await reply.getByLabel('答复内容', { exact: true }).fill('经复核，评标委员会按招标文件规定的评分标准评分，评分无误。');
  await button(reply, '答复').click();
  await expect(t.getByText('异议已答复')).toBeVisible();

  // ---- 8. The centre moves the deal's clock past the publicity; the tenderer awards. ----
  lap('8');
  await s.reload();
  await button(s, '演示：快进交易时钟').click();
  const clock = s.getByRole('dialog', { name: '快进本项目的交易时钟（仅演示环境）' });
  await expect(clock.getByText('快进到公示期满，即可定标', { exact: false })).toBeVisible();
  await button(clock, '快进').click();
  await expect(s.getByText(/交易时钟已快进到/)).toBeVisible();
  await t.reload();
  const awardCard = t.getByLabel('定标', { exact: true });
  await expect(awardCard.getByText('公示期已满', { exact: false })).toBeVisible();
  await expect(awardCard.getByRole('radio', { checked: true })).toHaveAccessibleName(new RegExp(`^第 1 名：${winnerName}`));
  await button(awardCard, '确定中标人并发出中标通知书').click();
  await expect(t.getByText('已定标：中标通知书已发出，中标结果公告已发布')).toBeVisible();
  const awarded = t.getByLabel('定标结果');
  await expect(awarded).toContainText(winnerName);
  const notice = t.waitForEvent('download');
  await button(awarded, '下载中标通知书（PDF，平台签名）').click();
  expect((await notice).suggestedFilename()).toBe('中标通知书.pdf');

  // The winner downloads its own notice.
  const w = bidders[winner]!.page;
  await openLot(w, '评标结果与定标', lotId);
  const own = w.waitForEvent('download');
  await button(w.getByLabel('定标结果'), '下载中标通知书（PDF，平台签名）').click();
  expect((await own).suggestedFilename()).toBe('中标通知书.pdf');

  // ---- 9. The contract at the winning price; the securities are released. ----
  lap('9');
  const price = (await awarded.locator('td').nth(1).innerText()).split(' 元')[0]!.replace(/,/g, '');
  const contractCard = t.getByLabel('登记合同');
  await contractCard.getByLabel('合同价款（元）', { exact: true }).fill(price);
  await contractCard.locator('input[type=file]').setInputFiles({ name: '施工合同.pdf', mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${PROJECT} 施工合同\n%%EOF\n`) });
  await button(contractCard, '登记合同').click();
  await expect(t.getByText('合同已登记；投标保证金已退还，本标段结束')).toBeVisible();
  await expect(t.getByLabel('保证金退还').getByRole('row')).toHaveCount(4);
  await shot(t, 'w04-contract');

  // ---- 10. The deal's timeline holds every step in order. ----
  lap('10');
  await menuItem(s, '交易项目').click();
  await s.getByRole('link', { name: `交易全过程 ${PROJECT}` }).click();
  await expect(s.getByText(dealCode, { exact: false }).first()).toBeVisible();
  const events = s.locator('.timeline-event');
  await expect(events.last()).toHaveAttribute('data-event-type', 'security_released');
  const types = await events.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-event-type') ?? ''));
  const steps = types.filter((type, i) => type !== types[i - 1]);
  const expected = ['project_accepted', 'notice_published', 'documents_downloaded', 'bid_submitted', 'deadline_reached', 'opening_started', 'bid_decrypted', 'opening_published', 'panel_drawn', 'expert_responded', 'panel_confirmed', 'evaluation_started', 'score_submitted', 'evaluation_reported', 'candidates_published', 'candidates_objection_filed', 'candidates_objection_answered', 'award_issued', 'result_published', 'contract_recorded', 'security_released'];
  let at = -1;
  for (const type of expected) {
    const next = steps.indexOf(type, at + 1);
    expect(next, `${type} after ${steps[at] ?? 'the start'} in ${steps.join(', ')}`).toBeGreaterThan(at);
    at = next;
  }
  await shot(s, 'w05-timeline');
  lap('done');
});
