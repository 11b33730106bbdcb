import Fastify from 'fastify';
import { loginPath } from './login-request.js';

// The baseline: a bare Fastify route answering the login with a fixed body (the spec's example),
// handed over by the harness so this process does nothing at start but import Fastify and listen.

const payload = process.env.IWKIT_BENCH_BODY ?? '{}';
const port = Number(process.env.IWKIT_BENCH_PORT ?? 0);

const app = Fastify({ logger: false });
app.post(loginPath, async (_request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8');
  return payload;
});

const address = await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`baseline listening on ${address}\n`);
const stop = (): void => {
  void app.close();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
