import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFoundProblem, problem } from '../mock/problem.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { sendProblem } from './send-problem.js';

// The admin API of the mock and of the proxy lets a caller steer answers or read traffic: only test code
// and the person at the keyboard may reach it, never a web page or a DNS-rebinding host.

/** The header that may carry the admin token (besides `Authorization: Bearer`). */
export const adminTokenHeader = 'iwkit-admin-token';

/** How an admin API is exposed: the host the server binds (non-loopback needs a token) and the token, if any. */
export interface AdminOptions {
  host?: string;
  token?: string;
}

function sentToken(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const header = request.headers[adminTokenHeader];
  return Array.isArray(header) ? header[0] : header;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A 404 problem: what an unknown or hidden admin path answers. */
export function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0];
  return sendProblem(reply, notFoundProblem(request.method, path));
}

/** The onRequest hook guarding an admin API: no browsers, no foreign Host without a token, the token when set, nothing on an exposed bind without one. */
export function adminGuard(app: FastifyInstance, options: AdminOptions): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const configuredExposed = options.host !== undefined && !isLoopbackHost(options.host);
  const exposed = (): boolean => {
    if (configuredExposed) return true;
    const address = app.server.listening ? app.server.address() : null;
    return typeof address === 'object' && address !== null && !isLoopbackHost(address.address);
  };
  let warned = false;
  return async (request, reply) => {
    // A page can send "simple" requests (POST without a body) with no preflight; browsers always say
    // where they come from, so any Origin is refused. Test code and curl send none.
    if (request.headers.origin !== undefined) {
      return sendProblem(reply, problem(403, 'the admin API does not answer browsers', [{ in: 'header', pointer: '/origin', message: 'requests from web pages are refused' }]));
    }
    // Without a token, a Host that is not a loopback name would be a DNS-rebinding page posing as same-origin.
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (!options.token && host && !isLoopbackHost(host)) {
      return sendProblem(reply, problem(403, 'the admin API answers only loopback host names unless an admin token is set', [{ in: 'header', pointer: '/host', message: `"${host}" is not a loopback name` }]));
    }
    if (options.token) {
      const sent = sentToken(request);
      if (sent && sameSecret(sent, options.token)) return;
      reply.header('www-authenticate', 'Bearer realm="iwkit-admin"');
      return sendProblem(reply, problem(401, `the admin API needs the admin token (Authorization: Bearer … or ${adminTokenHeader})`, [
        { in: 'header', pointer: '/authorization', message: 'missing or wrong admin token' },
      ]));
    }
    if (exposed()) {
      if (!warned) request.log.warn('admin API refused: the mock binds a non-loopback address and no admin token is set');
      warned = true;
      return notFound(request, reply);
    }
    return undefined;
  };
}
