import type { FastifyInstance } from 'fastify';
import { toolkitError } from '../errors.js';

// What every serving command (mock, proxy) does around its Fastify instance: listen, or say why not
// with a coded error; then serve until the process is told to stop.

/** Listens on host:port; a refusal (port taken, bad address) closes the app and becomes IWKIT_ERR_SERVER_LISTEN. */
export async function listenApp(app: FastifyInstance, port: number, host: string): Promise<string> {
  try {
    return await app.listen({ port, host });
  } catch (error) {
    await app.close();
    throw toolkitError('IWKIT_ERR_SERVER_LISTEN', `${host}:${port}`, error instanceof Error ? error.message : String(error));
  }
}

/** Resolves on the first SIGINT or SIGTERM, and stops listening for them. */
export function untilSignalled(): Promise<void> {
  return new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
