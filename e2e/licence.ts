// A business licence image for the registry flow, rendered by the registry's licence image
// generator (src/modules/registry/ocr/licence-images.ts, the same one the OCR tests and bench use)
// in the layout of the national template, so the real OCR reads it.

import { renderLicence } from '../src/modules/registry/ocr/licence-images.ts';

export interface LicenceFacts {
  name: string;
  uscc: string;
  legalRepresentative: string;
  registeredCapitalWanYuan: number;
  entityType: string;
  /** YYYY-MM-DD */
  establishedOn: string;
  address: string;
}

function chineseDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${y}年${m}月${d}日`;
}

export async function licenceImage(facts: LicenceFacts): Promise<Buffer> {
  return renderLicence({
    uscc: facts.uscc,
    name: facts.name,
    entityType: facts.entityType,
    representativeLabel: '法定代表人',
    legalRepresentative: facts.legalRepresentative,
    capitalLabel: '注册资本',
    registeredCapital: `${facts.registeredCapitalWanYuan}万元`,
    establishedOnLabel: '成立日期',
    establishedOn: chineseDay(facts.establishedOn),
    termLabel: '营业期限',
    term: `${chineseDay(facts.establishedOn)}至长期`,
    addressLabel: '住所',
    address: facts.address,
    scope: '房屋建筑工程施工；市政公用工程施工。（依法须经批准的项目，经相关部门批准后方可开展经营活动）',
    authority: '太原市行政审批服务管理局',
    issuedOn: '2023年05月10日',
  });
}
