// HTTP routes of the market-entity registry. Thin: schema, access, one service call, map the
// answer. A natural person's ID number only travels in request bodies, never in URLs.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, contextOf } from '../../platform/http/context.ts';
import { IdParams, Page, STANDARD_ERRORS } from '../../platform/http/schemas.ts';
import { chinaDate } from '../credit/credit.rules.ts';
import * as files from './registry.files.ts';
import * as review from './registry.review.ts';
import * as s from './registry.schemas.ts';
import * as registry from './registry.service.ts';
import { clearFor, MASKED, mapEntity, mapHistory, mapVersionSummary, namesOf } from './registry.views.ts';
import { versionView } from './registry.licence.ts';
import { atProvince, registryDetail, registryList, registryVersion, registryVersions } from './registry.directory.ts';

const TAG = ['市场主体'];
const SELF = { auth: { permission: 'registry.self.manage' } } as const;
const READ = { auth: { permission: 'registry.entity.read' } } as const;
const REVIEW = { auth: { permission: 'registry.entity.review' } } as const;
const REVEAL = { auth: { permission: 'registry.entity.reveal' } } as const;
const UPLOAD_TYPES = ['image/png', 'image/jpeg', 'application/pdf'];
const Digest = Type.String({ pattern: '^[0-9a-f]{64}$' });
const DigestParams = Type.Object({ id: Type.String({ format: 'uuid' }), digest: Digest }, { additionalProperties: false });

export function registerRegistryRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const rateLimit = { max: deps.config.security.authRateLimitPerMinute, timeWindow: 60_000 };

  app.post(
    '/api/v1/public/registrations',
    {
      config: { auth: { public: true }, rateLimit },
      schema: { tags: TAG, summary: '市场主体自助注册（主体与首个账号；同一统一社会信用代码或身份证号全省只能注册一次）', security: [], body: s.Registration, response: { 201: s.RegistrationResult, 400: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } } },
    },
    async (request, reply) => reply.status(201).send(await registry.register(deps, contextOf(request), request.body)),
  );

  // ---- the entity's own users ----

  app.get(
    '/api/v1/registry/me',
    { config: SELF, schema: { tags: TAG, summary: '本主体：已审核信息、在办的草稿或待审核申请、最近一次退回', response: { 200: s.MyEntity, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      const m = await registry.myEntity(deps, actor);
      const today = chinaDate(actor.now);
      const clear = clearFor(deps, m.entity.id);
      const warnings = await review.warningCounts(deps, [m.entity.id], today);
      return {
        entity: mapEntity(m.entity, warnings.get(m.entity.id) ?? 0),
        current: m.current ? (await versionView(deps, m.entity, m.current, clear, today)).profile : null,
        open: m.open ? await versionView(deps, m.entity, m.open, clear, today) : null,
        lastRejected: m.lastRejected ? mapVersionSummary(m.lastRejected, null, await namesOf(deps, [m.lastRejected])) : null,
      };
    },
  );

  app.put(
    '/api/v1/registry/me/draft',
    { config: SELF, schema: { tags: TAG, summary: '保存主体信息草稿（首次注册或变更；整份提交）', body: s.ProfileInput, response: { 200: s.Version, ...STANDARD_ERRORS, 409: { $ref: 'Problem#' } } } },
    async (request) => {
      atProvince(deps);
      const actor = actorOf(request);
      const v = await registry.saveDraft(deps, actor, request.body);
      return versionView(deps, await review.entityFor(deps, v.entity_id), v, clearFor(deps, v.entity_id), chinaDate(actor.now));
    },
  );

  app.post(
    '/api/v1/registry/me/draft/submit',
    { config: SELF, schema: { tags: TAG, summary: '提交审核', response: { 200: s.Version, ...STANDARD_ERRORS, 409: { $ref: 'Problem#' } } } },
    async (request) => {
      atProvince(deps);
      const actor = actorOf(request);
      const v = await registry.submitDraft(deps, actor);
      return versionView(deps, await review.entityFor(deps, v.entity_id), v, clearFor(deps, v.entity_id), chinaDate(actor.now));
    },
  );

  app.post(
    '/api/v1/registry/me/draft/withdraw',
    { config: SELF, schema: { tags: TAG, summary: '撤回待审核的申请（回到草稿）', response: { 200: s.Version, ...STANDARD_ERRORS, 409: { $ref: 'Problem#' } } } },
    async (request) => {
      atProvince(deps);
      const actor = actorOf(request);
      const v = await registry.withdrawSubmission(deps, actor);
      return versionView(deps, await review.entityFor(deps, v.entity_id), v, clearFor(deps, v.entity_id), chinaDate(actor.now));
    },
  );

  app.get(
    '/api/v1/registry/me/versions',
    { config: SELF, schema: { tags: TAG, summary: '本主体的全部版本（谁、何时、改了什么、审核结果）', response: { 200: Type.Object({ items: Type.Array(s.VersionSummary) }), ...STANDARD_ERRORS } } },
    async (request) => {
      atProvince(deps);
      return { items: await mapHistory(deps, await registry.myVersions(deps, actorOf(request))) };
    },
  );

  // Uploads carry the file itself as the body (no multipart): one file per request.
  void app.register(async (scoped) => {
    const limit = { bodyLimit: 10 * 1024 * 1024 };
    scoped.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', ...limit }, (_request, body, done) => done(null, body));
    const typed = scoped.withTypeProvider<TypeBoxTypeProvider>();

    typed.put(
      '/api/v1/registry/me/draft/licence',
      {
        config: SELF,
        ...limit,
        schema: { tags: TAG, summary: '上传营业执照图片（PNG/JPEG），识别并与表单逐项比对', consumes: ['image/png', 'image/jpeg'], response: { 200: s.Version, ...STANDARD_ERRORS, 409: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' } } },
      },
      async (request) => {
        atProvince(deps);
        const actor = actorOf(request);
        const v = await files.uploadLicence(deps, actor, request.body as Buffer, request.headers['content-type'] ?? '');
        return versionView(deps, await review.entityFor(deps, v.entity_id), v, clearFor(deps, v.entity_id), chinaDate(actor.now));
      },
    );

    typed.post(
      '/api/v1/registry/me/files',
      {
        config: SELF,
        ...limit,
        schema: {
          tags: TAG,
          summary: '上传证书附件（PDF/PNG/JPEG），返回其引用，再在主体信息中引用',
          consumes: UPLOAD_TYPES,
          querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200, pattern: '^\\S(.*\\S)?$' }) }, { additionalProperties: false }),
          response: { 201: s.UploadedFile, ...STANDARD_ERRORS, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' } },
        },
      },
      async (request, reply) => {
        atProvince(deps);
        return reply.status(201).send(await registry.uploadAttachment(deps, actorOf(request), request.body as Buffer, (request.headers['content-type'] ?? '').split(';')[0]!.trim(), request.query.name));
      },
    );
  });

  app.get(
    '/api/v1/registry/me/files/:digest',
    { config: SELF, schema: { tags: TAG, summary: '下载本主体的执照或证书附件', params: Type.Object({ digest: Digest }, { additionalProperties: false }), response: { ...STANDARD_ERRORS } } },
    async (request, reply) => {
      atProvince(deps);
      const actor = actorOf(request);
      const f = await files.fileOf(deps, registry.ownEntityId(actor), request.params.digest);
      return reply.type(f.mediaType).header('cache-control', 'private, max-age=3600, immutable').send(f.data);
    },
  );

  // ---- staff ----

  app.get(
    '/api/v1/registry/entities',
    { config: READ, schema: { tags: TAG, summary: '市场主体库检索（名称任意片段或统一社会信用代码；全省共享，敏感信息脱敏）', querystring: s.EntityQuery, response: { 200: Type.Object({ ...Page(s.Entity).properties, more: Type.Boolean() }), ...STANDARD_ERRORS } } },
    async (request) => registryList(deps, actorOf(request), { ...request.query, page: request.query.page ?? 1, pageSize: request.query.pageSize ?? 20 }),
  );

  app.get(
    '/api/v1/registry/entities/:id',
    { config: READ, schema: { tags: TAG, summary: '市场主体详情（已审核信息，脱敏）', params: IdParams, response: { 200: s.EntityDetail, ...STANDARD_ERRORS } } },
    async (request) => registryDetail(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/api/v1/registry/entities/:id/versions',
    { config: READ, schema: { tags: TAG, summary: '市场主体的版本历史', params: IdParams, response: { 200: Type.Object({ items: Type.Array(s.VersionSummary) }), ...STANDARD_ERRORS } } },
    async (request) => registryVersions(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/api/v1/registry/entities/:id/versions/:versionId',
    { config: READ, schema: { tags: TAG, summary: '某一版本的完整信息、执照识别结果与比对（脱敏）', params: s.VersionParams, response: { 200: s.Version, ...STANDARD_ERRORS } } },
    async (request) => registryVersion(deps, actorOf(request), request.params.id, request.params.versionId),
  );

  app.get(
    '/api/v1/registry/entities/:id/files/:digest',
    { config: READ, schema: { tags: TAG, summary: '下载主体的执照或证书附件', params: DigestParams, response: { ...STANDARD_ERRORS } } },
    async (request, reply) => {
      atProvince(deps);
      actorOf(request);
      const f = await files.fileOf(deps, request.params.id, request.params.digest);
      return reply.type(f.mediaType).header('cache-control', 'private, max-age=3600, immutable').send(f.data);
    },
  );

  app.post(
    '/api/v1/registry/entities/:id/reveal',
    { config: REVEAL, schema: { tags: TAG, summary: '查看主体敏感信息明文（本区域，逐次审计）', params: IdParams, response: { 200: s.ProfileView, ...STANDARD_ERRORS } } },
    async (request) => {
      atProvince(deps);
      const actor = actorOf(request);
      const { entity, version } = await review.revealEntity(deps, actor, request.params.id);
      return (await versionView(deps, entity, version, clearFor(deps, entity.id), chinaDate(actor.now))).profile;
    },
  );

  app.get(
    '/api/v1/registry/reviews',
    { config: REVIEW, schema: { tags: TAG, summary: '待审核的注册与变更申请（本区域，按提交时间）', querystring: s.PageOnly, response: { 200: Page(s.ReviewItem), ...STANDARD_ERRORS } } },
    async (request) => {
      atProvince(deps);
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await review.reviewQueue(deps, actorOf(request), page, pageSize);
      return { items: r.rows.map((row) => files.mapReviewItem(row)), total: r.total, page, pageSize };
    },
  );

  app.post(
    '/api/v1/registry/versions/:id/decision',
    { config: REVIEW, schema: { tags: TAG, summary: '审核：通过（成为主体当前信息）或退回（写明原因）', params: IdParams, body: s.Decision, response: { 200: s.Version, ...STANDARD_ERRORS, 409: { $ref: 'Problem#' } } } },
    async (request) => {
      atProvince(deps);
      const actor = actorOf(request);
      const v = await review.decide(deps, actor, request.params.id, request.body);
      return versionView(deps, await review.entityFor(deps, v.entity_id), v, MASKED, chinaDate(actor.now));
    },
  );

  app.post(
    '/api/v1/registry/entities/:id/status',
    { config: REVIEW, schema: { tags: TAG, summary: '暂停或恢复市场主体（本区域；须写明原因）', params: IdParams, body: s.StatusChange, response: { 200: s.Entity, ...STANDARD_ERRORS, 409: { $ref: 'Problem#' } } } },
    async (request) => {
      atProvince(deps);
      const actor = actorOf(request);
      const e = await review.setEntityStatus(deps, actor, request.params.id, request.body);
      return mapEntity(e, (await review.warningCounts(deps, [e.id], chinaDate(actor.now))).get(e.id) ?? 0);
    },
  );

  app.get(
    '/api/v1/registry/qualifications/expiring',
    { config: READ, schema: { tags: TAG, summary: '即将到期的资质（默认 30 天内）', querystring: s.ExpiringQuery, response: { 200: Page(s.ExpiringItem), ...STANDARD_ERRORS } } },
    async (request) => {
      atProvince(deps);
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await review.expiringQualifications(deps, actorOf(request), { days: request.query.days, page, pageSize });
      return {
        items: r.items.map(({ row, state, daysLeft }) => ({ qualificationId: row.id, entityId: row.entity_id, entityName: row.entity_name, uscc: row.uscc, category: row.category, grade: row.grade, number: row.number, validTo: row.valid_to, state, daysLeft })),
        total: r.total,
        page,
        pageSize,
      };
    },
  );

  app.post(
    '/api/v1/registry/qualification-check',
    { config: READ, schema: { tags: TAG, summary: '资质可用性核验（投标时：主体已审核且资质在有效期内）', body: s.QualificationCheck, response: { 200: s.QualificationCheckResult, ...STANDARD_ERRORS } } },
    async (request) => {
      atProvince(deps);
      const v = await review.checkQualification(deps, request.body.entityId, request.body.qualificationId, new Date(request.body.at));
      return v.usable ? { usable: true, state: v.state, reason: null } : { usable: false, state: v.state, reason: v.reason };
    },
  );
}
