import type { HttpRequest, ParsedResponse } from './contract-types.js';
import { parseResponse } from './parse-response.js';
import type { Transport } from './transport.js';
import { TransportError } from './transport.js';

/** Sends one request and parses the answer; rejects as the transport does. */
export type SendRequest = (request: HttpRequest) => Promise<ParsedResponse>;

/** Wraps a transport with the run's limits; a custom transport (`guard`) that ignores its deadline is cut off 2 s past it. */
export function createSender(transport: Transport, limits: { timeoutMs: number; maxBodyBytes: number }, guard: boolean): SendRequest {
  const { timeoutMs, maxBodyBytes } = limits;
  return async (request) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      // The HTTP transport keeps its own deadline, which does not count the time this process was too busy to read (a wall-clock guard would).
      const hardStop = new Promise<never>((_, reject) => {
        if (guard) timer = setTimeout(() => reject(new TransportError('timeout', `no complete response within ${timeoutMs} ms`)), timeoutMs + 2000);
      });
      return parseResponse(await Promise.race([transport(request, { timeoutMs, maxBodyBytes }), hardStop]));
    } finally {
      clearTimeout(timer);
    }
  };
}
