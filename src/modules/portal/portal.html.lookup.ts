// The lookup pages as HTML: credit disclosure (what is inside its disclosure period, as the
// credit module publishes it, ID numbers masked) and the public facts of market entities.

import type { mapPublicRecord } from '../credit/credit.schemas.ts';
import type { mapPublicEntity } from '../registry/registry.public.routes.ts';
import { html, page, type Html } from './portal.html.ts';
import type { Where } from './portal.html.lists.ts';
import { pager } from './portal.html.parts.ts';

export type CreditItem = ReturnType<typeof mapPublicRecord>;
export type EntityItem = ReturnType<typeof mapPublicEntity>;

const RECORD_TYPES: Record<string, string> = { violation: '违法违规', blacklist: '列入黑名单', blacklist_removal: '移出黑名单', reward: '表彰奖励', performance: '合同履约', social: '社会信用' };
const SEVERITIES: Record<string, string> = { minor: '轻微', ordinary: '一般', serious: '严重' };
const BAN_CATEGORIES: Record<string, string> = { construction: '工程建设', government_procurement: '政府采购', land: '土地使用权', mineral: '矿业权', state_property: '国有产权', '*': '全部交易类别' };
const QUALIFICATION_STATES: Record<string, string> = { not_yet_valid: '尚未生效', valid: '有效', expiring: '即将到期', expired: '已过期' };

function lookupForm(action: string, label: string, value: string, hint: string): Html {
  return html`<form class="card" action="${action}" method="get" role="search"><label for="l-q">${label}</label><div class="search"><input id="l-q" name="q" type="search" maxlength="100" value="${value}" required minlength="2"><button type="submit">查询</button></div><p class="meta">${hint}</p></form>`;
}

function creditRecord(r: CreditItem): Html {
  return html`<li class="card"><h3>${r.title}</h3><dl class="facts"><dt>主体</dt><dd>${r.subjectName}</dd>${r.uscc ? html`<dt>统一社会信用代码</dt><dd><code>${r.uscc}</code></dd>` : ''}${r.idNumberMasked ? html`<dt>身份证号</dt><dd><code>${r.idNumberMasked}</code></dd>` : ''}<dt>类别</dt><dd>${RECORD_TYPES[r.type] ?? r.type}${r.severity ? `（${SEVERITIES[r.severity] ?? r.severity}）` : ''}${r.underObjection ? html` <span class="badge b-corrected">异议处理中</span>` : ''}</dd><dt>事实</dt><dd>${r.facts}</dd><dt>依据</dt><dd>${r.legalBasis}</dd><dt>决定机关</dt><dd>${r.sourceDepartment}（${r.regionName}）</dd><dt>决定文号</dt><dd>${r.decisionNumber}</dd><dt>决定日期</dt><dd>${r.decisionDate}</dd>${r.ban ? html`<dt>限制范围</dt><dd>${r.ban.regionName}：${r.ban.categories.map((c) => BAN_CATEGORIES[c] ?? c).join('、')}，${r.ban.from} 至 ${r.ban.to}</dd>` : ''}<dt>公示截止</dt><dd>${r.disclosureTo}</dd></dl></li>`;
}

export function creditPage(w: Where, query: string, items: CreditItem[] | null, error: string | null): string {
  let result: Html | string = '';
  if (error) result = html`<p class="error" role="alert">${error}</p>`;
  else if (items && items.length === 0) result = html`<p class="note">未查到“${query}”在公示期内的信用记录。</p>`;
  else if (items) result = html`<h2>公示期内的记录（${items.length} 条）</h2><ul class="list">${items.map(creditRecord)}</ul>`;
  return page({
    title: query ? `信用信息：${query}` : '信用信息公示',
    description: '查询市场主体在公示期内的信用记录（违法违规、黑名单、表彰等），公示期满不再显示，个人身份证号脱敏。',
    origin: w.origin,
    canonical: '/credit',
    channel: w.channel,
    section: 'credit',
    query: '',
    noindex: query !== '',
    crumbs: [{ label: '首页', href: '/' }, { label: '信用信息' }],
    body: html`<h1>信用信息公示</h1>${lookupForm('/credit', '统一社会信用代码或主体名称', query, '仅显示公示期内、已生效或异议处理中的记录；公示期满的记录不再公开。')}${result}`,
  });
}

function entity(e: EntityItem): Html {
  return html`<li class="card"><h3>${e.name}</h3><dl class="facts"><dt>统一社会信用代码</dt><dd><code>${e.uscc}</code></dd>${e.entityType ? html`<dt>主体类型</dt><dd>${e.entityType}</dd>` : ''}${e.legalRepresentative ? html`<dt>法定代表人</dt><dd>${e.legalRepresentative}</dd>` : ''}${e.establishedOn ? html`<dt>成立日期</dt><dd>${e.establishedOn}</dd>` : ''}<dt>地区</dt><dd>${e.region.name}</dd><dt>主体角色</dt><dd>${e.roles.map((r) => r.name).join('、')}</dd><dt>登记状态</dt><dd>${e.statusName}</dd></dl>${
    e.qualifications.length > 0
      ? html`<div class="table" role="region" aria-label="${e.name}的资质" tabindex="0"><table><caption>资质</caption><thead><tr><th scope="col">资质类别</th><th scope="col">等级</th><th scope="col">证书编号</th><th scope="col">发证机关</th><th scope="col">有效期</th><th scope="col">状态</th></tr></thead><tbody>${e.qualifications.map((q) => html`<tr><td>${q.category}</td><td>${q.grade}</td><td>${q.number}</td><td>${q.issuer}</td><td>${q.validFrom} 至 ${q.validTo}</td><td>${QUALIFICATION_STATES[q.state] ?? q.state}</td></tr>`)}</tbody></table></div>`
      : ''
  }<p><a href="/credit?q=${e.uscc}">查看${e.name}的信用信息</a></p></li>`;
}

export interface EntityResult {
  items: EntityItem[];
  page: number;
  more: boolean;
  params: Record<string, string | undefined>;
}

export function entitiesPage(w: Where, query: string, r: EntityResult | null, error: string | null): string {
  let result: Html | string = '';
  if (error) result = html`<p class="error" role="alert">${error}</p>`;
  else if (r && r.items.length === 0) result = html`<p class="note">未查到“${query}”对应的已登记市场主体。</p>`;
  else if (r) result = html`<h2>查询结果</h2><ul class="list">${r.items.map(entity)}</ul>${pager({ path: '/entities', params: r.params, page: r.page, last: r.more ? r.page + 1 : r.page })}`;
  return page({
    title: query ? `市场主体：${query}` : '市场主体信息',
    description: '查询在本平台登记的法人和其他组织的公开信息：名称、统一社会信用代码、主体类型、法定代表人、角色与资质有效期。',
    origin: w.origin,
    canonical: '/entities',
    channel: w.channel,
    section: 'entities',
    noindex: query !== '',
    crumbs: [{ label: '首页', href: '/' }, { label: '市场主体' }],
    body: html`<h1>市场主体信息</h1>${lookupForm('/entities', '主体名称关键词或统一社会信用代码', query, '仅公开营业执照与资质证书所载事项；联系人、电话、银行账户和身份证号不公开。')}${result}`,
  });
}
