import { describe, expect, it } from 'vitest';
import { bid, comprehensiveMethod, panelOf, scoreTable } from '../../../modules/evaluation/evaluation.fixtures.ts';
import { parseEvaluationMethod } from '../../../modules/evaluation/evaluation.methods.ts';
import { buildEvaluationReport } from '../../../modules/evaluation/evaluation.report.ts';
import { generateSm2KeyPair } from '../../crypto/sm2.ts';
import { renderPdf, type DocumentInput } from '../pdf.ts';
import { isCompletePdf, pdfPagesText } from '../pdf.test-support.ts';
import { signDocument, verifyDocument } from '../signature.ts';
import { awardNoticeDocument } from './award-notice.ts';
import { candidatesPublicityDocument } from './candidates-publicity.ts';
import type { TenderParties } from './common.ts';
import { evaluationReportDocument } from './evaluation-report.ts';
import { failedTenderNoticeDocument } from './failed-tender-notice.ts';
import { openingRecordDocument } from './opening-record.ts';
import { resultNoticeDocument } from './result-notice.ts';

const parties: TenderParties = {
  dealCode: '91140100MA0K12348820240506000001X',
  lotCode: 'E1401000001001',
  projectName: '某县第一中学教学楼建设工程',
  lotName: '施工一标段',
  tendererName: '某县教育局',
  agencyName: '山西某招标代理有限公司',
};
const issuedAt = new Date('2024-05-06T02:00:00Z'); // 10:00 in Beijing

/** Renders, checks the container, signs and verifies; returns all pages' text (whitespace removed). */
async function renderAndRead(doc: DocumentInput): Promise<string> {
  const bytes = await renderPdf(doc);
  expect(isCompletePdf(bytes)).toBe(true);
  const sig = signDocument(bytes, keys);
  expect(verifyDocument(bytes, sig, keys.publicKey)).toBe(true);
  const text = (await pdfPagesText(bytes)).join('\n');
  expect(text).toContain(`统一交易标识码：${parties.dealCode}`);
  return text.replace(/\s+/g, '');
}
const keys = generateSm2KeyPair();

describe('document templates', () => {
  it('中标通知书 carries the winning price in digits and in capitals', async () => {
    const text = await renderAndRead(
      awardNoticeDocument({ ...parties, noticeNo: 'ZB-2024-001', winnerName: '山西某建设集团有限公司', winningPriceFen: 123_456_789, terms: [{ label: '工期', value: '365 日历天' }], issuedAt }),
    );
    for (const phrase of ['中标通知书', '山西某建设集团有限公司：', '¥1,234,567.89元', '人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分', '365日历天', '30日内', '招标人（盖章）', '2024年5月6日']) {
      expect(text).toContain(phrase);
    }
  });

  it('开标记录 lists the bidders, prices, items and decryption outcomes', async () => {
    const text = await renderAndRead(
      openingRecordDocument({
        ...parties,
        openedAt: new Date('2024-05-06T01:30:00Z'),
        place: '市公共资源交易中心第三开标室',
        itemColumns: ['工期'],
        bids: [
          { bidderName: '甲建设有限公司', receivedAt: new Date('2024-05-05T03:00:00Z'), decryption: 'decrypted', priceFen: 98_000_00, items: { 工期: '360天' } },
          { bidderName: '乙建设有限公司', receivedAt: new Date('2024-05-05T04:00:00Z'), decryption: 'bidder_failed', priceFen: null },
          { bidderName: '丙建设有限公司', receivedAt: new Date('2024-05-05T05:00:00Z'), decryption: 'platform_failed', priceFen: null },
        ],
        officials: [{ role: '开标人', name: '李某' }, { role: '监督人', name: '王某' }],
        issuedAt,
      }),
    );
    for (const phrase of ['开标记录', '2024年5月6日09:30', '共收到3份投标文件，其中1份解密成功', '甲建设有限公司', '98,000.00', '360天', '视为撤销投标', '视为撤回投标', '开标人：李某']) {
      expect(text).toContain(phrase);
    }
  });

  it('评标报告 renders the structured report with every member to sign', async () => {
    const panel = panelOf(5);
    const marks = (t1: number) => ({ t1: Array(5).fill(t1), t2: Array(5).fill(15), c1: Array(5).fill(8) });
    const report = buildEvaluationReport({
      ...parties,
      method: comprehensiveMethod(),
      input: {
        bids: [bid('A', 98_000), bid('B', 99_000), bid('C', 100_000), bid('D', 50_000, { rejected: { byExperts: ['e1', 'e2', 'e3'], reason: '报价低于成本' } })],
        panel,
        expertScores: scoreTable({ A: marks(30), B: marks(32), C: marks(28) }),
      },
      generatedAt: issuedAt,
    });
    const text = await renderAndRead(evaluationReportDocument(report));
    for (const phrase of ['评标报告', '综合评估法', '评标基准价为97,020.00元', '报价低于成本', '第1名', 'B建设有限公司', '评委张专家1评分表', '评标委员会成员签字', '评委：刘专家5']) {
      expect(text).toContain(phrase.replace(/\s+/g, ''));
    }
  });

  it('评标报告 of a lowest-evaluated-price lot with insufficient competition', async () => {
    const panel = panelOf(3);
    const method = parseEvaluationMethod({ kind: 'lowest_evaluated_price', passFail: [{ id: 'q1', name: '资格条件', category: 'qualification' }] });
    const report = buildEvaluationReport({
      ...parties,
      method,
      input: {
        bids: [bid('A', 1_000_000), bid('B', 990_000)],
        panel,
        expertScores: ['A', 'B'].flatMap((bidId) => panel.map((m) => ({ expertId: m.expertId, bidId, criterionId: 'q1', pass: true }))),
        adjustments: [{ bidId: 'B', amountFen: 2_000_000, reason: '缺漏项补足' }],
      },
      generatedAt: issuedAt,
    });
    const text = await renderAndRead(evaluationReportDocument(report));
    for (const phrase of ['经评审的最低投标价法', '缺漏项补足', '1,010,000.00', '不足3个', '不推荐中标候选人', '合格']) expect(text).toContain(phrase);
  });

  it('中标候选人公示 shows the ranked candidates and the publicity period', async () => {
    const text = await renderAndRead(
      candidatesPublicityDocument({
        ...parties,
        candidates: [
          { rank: 1, bidderName: '甲建设有限公司', priceFen: 98_000_00, totalPoints: 89.36, projectManager: '赵某' },
          { rank: 2, bidderName: '乙建设有限公司', priceFen: 99_000_00, totalPoints: 88.7 },
        ],
        rejected: [{ bidderName: '丁建设有限公司', reason: '报价低于成本' }],
        publicityStart: new Date('2024-05-07T00:00:00Z'),
        publicityEnd: new Date('2024-05-10T00:00:00Z'),
        objectionContact: '0351-1234567',
        issuedAt,
      }),
    );
    for (const phrase of ['中标候选人公示', '第1名', '甲建设有限公司', '89.36', '88.70', '丁建设有限公司', '2024年5月7日08:00至2024年5月10日08:00', '0351-1234567']) expect(text).toContain(phrase);
  });

  it('中标结果公告 and 招标失败公告', async () => {
    const result = await renderAndRead(resultNoticeDocument({ ...parties, winnerName: '甲建设有限公司', winningPriceFen: 10_000_000_000, awardedAt: issuedAt, issuedAt }));
    for (const phrase of ['中标结果公告', '甲建设有限公司', '¥100,000,000.00元（人民币壹亿元整）', '10日内']) expect(result).toContain(phrase);
    const failed = await renderAndRead(failedTenderNoticeDocument({ ...parties, reason: 'insufficient_bids', issuedAt }));
    for (const phrase of ['招标失败公告', '少于3个', '本次招标失败', '重新组织招标']) expect(failed).toContain(phrase);
  });
});
