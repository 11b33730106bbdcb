import http from 'node:http';
import https from 'node:https';
import type { HttpResponse } from './contract-types.js';
import type { Transport } from './transport.js';
import { TransportError, transportErrorKind } from './transport.js';

// node:http directly, so the run controls the whole-request deadline and the body read cap itself.
// No keep-alive: a target that resets connections must not poison the next request's socket.

/** A transport over real HTTP(S) with a hard deadline per request and a capped body read. */
export function createHttpTransport(): Transport {
  return (request, limits) =>
    new Promise<HttpResponse>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        reject(new TransportError('other', `invalid URL ${request.url}`));
        return;
      }
      const client = url.protocol === 'https:' ? https : http;
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const headers: Record<string, string> = { ...request.headers };
      if (request.body) headers['Content-Length'] = String(request.body.length);
      const req = client.request(url, { method: request.method, headers, agent: false });
      const timer = setTimeout(() => {
        const error = new TransportError('timeout', `no complete response within ${limits.timeoutMs} ms`);
        finish(() => reject(error));
        req.destroy(error);
      }, limits.timeoutMs);

      req.on('error', (error) => {
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
}
