import type { HttpResponse } from './contract-types.js';
import type { Transport } from './transport.js';
import { TransportError } from './transport.js';

/** The part of a Fastify-like app the inject transport uses (Fastify's `inject`, light-my-request). */
export interface Injectable {
  inject(options: { method: string; url: string; headers: Record<string, string>; payload?: Buffer }): Promise<{
    statusCode: number;
    headers: Record<string, string | string[] | number | undefined>;
    rawPayload: Buffer;
  }>;
}

/** A transport that calls an in-process app through `inject` instead of the network; the deadline and read cap still apply. */
export function createInjectTransport(app: Injectable): Transport {
  return async (request, limits) => {
    const url = new URL(request.url);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TransportError('timeout', `no complete response within ${limits.timeoutMs} ms`)), limits.timeoutMs);
    });
    try {
      const res = await Promise.race([
        app.inject({ method: request.method, url: `${url.pathname}${url.search}`, headers: request.headers, ...(request.body ? { payload: request.body } : {}) }),
        deadline,
      ]);
      const headers: HttpResponse['headers'] = {};
      for (const [name, value] of Object.entries(res.headers)) headers[name.toLowerCase()] = typeof value === 'number' ? String(value) : value;
      const tooLarge = res.rawPayload.length > limits.maxBodyBytes;
      return {
        status: res.statusCode,
        headers,
        body: tooLarge ? res.rawPayload.subarray(0, limits.maxBodyBytes) : res.rawPayload,
        ...(tooLarge ? { bodyProblem: 'too-large' as const } : {}),
      };
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw new TransportError('other', error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  };
}
