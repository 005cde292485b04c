// Chinese PDF documents (notices, records, reports) with pdfkit and Noto Sans SC from
// @embedpdf/fonts-sc (subset-embedded, with a ToUnicode map, so the text can be searched and
// copied). A4, the deal code in the header of every page, 「第 N 页 共 M 页」 in the footer.
//
// Deterministic: the same input gives the same bytes. pdfkit takes the info dates from us (set
// from `meta.issuedAt`, never the wall clock), derives the file /ID from the info dictionary, and
// names font subsets by their order of use; nothing else varies between runs (tested).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';

export interface TableColumn {
  header: string;
  /** Relative width (default 1). */
  width?: number;
  align?: 'left' | 'center' | 'right';
}

export type DocumentBlock =
  | { kind: 'heading'; text: string; level?: 1 | 2 }
  | { kind: 'paragraph'; text: string; align?: 'left' | 'center' | 'right' | 'justify'; indent?: boolean }
  | { kind: 'table'; columns: TableColumn[]; rows: string[][]; caption?: string }
  | { kind: 'kv'; items: { label: string; value: string }[] }
  /** Places to sign or seal: each entry prints its label, the name if known, and a date line. */
  | { kind: 'signature'; entries: { label: string; name?: string; date?: string }[]; align?: 'left' | 'right' };

export interface DocumentInput {
  title: string;
  subtitle?: string;
  meta: { dealCode: string; lotCode?: string; issuedAt: Date };
  blocks: DocumentBlock[];
}

const MARGIN = { top: 72, bottom: 64, left: 64, right: 64 };
const BODY_SIZE = 10.5;
const CELL_PAD = 4;

let fonts: { regular: Buffer; bold: Buffer } | null = null;
function loadFonts(): { regular: Buffer; bold: Buffer } {
  // The package's entry is dist/index.js; its fonts sit beside dist/ (as in registry/ocr).
  if (!fonts) {
    const dir = path.join(path.dirname(fileURLToPath(import.meta.resolve('@embedpdf/fonts-sc'))), '..', 'fonts');
    fonts = {
      regular: fs.readFileSync(path.join(dir, 'NotoSansHans-Regular.otf')),
      bold: fs.readFileSync(path.join(dir, 'NotoSansHans-Bold.otf')),
    };
  }
  return fonts;
}

type Doc = InstanceType<typeof PDFDocument>;

function contentWidth(doc: Doc): number {
  return doc.page.width - MARGIN.left - MARGIN.right;
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - MARGIN.bottom;
}

/** Starts a new page when `height` does not fit below the current position. */
function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

function heading(doc: Doc, text: string, level: 1 | 2): void {
  const size = level === 1 ? 14 : 12;
  doc.font('bold').fontSize(size);
  ensureRoom(doc, doc.heightOfString(text, { width: contentWidth(doc) }) + 24);
  doc.moveDown(0.6);
  doc.text(text, MARGIN.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

function paragraph(doc: Doc, block: Extract<DocumentBlock, { kind: 'paragraph' }>): void {
  doc.font('regular').fontSize(BODY_SIZE);
  // Chinese paragraphs indent two characters; pdfkit's `indent` applies to the first line only.
  const options = { width: contentWidth(doc), align: block.align ?? 'justify', lineGap: 3, indent: block.indent === false ? 0 : BODY_SIZE * 2 };
  ensureRoom(doc, Math.min(doc.heightOfString(block.text, options), 60));
  doc.text(block.text, MARGIN.left, doc.y, options);
  doc.moveDown(0.4);
}

function table(doc: Doc, block: Extract<DocumentBlock, { kind: 'table' }>): void {
  const width = contentWidth(doc);
  const total = block.columns.reduce((acc, c) => acc + (c.width ?? 1), 0);
  const widths = block.columns.map((c) => ((c.width ?? 1) / total) * width);
  const size = 9;
  const rowHeight = (cells: string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: (widths[i] ?? 0) - 2 * CELL_PAD }))) + 2 * CELL_PAD;
  };
  const drawRow = (cells: string[], font: 'regular' | 'bold', height: number) => {
    const y = doc.y;
    let x = MARGIN.left;
    cells.forEach((cell, i) => {
      const w = widths[i] ?? 0;
      if (font === 'bold') doc.rect(x, y, w, height).fillAndStroke('#f0f0f0', '#000000').fillColor('#000000');
      else doc.rect(x, y, w, height).stroke();
      doc.font(font).fontSize(size).text(cell, x + CELL_PAD, y + CELL_PAD, { width: w - 2 * CELL_PAD, align: font === 'bold' ? 'center' : (block.columns[i]?.align ?? 'left') });
      x += w;
    });
    doc.x = MARGIN.left;
    doc.y = y + height;
  };
  const headers = block.columns.map((c) => c.header);
  const headerHeight = rowHeight(headers, 'bold');
  if (block.caption) {
    doc.font('bold').fontSize(BODY_SIZE);
    ensureRoom(doc, doc.heightOfString(block.caption, { width }) + headerHeight + 24);
    doc.text(block.caption, MARGIN.left, doc.y, { width });
    doc.moveDown(0.2);
  }
  doc.lineWidth(0.5);
  ensureRoom(doc, headerHeight + 20);
  drawRow(headers, 'bold', headerHeight);
  for (const row of block.rows) {
    const cells = block.columns.map((_, i) => row[i] ?? '');
    const h = rowHeight(cells, 'regular');
    if (doc.y + h > bottomLimit(doc)) {
      doc.addPage();
      drawRow(headers, 'bold', headerHeight); // repeat the header on the next page
    }
    drawRow(cells, 'regular', h);
  }
  doc.moveDown(0.6);
}

function keyValues(doc: Doc, block: Extract<DocumentBlock, { kind: 'kv' }>): void {
  const labelWidth = 110;
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const item of block.items) {
    doc.font('regular').fontSize(BODY_SIZE);
    const h = Math.max(doc.heightOfString(item.value || ' ', { width: valueWidth, lineGap: 2 }), doc.heightOfString(item.label, { width: labelWidth })) + 4;
    ensureRoom(doc, h);
    const y = doc.y;
    doc.font('bold').text(`${item.label}：`, MARGIN.left, y, { width: labelWidth });
    doc.font('regular').text(item.value, MARGIN.left + labelWidth, y, { width: valueWidth, lineGap: 2 });
    doc.x = MARGIN.left;
    doc.y = y + h;
  }
  doc.moveDown(0.4);
}

function signature(doc: Doc, block: Extract<DocumentBlock, { kind: 'signature' }>): void {
  const width = contentWidth(doc);
  const boxWidth = block.align === 'right' ? width * 0.62 : width;
  const x = MARGIN.left + width - boxWidth;
  const nameWidth = boxWidth * 0.66;
  doc.moveDown(0.8);
  for (const entry of block.entries) {
    doc.font('regular').fontSize(BODY_SIZE);
    const who = `${entry.label}：${entry.name ?? ''}`;
    const when = `日期：${entry.date ?? '      年    月    日'}`;
    const h = Math.max(doc.heightOfString(who, { width: nameWidth }), doc.heightOfString(when, { width: boxWidth - nameWidth }));
    ensureRoom(doc, h + 16);
    const y = doc.y;
    doc.text(who, x, y, { width: nameWidth });
    doc.text(when, x + nameWidth, y, { width: boxWidth - nameWidth });
    doc.x = MARGIN.left;
    doc.y = y + h + 16;
  }
}

function pageFurniture(doc: Doc, input: DocumentInput, page: number, pages: number): void {
  // Writing in the margins would make pdfkit break the page; lift the bottom margin meanwhile.
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  const width = contentWidth(doc);
  const code = `统一交易标识码：${input.meta.dealCode}${input.meta.lotCode ? `\u3000标段编号：${input.meta.lotCode}` : ''}`;
  doc.font('regular').fontSize(8).fillColor('#444444');
  doc.text(code, MARGIN.left, 36, { width: width * 0.7, lineBreak: false });
  doc.text(input.title, MARGIN.left + width * 0.7, 36, { width: width * 0.3, align: 'right', lineBreak: false });
  doc.moveTo(MARGIN.left, 50).lineTo(MARGIN.left + width, 50).lineWidth(0.5).strokeColor('#888888').stroke();
  doc.text(`第 ${page} 页 共 ${pages} 页`, MARGIN.left, doc.page.height - 40, { width, align: 'center', lineBreak: false });
  doc.fillColor('#000000').strokeColor('#000000');
  doc.page.margins.bottom = bottom;
}

/** Renders the document; resolves with the PDF bytes. */
export function renderPdf(input: DocumentInput): Promise<Buffer> {
  const f = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: input.title,
      Subject: input.subtitle ?? input.title,
      Keywords: [input.meta.dealCode, input.meta.lotCode].filter(Boolean).join(' '),
      Creator: 'ggzy',
      Producer: 'ggzy (pdfkit)',
      CreationDate: input.meta.issuedAt,
      ModDate: input.meta.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);

  doc.font('bold').fontSize(18).text(input.title, { align: 'center' });
  if (input.subtitle) doc.font('regular').fontSize(11).text(input.subtitle, { align: 'center' });
  doc.moveDown(1);
  for (const block of input.blocks) {
    switch (block.kind) {
      case 'heading':
        heading(doc, block.text, block.level ?? 1);
        break;
      case 'paragraph':
        paragraph(doc, block);
        break;
      case 'table':
        table(doc, block);
        break;
      case 'kv':
        keyValues(doc, block);
        break;
      case 'signature':
        signature(doc, block);
        break;
    }
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    pageFurniture(doc, input, i - range.start + 1, range.count);
  }
  doc.end();
  return done;
}
