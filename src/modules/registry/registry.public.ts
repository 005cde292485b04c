// The public lookup of market entities (市场主体信息公开): what a business licence and a
// qualification certificate say of a registered organisation — name, USCC, type, region, legal
// representative, the roles it registered, whether it is active, and its qualifications with
// their validity. Natural persons are not listed (their identity is personal information), and
// nothing sealed in a profile (ID numbers, phones, bank accounts) is read at all.

import type { Deps } from '../../platform/deps.ts';
import { invalid } from '../../platform/errors.ts';
import { checkUscc } from '../../platform/validation/ids.ts';
import { chinaDate } from '../credit/credit.rules.ts';
import { USCC_MESSAGES } from '../credit/credit.checks.ts';
import { qualificationsOf } from './registry.repository.ts';
import { findPublicEntities, type PublicEntityRow } from './registry.public.repository.ts';
import { qualificationState, type QualificationState } from './registry.rules.ts';

export interface PublicEntityQuery {
  /** A name or part of it, or a USCC. */
  q?: string | undefined;
  uscc?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface PublicQualification {
  category: string;
  grade: string;
  number: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  state: QualificationState;
}

export interface PublicEntity extends PublicEntityRow {
  qualifications: PublicQualification[];
}

export interface PublicEntityPage {
  items: PublicEntity[];
  /** How the query was read. */
  by: 'uscc' | 'name';
  page: number;
  pageSize: number;
  /** Whether another page follows. */
  more: boolean;
}

const MAX_PAGE = 50;

export async function publicEntities(deps: Pick<Deps, 'db'>, query: PublicEntityQuery, now: Date): Promise<PublicEntityPage> {
  const q = query.q?.trim() ?? '';
  const usccText = query.uscc?.trim() ?? '';
  if ((q === '') === (usccText === '')) throw invalid('q', 'one_of', '请输入名称关键词或统一社会信用代码中的一项');
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) throw invalid('page', 'range', `页码应为 1–${MAX_PAGE}；请用更完整的名称缩小范围`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) throw invalid('pageSize', 'range', '每页条数应为 1–50');

  let by: { uscc: string } | { name: string };
  if (usccText !== '') {
    const r = checkUscc(usccText);
    if (!r.ok) throw invalid('uscc', r.rule, USCC_MESSAGES[r.rule]);
    by = { uscc: r.normalized };
  } else {
    const asCode = checkUscc(q.replace(/\s/g, ''));
    if (asCode.ok) by = { uscc: asCode.normalized };
    else if ([...q].length < 2 || [...q].length > 50) throw invalid('q', 'length', '名称关键词应为 2–50 个字');
    else by = { name: q };
  }

  const rows = await findPublicEntities(deps.db, by, pageSize, (page - 1) * pageSize);
  const shown = rows.slice(0, pageSize);
  const today = chinaDate(now);
  const quals = shown.length > 0 ? await qualificationsOf(deps.db, shown.map((r) => r.id)) : [];
  const items = shown.map((r) => ({
    ...r,
    qualifications: quals
      .filter((x) => x.entity_id === r.id)
      .sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0))
      .map((x) => ({ category: x.category, grade: x.grade, number: x.number, issuer: x.issuer, validFrom: x.valid_from, validTo: x.valid_to, state: qualificationState(x.valid_from, x.valid_to, today) })),
  }));
  return { items, by: 'uscc' in by ? 'uscc' : 'name', page, pageSize, more: rows.length > pageSize };
}
