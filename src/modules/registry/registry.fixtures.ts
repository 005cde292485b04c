// Data builders for the registry tests and benchmark (not used by the application).

import crypto from 'node:crypto';
import { idNumberFor, seededRandom, usccFor } from '../experts/experts.fixtures.ts';
import type { EntityInsert } from './registry.repository.ts';
import { ENTITY_ROLES } from './registry.rules.ts';

export { idNumberFor, usccFor };

/** A complete, valid organisation profile; override anything. */
export function profileBody(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `山西晋建建设工程有限公司${n}`,
    regionCode: '140100',
    roles: ['bidder', 'supplier'],
    entityType: '有限责任公司',
    registeredCapitalWanYuan: 5000,
    establishedOn: '2012-05-18',
    address: '山西省太原市小店区长治路 100 号',
    legalRepresentative: { name: '王建国', idNumber: idNumberFor(n) },
    contacts: [{ name: '李明', phone: '13912345678', email: 'liming@example.com' }],
    bankAccount: { bankName: '中国建设银行太原长风支行', accountName: `山西晋建建设工程有限公司${n}`, number: '14050110000000000123' },
    qualifications: [{ category: '建筑工程施工总承包', grade: '一级', number: `D11400${String(n).padStart(4, '0')}`, issuer: '山西省住房和城乡建设厅', validFrom: '2021-04-01', validTo: '2026-03-31' }],
    certificates: [],
    keyPersonnel: [{ name: '赵工', role: 'project_manager', idNumber: idNumberFor(n + 500), certificateKind: '一级注册建造师', certificateNumber: `晋1142012${String(n).padStart(6, '0')}`, certificateValidTo: '2027-12-31' }],
    ...overrides,
  };
}

/** Reproducible entity rows for the search benchmark: realistic Chinese company names. */
export function entityRows(count: number, seed: number, now: Date, regions: readonly string[]): EntityInsert[] {
  const rand = seededRandom(seed);
  const places = ['太原', '大同', '阳泉', '长治', '晋城', '朔州', '晋中', '运城', '忻州', '临汾', '吕梁', '潞城', '介休', '孝义', '侯马', '霍州', '高平', '怀仁', '原平', '永济'];
  const words = ['宏达', '华通', '晋建', '恒泰', '鑫源', '盛世', '汇丰', '金盾', '瑞祥', '中诚', '三晋', '龙城', '汾河', '太行', '吕梁山', '新晋', '博远', '安泰', '众合', '天成', '兴业', '同创', '正和', '嘉禾'];
  const trades = ['建设工程', '建筑安装', '市政工程', '路桥工程', '水利水电', '电力工程', '园林绿化', '装饰工程', '工程咨询', '招标代理', '科技', '医疗器械', '信息技术', '环保科技', '物业管理', '商贸'];
  const forms = ['有限公司', '有限责任公司', '股份有限公司', '集团有限公司'];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const rows: EntityInsert[] = [];
  for (let i = 0; i < count; i++) {
    const name = `山西${pick(places)}${pick(words)}${pick(trades)}${pick(forms)}${i % 7 === 0 ? `第${(i % 97) + 1}分公司` : ''}`;
    rows.push({
      id: crypto.randomUUID(),
      kind: 'organisation',
      uscc: usccFor(1_000_000 + i),
      id_number_index: null,
      id_number_enc: null,
      id_number_masked: null,
      name: `${name}${i}`.slice(0, 100),
      region_code: pick(regions),
      status: 'registering',
      status_reason: null,
      roles: [pick(ENTITY_ROLES)],
      current_version_id: null,
      registered_by: null,
      created_at: now,
      updated_at: now,
      approved_at: null,
    });
  }
  return rows;
}
