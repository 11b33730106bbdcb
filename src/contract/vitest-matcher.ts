import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { Api } from '../openapi/api-model.js';
import { loadApi } from '../openapi/load-api.js';
import { packagedSpecPath } from '../openapi/package-root.js';
import type { MatchOptions, PlainResponse, ResponseMatch } from './match-response.js';
import { matchResponse } from './match-response.js';

// `import 'iwkit/vitest'` adds expect(response).toMatchContract(operationId) to vitest.
// It accepts fetch Responses (read from a clone, so the test can still read the body), Fastify inject
// results, and plain { status, headers, body } objects. Always `await` it: a fetch body is read asynchronously.

let current: Api | undefined;
let loading: Promise<Api> | undefined;

/** Sets the contract the matcher checks against (a spec path, relative to the working directory, or a loaded Api); default iwkit's packaged contract. */
export async function useContract(spec: string | Api = packagedSpecPath()): Promise<Api> {
  loading = undefined;
  current = typeof spec === 'string' ? await loadApi(resolve(spec)) : spec;
  return current;
}

async function contract(): Promise<Api> {
  if (current) return current;
  loading ??= loadApi(packagedSpecPath());
  current = await loading;
  return current;
}

interface FetchLike {
  status: number;
  headers: { forEach(fn: (value: string, key: string) => void): void };
  clone(): { arrayBuffer(): Promise<ArrayBuffer> };
  bodyUsed?: boolean;
}

interface InjectLike {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  rawPayload?: Buffer;
  payload?: string;
  body?: string;
}

function isFetchLike(v: unknown): v is FetchLike {
  return typeof v === 'object' && v !== null && typeof (v as FetchLike).status === 'number' && typeof (v as FetchLike).clone === 'function';
}

function isInjectLike(v: unknown): v is InjectLike {
  return typeof v === 'object' && v !== null && typeof (v as InjectLike).statusCode === 'number' && typeof (v as InjectLike).headers === 'object';
}

function isPlain(v: unknown): v is { status: number; headers?: Record<string, string | string[] | undefined>; body?: unknown } {
  return typeof v === 'object' && v !== null && typeof (v as { status?: unknown }).status === 'number';
}

function fromInject(r: InjectLike): PlainResponse {
  const headers: PlainResponse['headers'] = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k] = typeof v === 'number' ? String(v) : v;
  return { status: r.statusCode, headers, body: r.rawPayload ?? r.payload ?? r.body ?? '' };
}

async function fromFetch(r: FetchLike): Promise<PlainResponse> {
  if (r.bodyUsed) throw new Error('the response body was already read; call toMatchContract before reading it');
  const headers: PlainResponse['headers'] = {};
  r.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return { status: r.status, headers, body: Buffer.from(await r.clone().arrayBuffer()) };
}

function fromPlain(r: { status: number; headers?: Record<string, string | string[] | undefined>; body?: unknown }): PlainResponse {
  const body = r.body === undefined ? '' : typeof r.body === 'string' || Buffer.isBuffer(r.body) ? r.body : JSON.stringify(r.body);
  return { status: r.status, headers: r.headers ?? { 'content-type': 'application/json' }, body };
}

/** The failure text: one block per failed check with pointer, expected and actual. */
export function formatMatch(match: ResponseMatch): string {
  const lines = [`response ${match.status} does not match the contract of ${match.operationId}:`];
  for (const failure of match.failures) {
    for (const p of failure.problems) {
      lines.push(`  ✘ ${failure.check}${p.pointer !== undefined ? ` at ${p.pointer || '(root)'}` : ''}: ${p.message}`);
      if (p.expected !== undefined) lines.push(`      - expected: ${p.expected}`);
      if (p.actual !== undefined) lines.push(`      + actual:   ${p.actual}`);
    }
  }
  return lines.join('\n');
}

function verdict(match: ResponseMatch, isNot: boolean): { pass: boolean; message: () => string } {
  return {
    pass: match.pass,
    message: () => (isNot ? `expected response ${match.status} not to match the contract of ${match.operationId}, but it does` : formatMatch(match)),
  };
}

/** The matchers this module adds to vitest's `expect`. */
export const contractMatchers = {
  toMatchContract(this: { isNot: boolean }, received: unknown, operationId: string, options: MatchOptions = {}) {
    const isNot = this.isNot;
    if (current && !isFetchLike(received)) {
      const plain = isInjectLike(received) ? fromInject(received) : isPlain(received) ? fromPlain(received) : undefined;
      if (!plain) return { pass: false, message: () => 'toMatchContract expects a fetch Response, a Fastify inject result or { status, headers, body }' };
      return verdict(matchResponse(current, operationId, plain, options), isNot);
    }
    return (async () => {
      const api = await contract();
      let plain: PlainResponse;
      if (isFetchLike(received)) plain = await fromFetch(received);
      else if (isInjectLike(received)) plain = fromInject(received);
      else if (isPlain(received)) plain = fromPlain(received);
      else return { pass: false, message: () => 'toMatchContract expects a fetch Response, a Fastify inject result or { status, headers, body }' };
      return verdict(matchResponse(api, operationId, plain, options), isNot);
    })();
  },
};

expect.extend(contractMatchers);

declare module 'vitest' {
  interface Matchers<T = any> {
    /** Checks status, content type, body schema and headers against the operation's documented responses. Always `await` it. */
    toMatchContract(operationId: string, options?: MatchOptions): Promise<void>;
  }
}
