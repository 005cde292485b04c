// The composition root: builds the HTTP application from its dependencies. Tests build it with
// a cloned database and a manual clock; `ggzy serve` with the configured ones.

import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'kysely';
import { registerAuditRoutes } from './platform/audit/audit.routes.ts';
import { recordDenied } from './platform/audit/denied.ts';
import { pendingMigrations } from './platform/db/migrate.ts';
import type { Deps } from './platform/deps.ts';
import { AppError } from './platform/errors.ts';
import { registerAuthGuard } from './platform/http/auth-guard.ts';
import { contextOf } from './platform/http/context.ts';
import { registerErrorHandling } from './platform/http/errors-plugin.ts';
import { registerMetrics } from './platform/http/metrics.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import { Problem } from './platform/http/schemas.ts';
import { registerIdentityRoutes } from './modules/identity/identity.routes.ts';
import { resolveCachedSession, resolveSession, tokenDigest } from './modules/identity/identity.service.ts';
import { registerOrgRoutes } from './modules/org/org.routes.ts';
import { registerExpertsRoutes } from './modules/experts/experts.routes.ts';
import { registerDrawRoutes } from './modules/experts/experts.draw.routes.ts';
import { registerCreditRoutes } from './modules/credit/credit.routes.ts';
import { registerRegistryRoutes } from './modules/registry/registry.routes.ts';
import { registerCreditSelfRoutes } from './modules/credit/credit.self.routes.ts';
import { registerCodingRoutes } from './modules/coding/coding.routes.ts';
import { registerTradingRoutes } from './modules/trading/trading.routes.ts';
import { registerTradingStepRoutes } from './modules/trading/trading.steps.routes.ts';
import { registerTradingReadRoutes } from './modules/trading/trading.read.routes.ts';
import { registerBidRoutes } from './modules/trading/trading.bids.routes.ts';
import { registerTradingEvaluationRoutes } from './modules/trading/trading.evaluation.routes.ts';
import { registerPortalRoutes } from './modules/portal/portal.routes.ts';
import { registerPortalPages } from './modules/portal/portal.pages.ts';
import { registerRegistryPublicRoutes } from './modules/registry/registry.public.routes.ts';
import { addRegistryFederationHandlers } from './modules/registry/registry.federation.ts';
import { addIdentityFederationHandlers } from './modules/identity/identity.federation.ts';
import { addCreditFederationHandlers } from './modules/credit/credit.federation.ts';
import { addExpertsFederationHandlers } from './modules/experts/experts.federation.ts';
import { FederationHandlers } from './platform/federation/federation.ts';
import { registerFederationRoutes } from './platform/federation/federation.routes.ts';

export interface BuildOptions {
  /** Pino logger options, or false for none (tests). */
  logger?: boolean | Record<string, unknown>;
}

const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];

export async function buildApp(deps: Deps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const logger = options.logger === false ? false : { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' }, ...(typeof options.logger === 'object' ? options.logger : {}) };
  const app = Fastify({
    logger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  });

  registerErrorHandling(app);
  app.addSchema(Problem);
  app.decorateRequest('now', null as unknown as Date);
  app.addHook('onRequest', (request, _reply, done) => {
    request.now = deps.clock.now();
    done();
  });

  registerSecurityHeaders(app, config.security.cookieSecure);
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `请求过于频繁，请 ${Math.ceil(context.ttl / 1000)} 秒后再试`, { extra: { retryAfterSeconds: Math.ceil(context.ttl / 1000) } }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'ggzy 公共资源交易一体化平台 API', version: '1.0.0', description: '错误统一为 application/problem+json（RFC 9457）。' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'ggzy_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuthGuard(
    app,
    {
      resolve: (token, via, request) => resolveCachedSession(deps, token, via, request.now) ?? resolveSession(deps, token, via, contextOf(request)),
      onDenied: (request, principal, permission) => recordDenied(deps.db, { ...contextOf(request), principal }, { permission, route: request.routeOptions.url, method: request.method }),
      csrfKey: deps.keys.csrf,
    },
    tokenDigest,
  );

  registerMetrics(app, config.metricsToken);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
      const pending = await pendingMigrations(deps.db);
      if (pending.length > 0) return reply.status(503).send({ status: 'migrations_pending', pending });
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database_unreachable' });
    }
  });

  registerIdentityRoutes(app, deps);
  registerOrgRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerExpertsRoutes(app, deps);
  registerDrawRoutes(app, deps);
  registerCreditRoutes(app, deps);
  registerRegistryRoutes(app, deps);
  registerRegistryPublicRoutes(app, deps);
  registerCreditSelfRoutes(app, deps);
  registerCodingRoutes(app, deps);
  registerTradingRoutes(app, deps);
  registerTradingStepRoutes(app, deps);
  registerTradingReadRoutes(app, deps);
  registerBidRoutes(app, deps);
  registerTradingEvaluationRoutes(app, deps);
  registerPortalRoutes(app, deps);
  const federation = new FederationHandlers();
  addRegistryFederationHandlers(federation);
  addIdentityFederationHandlers(federation);
  addCreditFederationHandlers(federation);
  addExpertsFederationHandlers(federation);
  registerFederationRoutes(app, deps, federation);
  registerPortalPages(app, deps);

  await registerWorkbench(app, config.webDir);
  return app;
}

/** The built workbench (web/dist) under /workbench/, with the single-page fallback; `/` is the portal's home. */
async function registerWorkbench(app: FastifyInstance, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/workbench/*', { schema: { hide: true } }, async (_request, reply) =>
      reply.status(503).type('text/plain; charset=utf-8').send('工作台页面尚未构建：请先运行 npm run build:web'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: webDir, prefix: '/workbench/', wildcard: false, index: ['index.html'] });
  const html = fs.readFileSync(index);
  app.get('/workbench/*', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
}
