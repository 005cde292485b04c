// Test images of business licences (营业执照), made here so the tests and the bench need no
// scanned documents of real companies: a licence rendered from field values in the layout of the
// 2019 national template (title, 统一社会信用代码 top left, QR block top right, two columns of
// labelled rows, 登记机关 with a seal), plus the degradations a phone photo or scan brings.
// Text is rendered by sharp (Pango) with Noto Sans SC from @embedpdf/fonts-sc — no system fonts.
//
// The sample entities are fictional; their codes pass GB 32100 (a test proves it).

import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/** What is printed on the licence, label variants included. */
export interface LicenceContent {
  uscc: string;
  name: string;
  entityType: string;
  representativeLabel: '法定代表人' | '负责人' | '经营者' | '执行事务合伙人' | '投资人';
  legalRepresentative: string;
  /** null: the licence has no capital row (branches, 分公司). */
  capitalLabel: '注册资本' | '注册资金' | '出资额' | null;
  registeredCapital: string | null;
  establishedOnLabel: '成立日期' | '注册日期';
  establishedOn: string;
  termLabel: '营业期限' | '合伙期限';
  term: string;
  addressLabel: '住所' | '经营场所' | '主要经营场所';
  address: string;
  scope: string;
  authority: string;
  issuedOn: string;
}

/** The values a correct form holds for the licence (what the OCR must come up with). */
export interface ExpectedForm {
  name: string;
  uscc: string;
  legalRepresentative: string;
  entityType: string;
  registeredCapitalWanYuan: number | null;
  establishedOn: string;
  address: string;
}

export interface SampleEntity {
  id: string;
  licence: LicenceContent;
  expected: ExpectedForm;
}

function sample(id: string, licence: LicenceContent, capitalWanYuan: number | null, establishedOn: string): SampleEntity {
  return {
    id,
    licence,
    expected: {
      name: licence.name,
      uscc: licence.uscc,
      legalRepresentative: licence.legalRepresentative,
      entityType: licence.entityType,
      registeredCapitalWanYuan: capitalWanYuan,
      establishedOn,
      address: licence.address,
    },
  };
}

const COMPANY = { representativeLabel: '法定代表人', establishedOnLabel: '成立日期', termLabel: '营业期限', addressLabel: '住所' } as const;

/**
 * Eight fictional Shanxi entities: limited and joint-stock companies, a partnership, a branch
 * without capital and a sole proprietorship; capital written in capital numerals, in figures
 * and in 万 with decimals; place names the recogniser finds hard (潞, 榆, 忻, 尧).
 */
export const SAMPLE_ENTITIES: readonly SampleEntity[] = [
  sample(
    'taiyuan-construction',
    {
      ...COMPANY,
      uscc: '91140100MA0K123488',
      name: '太原市晋阳建筑工程有限公司',
      entityType: '有限责任公司（自然人投资或控股）',
      legalRepresentative: '王建国',
      capitalLabel: '注册资本',
      registeredCapital: '人民币伍佰万元整',
      establishedOn: '2015年03月18日',
      term: '2015年03月18日至长期',
      address: '山西省太原市小店区长治路123号',
      scope: '房屋建筑工程施工；市政公用工程施工；建筑装饰装修工程；园林绿化工程。（依法须经批准的项目，经相关部门批准后方可开展经营活动）',
      authority: '太原市行政审批服务管理局',
      issuedOn: '2023年05月10日',
    },
    500,
    '2015-03-18',
  ),
  sample(
    'jinzhong-trade',
    {
      ...COMPANY,
      uscc: '91140702MA0GR5T23W',
      name: '晋中市榆次区恒通商贸有限公司',
      entityType: '有限责任公司（自然人独资）',
      legalRepresentative: '李秀英',
      capitalLabel: '注册资本',
      registeredCapital: '1000万元人民币',
      establishedOn: '2017年11月02日',
      term: '2017年11月02日至2047年11月01日',
      address: '山西省晋中市榆次区顺城街88号',
      scope: '日用百货、五金交电、建筑材料、办公用品的销售；货物进出口。',
      authority: '晋中市榆次区行政审批服务管理局',
      issuedOn: '2022年08月16日',
    },
    1000,
    '2017-11-02',
  ),
  sample(
    'lucheng-machinery',
    {
      ...COMPANY,
      uscc: '91140406MA0JW1D8XK',
      name: '长治市潞城区潞安煤机设备有限公司',
      entityType: '有限责任公司（自然人投资或控股）',
      legalRepresentative: '赵志刚',
      capitalLabel: '注册资本',
      registeredCapital: '人民币贰仟万元整',
      establishedOn: '2019年06月25日',
      term: '2019年06月25日至长期',
      address: '山西省长治市潞城区潞华街道太行西街56号',
      scope: '矿山机械设备的制造、销售、维修；机电设备安装工程；五金产品销售。',
      authority: '长治市潞城区行政审批服务管理局',
      issuedOn: '2024年01月09日',
    },
    2000,
    '2019-06-25',
  ),
  sample(
    'fenhe-water',
    {
      ...COMPANY,
      uscc: '911400001100123440',
      name: '山西汾河水利工程股份有限公司',
      entityType: '股份有限公司（非上市、自然人投资或控股）',
      legalRepresentative: '郭宏伟',
      capitalLabel: '注册资本',
      registeredCapital: '伍仟万圆整',
      establishedOn: '2003年09月30日',
      term: '2003年09月30日至长期',
      address: '山西省太原市迎泽区并州南路6号',
      scope: '水利水电工程施工；河湖整治工程；土石方工程；工程技术咨询服务。',
      authority: '山西省市场监督管理局',
      issuedOn: '2021年12月03日',
    },
    5000,
    '2003-09-30',
  ),
  sample(
    'datong-tourism',
    {
      ...COMPANY,
      uscc: '91140213MA0HB0Q753',
      name: '大同市云冈文化旅游发展有限公司',
      entityType: '其他有限责任公司',
      legalRepresentative: '张丽华',
      capitalLabel: '注册资本',
      registeredCapital: '1000.5万元',
      establishedOn: '2018年04月12日',
      term: '2018年04月12日至2048年04月11日',
      address: '山西省大同市云冈区云冈路9号',
      scope: '旅游开发；文化艺术交流活动策划；会议及展览服务；旅游信息咨询。',
      authority: '大同市云冈区行政审批服务管理局',
      issuedOn: '2023年02月21日',
    },
    1000.5,
    '2018-04-12',
  ),
  sample(
    'jinci-partnership',
    {
      representativeLabel: '执行事务合伙人',
      establishedOnLabel: '成立日期',
      termLabel: '合伙期限',
      addressLabel: '主要经营场所',
      uscc: '91140105MA0KXW0370',
      name: '太原市晋祠企业管理咨询合伙企业（有限合伙）',
      entityType: '有限合伙企业',
      legalRepresentative: '刘晓东',
      capitalLabel: '出资额',
      registeredCapital: '人民币叁佰万元整',
      establishedOn: '2020年07月08日',
      term: '2020年07月08日至长期',
      address: '山西省太原市晋源区晋祠路一段18号',
      scope: '企业管理咨询；商务信息咨询；财务咨询。',
      authority: '太原市行政审批服务管理局',
      issuedOn: '2020年07月08日',
    },
    300,
    '2020-07-08',
  ),
  sample(
    'xinzhou-branch',
    {
      representativeLabel: '负责人',
      establishedOnLabel: '成立日期',
      termLabel: '营业期限',
      addressLabel: '经营场所',
      uscc: '91140902MA0M0UP596',
      name: '山西晋通路桥工程有限公司忻州分公司',
      entityType: '其他有限责任公司分公司',
      legalRepresentative: '韩文斌',
      capitalLabel: null,
      registeredCapital: null,
      establishedOn: '2021年10月15日',
      term: '2021年10月15日至长期',
      address: '山西省忻州市忻府区和平西街27号',
      scope: '在隶属企业经营范围内从事公路工程、桥梁工程的施工业务联系。',
      authority: '忻州市忻府区行政审批服务管理局',
      issuedOn: '2021年10月15日',
    },
    null,
    '2021-10-15',
  ),
  sample(
    'linfen-sole',
    {
      representativeLabel: '投资人',
      establishedOnLabel: '成立日期',
      termLabel: '营业期限',
      addressLabel: '住所',
      uscc: '92141002MA0N2E3C4B',
      name: '临汾市尧都区华晋建材经营部',
      entityType: '个人独资企业',
      legalRepresentative: '陈国平',
      capitalLabel: '出资额',
      registeredCapital: '50万元',
      establishedOn: '2022年03月01日',
      term: '2022年03月01日至长期',
      address: '山西省临汾市尧都区鼓楼南大街101号',
      scope: '建筑材料、装饰材料的销售。',
      authority: '临汾市尧都区行政审批服务管理局',
      issuedOn: '2022年03月01日',
    },
    50,
    '2022-03-01',
  ),
];

// ---------------------------------------------------------------------------- rendering

const BASE_WIDTH = 1600;
const BASE_HEIGHT = 1130;

let fontDir: string | null = null;
function fontFile(weight: 'Regular' | 'Bold'): string {
  // The package's entry is dist/index.js; its fonts sit beside dist/.
  fontDir ??= path.join(path.dirname(fileURLToPath(import.meta.resolve('@embedpdf/fonts-sc'))), '..', 'fonts');
  return path.join(fontDir, `NotoSansHans-${weight}.otf`);
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Placed {
  input: Buffer;
  left: number;
  top: number;
}

/** Renders `text` at `sizePx`, wrapping at `wrapWidth` pixels when given; returns a composite layer. */
async function textLayer(
  text: string,
  left: number,
  top: number,
  sizePx: number,
  options: { bold?: boolean; wrapWidth?: number; colour?: string } = {},
): Promise<Placed> {
  const weight = options.bold ? 'Bold' : 'Regular';
  const { data } = await sharp({
    text: {
      text: `<span foreground="${options.colour ?? '#1b1b1b'}">${escapeMarkup(text)}</span>`,
      font: `Noto Sans S Chinese ${weight === 'Bold' ? 'Bold ' : ''}${sizePx}`,
      fontfile: fontFile(weight),
      dpi: 72,
      rgba: true,
      ...(options.wrapWidth ? { width: Math.round(options.wrapWidth), wrap: 'char' as const } : {}),
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { input: data, left: Math.round(left), top: Math.round(top) };
}

/** A QR-code-like block: three finder squares and modules from a hash of the code. */
function qrSvg(seed: string, size: number): string {
  const n = 29;
  const cell = size / n;
  let bits = Buffer.alloc(0);
  for (let i = 0; bits.length * 8 < n * n; i++) bits = Buffer.concat([bits, createHash('sha256').update(`${seed}:${i}`).digest()]);
  const rects: string[] = [];
  const finder = (r: number, c: number): boolean => r < 8 && c < 8;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (finder(r, c) || finder(r, n - 1 - c) || finder(n - 1 - r, c)) continue;
      const k = r * n + c;
      if ((bits[k >> 3]! >> (k & 7)) & 1) rects.push(`<rect x="${c * cell}" y="${r * cell}" width="${cell}" height="${cell}"/>`);
    }
  }
  const finderSvg = (x: number, y: number): string =>
    `<rect x="${x}" y="${y}" width="${7 * cell}" height="${7 * cell}"/>` +
    `<rect x="${x + cell}" y="${y + cell}" width="${5 * cell}" height="${5 * cell}" fill="#fff"/>` +
    `<rect x="${x + 2 * cell}" y="${y + 2 * cell}" width="${3 * cell}" height="${3 * cell}"/>`;
  return (
    `<g fill="#111">${rects.join('')}${finderSvg(0, 0)}${finderSvg((n - 7) * cell, 0)}${finderSvg(0, (n - 7) * cell)}</g>`
  );
}

/** The licence as a PNG, `width` pixels wide (the layout is drawn for 1600 and scaled). */
export async function renderLicence(content: LicenceContent, options: { width?: number } = {}): Promise<Buffer> {
  const width = options.width ?? BASE_WIDTH;
  const s = width / BASE_WIDTH;
  const height = Math.round(BASE_HEIGHT * s);
  const px = (v: number): number => Math.round(v * s);
  const size = px(26);

  // Decorative double border and the seal; text is composited over them.
  const seal = { cx: px(1290), cy: px(985), r: px(95) };
  const shapes = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect x="${px(28)}" y="${px(28)}" width="${width - 2 * px(28)}" height="${height - 2 * px(28)}" fill="none" stroke="#b08a4a" stroke-width="${px(6)}"/>
    <rect x="${px(44)}" y="${px(44)}" width="${width - 2 * px(44)}" height="${height - 2 * px(44)}" fill="none" stroke="#b08a4a" stroke-width="${px(2)}"/>
    <g transform="translate(${px(1320)},${px(160)})">${qrSvg(content.uscc, px(150))}</g>
    <circle cx="${seal.cx}" cy="${seal.cy}" r="${seal.r}" fill="none" stroke="#d8312b" stroke-opacity="0.8" stroke-width="${px(7)}"/>
    <polygon fill="#d8312b" fill-opacity="0.8" points="${starPoints(seal.cx, seal.cy, px(34))}"/>
  </svg>`;

  const leftLabel = 140;
  const leftValue = 330;
  const rightLabel = 880;
  const rightValue = 1070;
  const rowTop = 390;
  const rowGap = 76;
  const spaced = (label: string): string => (label.length === 2 ? `${label[0]}\u3000\u3000${label[1]}` : label);

  const rows: [string | null, string | null, string | null, string | null][] = [
    ['名称', content.name, content.capitalLabel, content.registeredCapital],
    ['类型', content.entityType, content.establishedOnLabel, content.establishedOn],
    [content.representativeLabel, content.legalRepresentative, content.termLabel, content.term],
    ['经营范围', content.scope, content.addressLabel, content.address],
  ];

  const jobs: Promise<Placed>[] = [
    textLayer('营业执照', width / 2 - px(170), px(80), px(84), { bold: true }),
    textLayer('（副\u3000本）', width / 2 - px(70), px(196), px(28)),
    textLayer('统一社会信用代码', px(120), px(190), size),
    textLayer(content.uscc, px(120), px(232), px(28)),
    textLayer('扫描二维码登录“国家企业信用信息公示系统”了解更多登记、备案、许可、监管信息。', px(1120), px(320), px(13), { wrapWidth: px(360), colour: '#555' }),
  ];
  rows.forEach(([ll, lv, rl, rv], i) => {
    const top = px(rowTop + i * rowGap);
    // Values wrap inside their column: 经营范围 over several lines, long names and addresses over two.
    if (ll) jobs.push(textLayer(spaced(ll), px(leftLabel), top, size));
    if (lv) jobs.push(textLayer(lv, px(leftValue), top, size, { wrapWidth: px(490) }));
    if (rl) jobs.push(textLayer(spaced(rl), px(rightLabel), top, size));
    if (rv) jobs.push(textLayer(rv, px(rightValue), top, size, { wrapWidth: px(440) }));
  });
  jobs.push(
    textLayer('登记机关', px(1180), px(900), size),
    textLayer(content.issuedOn, px(1180), px(1000), size),
    textLayer('国家企业信用信息公示系统网址：http://www.gsxt.gov.cn', px(120), px(1040), px(16), { colour: '#444' }),
    textLayer('市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。', px(120), px(1068), px(16), { colour: '#444' }),
  );
  const layers = await Promise.all(jobs);

  return sharp({ create: { width, height, channels: 3, background: { r: 251, g: 248, b: 240 } } })
    .composite([{ input: Buffer.from(shapes), left: 0, top: 0 }, ...layers.map((l) => ({ input: l.input, left: l.left, top: l.top }))])
    .png()
    .toBuffer();
}

function starPoints(cx: number, cy: number, r: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r : r * 0.4;
    pts.push(`${(cx + rr * Math.cos(a)).toFixed(1)},${(cy + rr * Math.sin(a)).toFixed(1)}`);
  }
  return pts.join(' ');
}

// --------------------------------------------------------------------------- degradations

export type Degradation =
  | { kind: 'rotate'; degrees: number }
  | { kind: 'blur'; sigma: number }
  | { kind: 'jpeg'; quality: number }
  | { kind: 'downscale'; factor: number };

/** Applies the steps in order; the result is PNG unless the last step is a JPEG encoding. */
export async function degrade(image: Buffer, steps: readonly Degradation[]): Promise<Buffer> {
  let current = image;
  for (const step of steps) {
    switch (step.kind) {
      case 'rotate':
        // A grey desk around the turned page, as in a phone photo.
        current = await sharp(current).rotate(step.degrees, { background: { r: 200, g: 200, b: 196 } }).png().toBuffer();
        break;
      case 'blur':
        current = await sharp(current).blur(step.sigma).png().toBuffer();
        break;
      case 'jpeg':
        current = await sharp(current).jpeg({ quality: step.quality, chromaSubsampling: '4:2:0' }).toBuffer();
        break;
      case 'downscale': {
        const meta = await sharp(current).metadata();
        current = await sharp(current)
          .resize(Math.round((meta.width ?? 0) * step.factor))
          .png()
          .toBuffer();
        break;
      }
    }
  }
  return current;
}

export interface DegradationClass {
  name: string;
  steps: readonly Degradation[];
}

/** The classes the tests and the bench report on, mildest first. */
export const DEGRADATION_CLASSES: readonly DegradationClass[] = [
  { name: 'clean', steps: [] },
  { name: 'rotate +3°', steps: [{ kind: 'rotate', degrees: 3 }] },
  { name: 'rotate −5°', steps: [{ kind: 'rotate', degrees: -5 }] },
  { name: 'rotate +10°', steps: [{ kind: 'rotate', degrees: 10 }] },
  { name: 'blur σ1.2', steps: [{ kind: 'blur', sigma: 1.2 }] },
  { name: 'jpeg q30', steps: [{ kind: 'jpeg', quality: 30 }] },
  { name: 'jpeg q10', steps: [{ kind: 'jpeg', quality: 10 }] },
  { name: 'downscale 0.6', steps: [{ kind: 'downscale', factor: 0.6 }] },
  {
    name: 'combined',
    steps: [
      { kind: 'rotate', degrees: -4 },
      { kind: 'blur', sigma: 1 },
      { kind: 'downscale', factor: 0.8 },
      { kind: 'jpeg', quality: 30 },
    ],
  },
];
