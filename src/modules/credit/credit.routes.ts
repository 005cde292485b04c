// HTTP routes of the credit library. Thin: schema, access, one service call, map the answer.
// A person's ID number is only ever sent in a request body (archive, participation check), never
// in a URL, so that it stays out of access logs.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, Page, STANDARD_ERRORS } from '../../platform/http/schemas.ts';
import { loadCategories } from './credit.categories.ts';
import { chinaDate, DEFAULT_RULES } from './credit.rules.ts';
import * as s from './credit.schemas.ts';
import * as credit from './credit.service.ts';
import { checkedSubjectKey } from './credit.checks.ts';
import { atProvinceCredit, participationOf, publicCreditHere } from './credit.province.ts';
import * as steps from './credit.steps.ts';

const TAG = ['信用'];
const READ = { auth: { permission: 'credit.record.read' } } as const;
const WRITE = { auth: { permission: 'credit.record.write' } } as const;
const FILE = { auth: { permission: 'credit.objection.file' } } as const;
const DECIDE_OBJECTION = { auth: { permission: 'credit.objection.decide' } } as const;
const DECIDE_REPAIR = { auth: { permission: 'credit.repair.decide' } } as const;

const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

export function registerCreditRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const rateLimit = { max: deps.config.security.authRateLimitPerMinute, timeWindow: 60_000 };
  // On a city the library's business is the province's (credit.province.ts); checked after access and validation.
  const AT_PROVINCE = { preHandler: async () => atProvinceCredit(deps) };

  app.get(
    '/api/v1/public/credit',
    {
      config: { auth: { public: true }, rateLimit },
      schema: { tags: TAG, summary: '信用信息公示（按统一社会信用代码或名称；仅公示期内记录，身份证号脱敏）', security: [], querystring: s.PublicQuery, response: { 200: s.PublicResult, 400: { $ref: 'Problem#' } } },
    },
    async (request) => ({ items: await publicCreditHere(deps, request.query, request.now) }),
  );

  app.get(
    '/api/v1/credit/categories',
    { config: READ, schema: { tags: TAG, summary: '交易类别代码表（禁止参与范围用；含版本，* 表示全部类别）', response: { 200: s.CategoryTable, ...STANDARD_ERRORS } } },
    async () => s.mapCategoryTable(loadCategories()),
  );

  app.get(
    '/api/v1/credit/rules',
    { config: READ, schema: { tags: TAG, summary: '信用规则参数（公开期限、异议与修复期限、评分等级）', response: { 200: s.RulesOut, ...STANDARD_ERRORS } } },
    async () => s.mapRules(DEFAULT_RULES),
  );

  app.get(
    '/api/v1/credit/records',
    { config: READ, ...AT_PROVINCE, schema: { tags: TAG, summary: '信用记录列表（数据范围内）', querystring: s.RecordQuery, response: { 200: Page(s.CreditRecord), ...STANDARD_ERRORS } } },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await credit.listRecords(deps, actorOf(request), { ...request.query, page, pageSize });
      return { items: r.rows.map(s.mapRecord), total: r.total, page, pageSize };
    },
  );

  app.post(
    '/api/v1/credit/records',
    { config: WRITE, ...AT_PROVINCE, schema: { tags: TAG, summary: '登记信用记录（含禁止参与范围）', body: s.RecordCreate, response: { 201: s.CreditRecord, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapRecord(await credit.createRecord(deps, actorOf(request), request.body))),
  );

  app.get(
    '/api/v1/credit/records/:id',
    { config: READ, ...AT_PROVINCE, schema: { tags: TAG, summary: '信用记录详情', params: IdParams, response: { 200: s.CreditRecord, ...STANDARD_ERRORS } } },
    async (request) => s.mapRecord(await credit.recordFor(deps, actorOf(request), request.params.id, 'credit.record.read')),
  );

  app.get(
    '/api/v1/credit/records/:id/history',
    { config: READ, ...AT_PROVINCE, schema: { tags: TAG, summary: '信用记录的异议和修复申请（含提交与处理经过）', params: IdParams, response: { 200: s.RecordHistory, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      return s.mapHistory(await steps.recordHistory(deps, actor, request.params.id), chinaDate(actor.now));
    },
  );

  app.post(
    '/api/v1/credit/imports',
    // 5,000 rows of JSON or CSV run to a few MB: above the platform's default request limit.
    { config: WRITE, ...AT_PROVINCE, bodyLimit: IMPORT_BODY_LIMIT, schema: { tags: TAG, summary: '批量导入信用记录（JSON 或 CSV；有一行不合格则全部不写入）', body: s.ImportRequest, response: { 201: s.ImportResult, ...STANDARD_ERRORS } } },
    async (request, reply) => {
      const ids = await credit.importRecords(deps, actorOf(request), request.body);
      return reply.status(201).send({ created: ids.length, ids });
    },
  );

  app.post(
    '/api/v1/credit/participation-check',
    { config: READ, schema: { tags: TAG, summary: '参与资格核验（禁止参与的类别、区域、期限）', body: s.ParticipationRequest, response: { 200: s.ParticipationResult, ...STANDARD_ERRORS } } },
    async (request) => {
      const at = new Date(request.body.at);
      const subject = checkedSubjectKey(request.body.subject, at, 'subject.');
      return participationOf(deps, deps.db, subject.kind === 'organisation' ? { uscc: subject.uscc } : { idNumber: subject.idNumber }, { category: request.body.category, regionCode: request.body.regionCode, at });
    },
  );

  app.post(
    '/api/v1/credit/subjects/archive',
    { config: READ, ...AT_PROVINCE, schema: { tags: TAG, summary: '主体信用档案（记录、异议、修复、评分；身份证号放在请求体中）', body: s.ArchiveRequest, response: { 200: s.Archive, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      const a = await credit.subjectArchive(deps, actor, request.body);
      const subject = { kind: a.subject.kind, name: a.name, uscc: a.subject.kind === 'organisation' ? a.subject.uscc : null, idNumberMasked: a.records[0]?.id_number_masked ?? null };
      return s.mapArchive(a, subject, chinaDate(actor.now));
    },
  );

  app.get(
    '/api/v1/credit/personnel/:id/archive',
    { config: READ, ...AT_PROVINCE, schema: { tags: TAG, summary: '从业人员（人员信息库中的工作人员）的信用档案；需同时可见该人员', params: IdParams, response: { 200: s.Archive, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      const { person, archive } = await credit.personnelArchive(deps, actor, request.params.id);
      return s.mapArchive(archive, { kind: 'person', name: person.name, uscc: null, idNumberMasked: person.idNumberMasked }, chinaDate(actor.now));
    },
  );

  app.post(
    '/api/v1/credit/records/:id/objections',
    { config: FILE, ...AT_PROVINCE, schema: { tags: TAG, summary: '提出异议（代主体提交，记录提交人）', params: IdParams, body: s.ObjectionCreate, response: { 201: s.Objection, ...STANDARD_ERRORS } } },
    async (request, reply) => {
      const actor = actorOf(request);
      return reply.status(201).send(s.mapObjection(await steps.fileObjection(deps, actor, request.params.id, request.body), chinaDate(actor.now)));
    },
  );

  app.get(
    '/api/v1/credit/objections',
    { config: DECIDE_OBJECTION, ...AT_PROVINCE, schema: { tags: TAG, summary: '异议列表（标记逾期未处理）', querystring: s.ObjectionQuery, response: { 200: Page(s.ObjectionListItem), ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await steps.listObjections(deps, actor, { status: request.query.status, page, pageSize });
      const today = chinaDate(actor.now);
      return { items: r.rows.map((o) => ({ ...s.mapObjection(o, today), recordTitle: o.record_title, subjectName: o.subject_name })), total: r.total, page, pageSize };
    },
  );

  app.post(
    '/api/v1/credit/objections/:id/decision',
    { config: DECIDE_OBJECTION, ...AT_PROVINCE, schema: { tags: TAG, summary: '处理异议（成立则撤销记录，不成立则恢复生效）', params: IdParams, body: s.ObjectionDecision, response: { 200: s.Objection, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      return s.mapObjection(await steps.decideObjection(deps, actor, request.params.id, request.body), chinaDate(actor.now));
    },
  );

  app.post(
    '/api/v1/credit/records/:id/repairs',
    { config: FILE, ...AT_PROVINCE, schema: { tags: TAG, summary: '申请信用修复（代主体提交，须作信用承诺）', params: IdParams, body: s.RepairCreate, response: { 201: s.Repair, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapRepair(await steps.requestRepair(deps, actorOf(request), request.params.id, request.body))),
  );

  app.get(
    '/api/v1/credit/repairs',
    { config: DECIDE_REPAIR, ...AT_PROVINCE, schema: { tags: TAG, summary: '信用修复申请列表（数据范围内）', querystring: s.RepairQuery, response: { 200: Page(s.RepairListItem), ...STANDARD_ERRORS } } },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await steps.listRepairs(deps, actorOf(request), { status: request.query.status, page, pageSize });
      return { items: r.rows.map((p) => ({ ...s.mapRepair(p), recordTitle: p.record_title, subjectName: p.subject_name })), total: r.total, page, pageSize };
    },
  );

  app.post(
    '/api/v1/credit/repairs/:id/decision',
    { config: DECIDE_REPAIR, ...AT_PROVINCE, schema: { tags: TAG, summary: '审核信用修复申请（通过则记录修复、停止公示）', params: IdParams, body: s.RepairDecision, response: { 200: s.Repair, ...STANDARD_ERRORS } } },
    async (request) => s.mapRepair(await steps.decideRepair(deps, actorOf(request), request.params.id, request.body)),
  );
}
