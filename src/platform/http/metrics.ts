// Prometheus metrics: request durations by route, plus the process defaults. A registry per app
// keeps test instances apart. GET /metrics answers loopback callers, or others holding the token.

import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import { AppError } from '../errors.ts';
import { timingSafeEqualHex } from '../crypto/sm3.ts';

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

export function registerMetrics(app: FastifyInstance, token: string | undefined): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'ggzy_' });
  const duration = new client.Histogram({
    name: 'ggzy_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const header = request.headers.authorization;
    const allowed =
      token !== undefined
        ? typeof header === 'string' && header.startsWith('Bearer ') && timingSafeEqualHex(Buffer.from(header.slice(7)).toString('hex'), Buffer.from(token).toString('hex'))
        : isLoopback(request.socket.remoteAddress ?? '');
    if (!allowed) throw new AppError('forbidden', '指标接口仅对授权的监控系统开放');
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}
