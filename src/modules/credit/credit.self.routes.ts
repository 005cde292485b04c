// Routes of a market entity's own credit archive (permission credit.self.read, held by entity
// accounts only). The subject is always the caller's entity.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, STANDARD_ERRORS, Uuid } from '../../platform/http/schemas.ts';
import { maskIdNumber } from '../../platform/validation/ids.ts';
import { chinaDate } from './credit.rules.ts';
import * as s from './credit.schemas.ts';
import * as self from './credit.self.ts';
import { atProvinceCredit } from './credit.province.ts';

const TAG = ['信用'];
const SELF = { auth: { permission: 'credit.self.read' } } as const;

const OwnArchive = Type.Object({
  ...s.Archive.properties,
  bans: Type.Array(Type.Object({ recordId: Uuid, title: Type.String(), from: Type.String(), to: Type.String(), reason: Type.String() })),
});

export function registerCreditSelfRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // On a city an entity's credit business is done at the province (credit.province.ts).
  const AT_PROVINCE = { preHandler: async () => atProvinceCredit(deps) };

  app.get(
    '/api/v1/credit/me',
    { config: SELF, ...AT_PROVINCE, schema: { tags: TAG, summary: '本主体的信用档案：全部记录、现行禁止参与及原因、异议与修复、评分', response: { 200: OwnArchive, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      const a = await self.ownArchive(deps, actor);
      const today = chinaDate(actor.now);
      const subject = { kind: a.subject.kind, name: a.subject.name, uscc: a.subject.kind === 'organisation' ? a.subject.uscc : null, idNumberMasked: a.subject.kind === 'person' ? maskIdNumber(a.subject.idNumber) : null };
      return { ...s.mapArchive(a, subject, today), bans: a.bans };
    },
  );

  app.post(
    '/api/v1/credit/me/records/:id/objections',
    {
      config: SELF, ...AT_PROVINCE,
      schema: { tags: TAG, summary: '对本主体的信用记录提出异议', params: IdParams, body: Type.Omit(s.ObjectionCreate, ['onBehalfOf'], { additionalProperties: false }), response: { 201: s.Objection, ...STANDARD_ERRORS } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return reply.status(201).send(s.mapObjection(await self.fileOwnObjection(deps, actor, request.params.id, request.body), chinaDate(actor.now)));
    },
  );

  app.post(
    '/api/v1/credit/me/records/:id/repairs',
    { config: SELF, ...AT_PROVINCE, schema: { tags: TAG, summary: '为本主体的信用记录申请信用修复（须作信用承诺）', params: IdParams, body: s.RepairCreate, response: { 201: s.Repair, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapRepair(await self.requestOwnRepair(deps, actorOf(request), request.params.id, request.body))),
  );
}
