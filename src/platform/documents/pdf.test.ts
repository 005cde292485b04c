import { describe, expect, it } from 'vitest';
import { renderPdf, type DocumentInput } from './pdf.ts';
import { isCompletePdf, pdfPagesText } from './pdf.test-support.ts';

const issuedAt = new Date('2024-05-06T02:00:00Z');
const input = (rows: number): DocumentInput => ({
  title: '测试文书',
  subtitle: '副标题',
  meta: { dealCode: 'DEALCODE0001', lotCode: 'LOT001', issuedAt },
  blocks: [
    { kind: 'heading', text: '一、基本情况' },
    { kind: 'paragraph', text: '这是一段中文正文，用于检查字体嵌入与文字提取是否正确。' },
    { kind: 'kv', items: [{ label: '招标人', value: '某县教育局' }] },
    { kind: 'table', caption: '投标一览', columns: [{ header: '序号' }, { header: '投标人', width: 3 }, { header: '报价', align: 'right' }], rows: Array.from({ length: rows }, (_, i) => [String(i + 1), `第${i + 1}号投标人有限公司`, '1,000.00']) },
    { kind: 'signature', entries: [{ label: '招标人（盖章）', name: '某县教育局', date: '2024年5月6日' }] },
  ],
});

describe('renderPdf', () => {
  it('writes a complete PDF whose Chinese text reads back', async () => {
    const bytes = await renderPdf(input(3));
    expect(isCompletePdf(bytes)).toBe(true);
    const [page] = await pdfPagesText(bytes);
    for (const phrase of ['测试文书', '一、基本情况', '这是一段中文正文', '招标人：', '某县教育局', '第2号投标人有限公司', '统一交易标识码：DEALCODE0001', '标段编号：LOT001', '第 1 页 共 1 页']) {
      expect(page).toContain(phrase);
    }
    // The font is subset-embedded with a ToUnicode map (that is what made the text extractable).
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/FontFile3|\/FontFile2/);
    expect(raw).toContain('/ToUnicode');
  });

  it('is byte-for-byte deterministic and dates the file from the input', async () => {
    const a = await renderPdf(input(3));
    const b = await renderPdf(input(3));
    expect(a.equals(b)).toBe(true);
    // 2024-05-06T02:00:00Z
    expect(a.toString('latin1')).toContain('(D:20240506020000Z)'); // /CreationDate and /ModDate
    const later = await renderPdf({ ...input(3), meta: { ...input(3).meta, issuedAt: new Date('2024-05-07T02:00:00Z') } });
    expect(later.equals(a)).toBe(false);
  });

  it('breaks long tables over pages with the deal code and page numbers on each', async () => {
    const pages = await pdfPagesText(await renderPdf(input(120)));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((text, i) => {
      expect(text).toContain('统一交易标识码：DEALCODE0001');
      expect(text).toContain(`第 ${i + 1} 页 共 ${pages.length} 页`);
    });
    expect(pages[1]).toContain('投标人'); // the header row is repeated
    expect(pages.join('')).toContain('第120号投标人有限公司');
  });
});
