// HTTP routes of the coding module: the public check of a code (was it issued here, when, for
// what kind of deal) and the staff view of what it belongs to, within the reader's data scope.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/context.ts';
import { STANDARD_ERRORS } from '../../platform/http/schemas.ts';
import * as s from './coding.schemas.ts';
import * as coding from './coding.service.ts';

const TAG = ['统一赋码'];
const READ = { auth: { permission: 'coding.code.read' } } as const;

export function registerCodingRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const rateLimit = { max: deps.config.security.authRateLimitPerMinute, timeWindow: 60_000 };

  app.get(
    '/api/v1/public/codes/:code',
    {
      config: { auth: { public: true }, rateLimit },
      schema: {
        tags: TAG,
        summary: '核验统一交易标识码或标段编号（是否由本平台赋码、赋码日期、交易类型）',
        security: [],
        params: s.CodeParams,
        response: { 200: s.PublicCode, 400: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (request) => {
      const found = await coding.lookupCode(deps, request.params.code);
      if (!found) throw notFound('交易标识码');
      return s.mapPublicCode(found);
    },
  );

  app.get(
    '/api/v1/codes/:code',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: '交易标识码的归属（项目名称、赋码对象、类别、区划、赋码人及标段；数据范围内）',
        params: s.CodeParams,
        response: { 200: s.CodeDetail, ...STANDARD_ERRORS, 404: { $ref: 'Problem#' } },
      },
    },
    async (request) => s.mapCodeDetail(await coding.codeDetails(deps, actorOf(request), request.params.code)),
  );
}
