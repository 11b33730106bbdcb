import http from 'node:http';
import https from 'node:https';
import type { HttpRequest, HttpResponse } from './contract-types.js';
import type { Transport, TransportLimits } from './transport.js';
import { TransportError, transportErrorKind } from './transport.js';

// node:http directly, so the run controls the whole-request deadline and the body read cap itself.
// Connections are kept alive (a new TCP connection per case costs more than the case itself); a socket
// that errs, times out or is cut off is destroyed, so it never returns to the pool, and a reset on a
// reused idle socket (the server closed it as we sent) is retried once on a fresh one, for idempotent
// methods only: a retried POST would be one more login than --max-requests and --rate allow.

const idempotent = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/** A transport over real HTTP(S) with a hard deadline per request, a capped body read and pooled connections. */
export function createHttpTransport(options: { keepAlive?: boolean } = {}): Transport {
  const keepAlive = options.keepAlive ?? true;
  const agents = { http: new http.Agent({ keepAlive }), https: new https.Agent({ keepAlive }) };
  const send = (request: HttpRequest, limits: TransportLimits, retried: boolean): Promise<HttpResponse> =>
    new Promise<HttpResponse>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        reject(new TransportError('other', `invalid URL ${request.url}`));
        return;
      }
      const secure = url.protocol === 'https:';
      const client = secure ? https : http;
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const headers: Record<string, string> = { ...request.headers };
      if (request.body) headers['Content-Length'] = String(request.body.length);
      const req = client.request(url, { method: request.method, headers, agent: secure ? agents.https : agents.http });
      const timer = setTimeout(() => {
        const error = new TransportError('timeout', `no complete response within ${limits.timeoutMs} ms`);
        finish(() => reject(error));
        req.destroy(error);
      }, limits.timeoutMs);

      req.on('error', (error) => {
        if (!retried && !settled && req.reusedSocket && idempotent.has(request.method.toUpperCase()) && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
          settled = true;
          clearTimeout(timer);
          send(request, limits, true).then(resolve, reject);
          return;
        }
        finish(() => reject(error instanceof TransportError ? error : new TransportError(transportErrorKind(error), error.message)));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (bodyProblem?: HttpResponse['bodyProblem']): void =>
          finish(() =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              ...(bodyProblem ? { bodyProblem } : {}),
            }),
          );
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = limits.maxBodyBytes - size;
          if (chunk.length > room) {
            if (room > 0) chunks.push(chunk.subarray(0, room));
            size += Math.max(room, 0);
            done('too-large');
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => done(res.complete ? undefined : 'aborted'));
        res.on('error', () => done('aborted'));
        res.on('close', () => done(res.complete ? undefined : 'aborted'));
      });
      req.end(request.body);
    });
  const transport: Transport = (request, limits) => send(request, limits, false);
  transport.close = () => {
    agents.http.destroy();
    agents.https.destroy();
  };
  return transport;
}
