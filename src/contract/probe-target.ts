import { connect } from 'node:net';
import { toolkitError } from '../errors.js';

/** Opens (and closes) a TCP connection to the base URL's host, so an unreachable target stops the run before any case with a coded error. */
export async function probeTarget(baseUrl: string, timeoutMs: number): Promise<void> {
  const url = new URL(baseUrl);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (reason: string): void => {
      socket.destroy();
      reject(toolkitError('IWKIT_ERR_TARGET_UNREACHABLE', baseUrl, reason));
    };
    socket.setTimeout(timeoutMs, () => fail(`no connection within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ? `${error.code} ${error.message}` : error.message));
    socket.once('connect', () => {
      socket.end();
      socket.destroy();
      resolve();
    });
  });
}
