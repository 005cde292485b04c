// The baseline of the auth-me figure: a bare Fastify app (the platform's Fastify version, no
// plugins, no logger) with one GET route that returns the JSON document given in BARE_BODY, so
// the response is the same size as the real /api/v1/auth/me answer. Listens on 127.0.0.1:PORT.

import Fastify from 'fastify';

const port = Number(process.env.PORT);
const body = JSON.parse(process.env.BARE_BODY ?? '{"hello":"world"}') as unknown;

const app = Fastify({ logger: false });
app.get('/api/v1/auth/me', async () => body);
app.get('/healthz', async () => ({ status: 'ok' }));

await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`bare fastify listening on ${port}\n`);
const stop = (): void => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
