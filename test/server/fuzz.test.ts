import { randomInt } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/openapi/api-model.js';
import { compileValidator, type Validator } from '../../src/openapi/compile-validator.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer } from '../../src/server/create-mock-server.js';

// Thousands of seeded malformed requests over real HTTP. Reproduce a failure with IWKIT_FUZZ_SEED=<seed>.
const seed = process.env.IWKIT_FUZZ_SEED ? Number(process.env.IWKIT_FUZZ_SEED) : randomInt(1, 2 ** 31 - 1);
const CASES = 5200;
const CONCURRENCY = 12;
const LOGIN = '/api/opendata/instagram/login';
const TOKEN = 'fuzz-token-3f9a1c';
// The mock's default body limit (1 MiB).
const BODY_LIMIT = 1024 * 1024;

type Expectation = 'problem' | 'ok' | 'problem-or-ok';

/** One generated request: over the HTTP client, or as raw bytes for what the client refuses to send. */
interface FuzzCase {
  kind: string;
  expect: Expectation;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Send the body in chunks without Content-Length. */
  chunked?: boolean;
  /** A connection of its own (for bodies the server may stop reading). */
  ownConnection?: boolean;
  raw?: Buffer;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** mulberry32: small, fast and seedable. */
function createRandom(start: number) {
  let state = start >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const text = (length: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ '): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
    return out;
  };
  const bytes = (length: number): Buffer => Buffer.from(Array.from({ length }, () => int(0, 255)));
  return { next, int, pick, text, bytes, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof createRandom>;

/** What the mock must make of a JSON body: the same parser rules as Fastify's, then the request schema. */
function oracle(text: string, validator: Validator): Expectation {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return 'problem';
  }
  // Bodies nested deeper than the mock's documented bound (256 arrays/objects) are refused.
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > 256) return 'problem';
    if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return 'problem';
    const ctor = (node as Record<string, unknown>).constructor;
    if (Object.prototype.hasOwnProperty.call(node, 'constructor') && ctor !== null && typeof ctor === 'object' && Object.prototype.hasOwnProperty.call(ctor, 'prototype')) return 'problem';
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return validator.check(value) ? 'ok' : 'problem';
}

function validLoginBody(r: Random): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (r.chance(0.9)) data.code = r.text(r.int(0, 40));
  if (r.chance(0.7)) data.type = r.chance(0.3) ? null : r.pick(['web', 'ios', 'android', r.text(8)]);
  if (r.chance(0.7)) data.client_id = r.chance(0.3) ? null : r.text(r.int(1, 24));
  return { data };
}

const WRONG_POINTERS = ['', '/data', '/data/code', '/data/type', '/data/client_id'] as const;

function deepValue(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** A JSON literal of the wrong kind for `pointer` (null only where the schema forbids it). */
function wrongLiteral(r: Random, pointer: string): string {
  const strings = pointer === '/data/code' || pointer === '/data/type' || pointer === '/data/client_id';
  const options: (() => string)[] = [
    () => String(r.int(-1e9, 1e9)),
    () => r.pick(['1e400', '-1e400', '1e-400', '9'.repeat(r.int(20, 400)), '-0', '0.1']),
    () => r.pick(['true', 'false']),
    () => JSON.stringify([r.text(4), r.int(0, 9)]),
    () => deepValue(r.int(2, 3000), r.pick(['array', 'object'] as const)),
  ];
  if (!strings) options.push(() => JSON.stringify(r.text(r.int(0, 2000))), () => JSON.stringify('x'.repeat(r.chance(0.2) ? r.int(100_000, BODY_LIMIT - 200) : r.int(1000, 20_000))));
  else options.push(() => '{}');
  if (pointer === '' || pointer === '/data' || pointer === '/data/code') options.push(() => 'null');
  return r.pick(options)();
}

/** A login body with the value at `pointer` replaced by raw JSON text. */
function bodyWithRawAt(r: Random, pointer: string, literal: string): string {
  if (pointer === '') return literal;
  const data = validLoginBody(r).data as Record<string, unknown>;
  if (pointer === '/data') return `{"data":${literal}}`;
  const key = pointer.slice('/data/'.length);
  const rest = Object.entries(data).filter(([k]) => k !== key).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `{"data":{${[...rest, `${JSON.stringify(key)}:${literal}`].join(',')}}}`;
}

const json = { 'content-type': 'application/json', 'x-session-token': TOKEN };

function jsonPost(kind: string, text: string | Buffer, validator: Validator, headers: Record<string, string> = json, expect?: Expectation): FuzzCase {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return { kind, method: 'POST', path: LOGIN, headers, body, expect: expect ?? (body.length > BODY_LIMIT ? 'problem' : oracle(body.toString('utf8'), validator)) };
}

/** Nested arrays or objects: mostly moderate, every 100th case deep enough to overflow any recursive walker. */
function generateDeep(r: Random, index: number, validator: Validator): FuzzCase {
  const depth = index % 100 === 19 ? r.int(20_000, 100_000) : r.int(100, 3000);
  const where = r.pick(['root', 'data', 'code', 'extra'] as const);
  const deep = deepValue(depth, r.pick(['array', 'object'] as const));
  const text = where === 'root' ? deep : where === 'data' ? `{"data":${deep}}` : where === 'code' ? `{"data":{"code":${deep}}}` : `{"data":{"code":"x","extra":${deep}}}`;
  return jsonPost(`deep nesting in ${where}`, text, validator);
}

function generateCase(r: Random, validator: Validator, index: number): FuzzCase {
  const post = (kind: string, text: string | Buffer, headers: Record<string, string> = json, expect?: Expectation): FuzzCase => jsonPost(kind, text, validator, headers, expect);
  // Rare, heavy cases at fixed positions so their count does not depend on the seed.
  if (index % 250 === 7) {
    const size = BODY_LIMIT + r.int(1, BODY_LIMIT);
    const body = Buffer.from(`{"data":{"code":"${'y'.repeat(size)}"}}`);
    return { kind: 'oversized body', method: 'POST', path: LOGIN, headers: json, body, chunked: r.chance(0.5), ownConnection: true, expect: 'problem' };
  }
  if (index % 100 === 19) return generateDeep(r, index, validator);
  if (index % 250 === 13) return rawCase('header overflow', `POST ${LOGIN} HTTP/1.1\r\nHost: x\r\nx-junk: ${'h'.repeat(r.int(17_000, 40_000))}\r\n\r\n`);

  switch (r.int(0, 13)) {
    case 0:
      return post('random text', r.chance(0.5) ? r.text(r.int(0, 200), '{}[]":,0123456789.eE+-truefalsn \\abc') : r.bytes(r.int(1, 200)));
    case 1: {
      const text = JSON.stringify(validLoginBody(r));
      return post('truncated JSON', text.slice(0, r.int(0, text.length - 1)));
    }
    case 2:
    case 3: {
      const pointer = r.pick(WRONG_POINTERS);
      return post(`wrong type at ${pointer || '/'}`, bodyWithRawAt(r, pointer, wrongLiteral(r, pointer)));
    }
    case 4:
      return generateDeep(r, index, validator);
    case 5: {
      const payload = r.pick([
        '{"__proto__":{"polluted":"yes"}}',
        '{"data":{"code":"x","__proto__":{"polluted":"yes"}}}',
        '{"constructor":{"prototype":{"polluted":"yes"}}}',
        '{"data":{"code":"x","constructor":{"prototype":{"polluted":"yes"}}}}',
        '{"data":{"__proto__":null}}',
        '[{"__proto__":{"polluted":"yes"}}]',
        '{"data":{"code":"x","constructor":"not a prototype"}}',
      ]);
      return post('prototype payload', payload);
    }
    case 6: {
      const bad = r.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]);
      if (r.chance(0.5)) {
        // Outside any string: never JSON.
        return post('invalid UTF-8 in structure', Buffer.concat([Buffer.from('{"data":'), Buffer.from(bad), Buffer.from('}')]), json, 'problem');
      }
      // Inside a string a decoder may substitute U+FFFD; a 200 or a 400 are both honest answers.
      return post('invalid UTF-8 in a string', Buffer.concat([Buffer.from('{"data":{"code":"a'), Buffer.from(bad), Buffer.from('b"}}')]), json, 'problem-or-ok');
    }
    case 7: {
      const body = JSON.stringify(validLoginBody(r));
      const type = r.pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json', 'application/vnd.api+json', 'application/jsonx', 'a/b/c', 'json', '', 'image/png', 'text/json']);
      const headers: Record<string, string> = { 'x-session-token': TOKEN };
      if (type) headers['content-type'] = type;
      return post(`content type "${type || '(none)'}"`, body, headers, 'problem');
    }
    case 8: {
      const method = r.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'PROPFIND', 'SEARCH', 'PURGE', 'LOCK', 'COPY', 'TRACE']);
      const path = r.chance(0.6) ? LOGIN : r.pick(['/', '/api', `${LOGIN}/x`, LOGIN.toUpperCase(), `/${r.text(r.int(1, 60), 'abcxyz/._~-')}`, `${LOGIN}%00`, `/${'a/'.repeat(r.int(1, 2000))}`, '/%ZZ', '/%', '/docs/../etc/passwd']);
      return { kind: `method ${method}`, method, path, headers: json, expect: 'problem', ...(method !== 'GET' && method !== 'HEAD' && method !== 'TRACE' ? { body: Buffer.from('{}') } : {}) };
    }
    case 9: {
      const path = r.pick(['/', '/api/opendata', `${LOGIN}/x`, `${LOGIN}x`, `/${r.text(r.int(1, 200), 'abcdefghij/%.-')}`, '/%ZZ', '/%E0%A4%A', `${LOGIN}%2F`, '//api//opendata']);
      return { kind: 'unknown path', method: 'POST', path, headers: json, body: Buffer.from(JSON.stringify(validLoginBody(r))), expect: 'problem' };
    }
    case 10: {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (let i = 0, n = r.int(50, 400); i < n; i++) headers[`x-flood-${i}-${r.text(6, 'abcdef')}`] = r.text(r.int(1, 20));
      if (r.chance(0.3)) headers['x-session-token'] = '';
      return post('header flood without a credential', JSON.stringify(validLoginBody(r)), headers, 'problem');
    }
    case 11: {
      const prefer = r.pick(['code=999', 'code=404', 'code=abc', 'example=nope', `example=${r.text(12, 'abc-')}`, 'dynamic=maybe', 'seed=abc', 'seed=1e99', 'code=500']);
      return post(`Prefer: ${prefer}`, JSON.stringify(validLoginBody(r)), { ...json, prefer }, 'problem');
    }
    case 12: {
      const variant = r.int(0, 3);
      if (variant === 0) return post('Accept nothing the spec offers', JSON.stringify(validLoginBody(r)), { ...json, accept: r.pick(['text/html', 'image/png', 'application/xml']) }, 'problem');
      if (variant === 1) return { kind: 'query preference', method: 'POST', path: `${LOGIN}?${r.pick(['__code=abc', '__dynamic=2', '__seed=x', '__example=none'])}`, headers: json, body: Buffer.from('{"data":{"code":"q"}}'), expect: 'problem' };
      return post('missing body', Buffer.alloc(0), r.chance(0.5) ? json : { 'x-session-token': TOKEN }, 'problem');
    }
    default:
      return rawCase('invalid HTTP', r.pick([
        `FOO ${LOGIN} HTTP/1.1\r\nHost: x\r\n\r\n`,
        `GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n`,
        `POST ${LOGIN} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
        `POST ${LOGIN} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        `${r.text(r.int(1, 40), 'ABCxyz!@#$%^&*() ')}\r\n\r\n`,
        `GET / HTTP/9.9\r\nHost: x\r\n\r\n`,
        `GET / HTTP/1.1\r\n\r\n`,
        `GET /\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n`,
        `POST ${LOGIN} HTTP/1.1\r\nHost: x\r\nx-session-token: ${TOKEN}\r\ncontent-type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n`,
        `GET / HTTP/1.1\r\nHost: x\r\nx-bad: a\u0001b\r\n\r\n`,
      ]));
  }
}

/** Bytes the HTTP client would refuse to send, written to a socket of their own. */
function rawCase(kind: string, text: string): FuzzCase {
  return { kind, raw: Buffer.from(text, 'latin1'), expect: 'problem' };
}

function sendHttp(agent: Agent, port: number, c: FuzzCase): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...c.headers };
    if (c.body && !c.chunked) headers['content-length'] = String(c.body.length);
    let answered = false;
    const req = request({ host: '127.0.0.1', port, method: c.method, path: c.path, headers, agent: c.ownConnection ? false : agent, timeout: 5000 }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    // A server may answer 413 and stop reading; the write error that follows is expected once answered.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (c.body && c.chunked) {
      for (let i = 0; i < c.body.length; i += 16 * 1024) req.write(c.body.subarray(i, i + 16 * 1024));
      req.end();
    } else {
      req.end(c.body);
    }
  });
}

/** Parses one HTTP/1.1 response from raw bytes; undefined until it is complete. */
function parseRaw(data: Buffer): Answer | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(end + 4);
  const length = headers['content-length'] !== undefined ? Number(headers['content-length']) : undefined;
  if (length !== undefined) return rest.length >= length ? { status: Number(match[1]), headers, body: rest.subarray(0, length) } : undefined;
  if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) {
    const chunks: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (size === 0) return { status: Number(match[1]), headers, body: Buffer.concat(chunks) };
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  return undefined;
}

function sendRaw(port: number, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = Buffer.alloc(0);
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const tryParse = (final: boolean): void => {
      try {
        const answer = parseRaw(data);
        if (answer) settle(() => resolve(answer));
        else if (final) settle(() => reject(new Error(data.length === 0 ? 'connection closed without an answer' : 'incomplete answer')));
      } catch (error) {
        settle(() => reject(error));
      }
    };
    const timer = setTimeout(() => tryParse(true), 5000);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      tryParse(false);
    });
    socket.on('close', () => tryParse(true));
    socket.on('error', () => tryParse(true));
    socket.write(bytes);
  });
}

/** Why an answer breaks the rules for its case, or undefined when it is right. */
function judge(c: FuzzCase, answer: Answer, session: Validator): string | undefined {
  const type = String(answer.headers['content-type'] ?? '');
  if (answer.status >= 500) return `server error ${answer.status}`;
  const isOk = answer.status === 200 && /^application\/json/.test(type);
  if (c.expect === 'ok' || (c.expect === 'problem-or-ok' && answer.status < 400)) {
    if (!isOk) return `expected a 200 session, got ${answer.status} ${type}`;
    let body: unknown;
    try {
      body = JSON.parse(answer.body.toString('utf8'));
    } catch {
      return 'a 200 whose body is not JSON';
    }
    return session.check(body) ? undefined : 'a 200 whose body breaks the session schema';
  }
  if (answer.status < 400 || answer.status > 499) return `expected a 4xx problem, got ${answer.status}`;
  if (!/^application\/problem\+json/.test(type)) return `a ${answer.status} with content type "${type}" instead of application/problem+json`;
  if (c.method === 'HEAD') return undefined;
  let problem: { status?: unknown; detail?: unknown; errors?: unknown };
  try {
    problem = JSON.parse(answer.body.toString('utf8')) as typeof problem;
  } catch {
    return `a ${answer.status} problem whose body is not JSON`;
  }
  if (problem.status !== answer.status) return `a problem whose status ${String(problem.status)} differs from the HTTP status ${answer.status}`;
  if (typeof problem.detail !== 'string' || !Array.isArray(problem.errors)) return 'a problem without detail or errors';
  return undefined;
}

const validRequest = { 'content-type': 'application/json', 'x-session-token': TOKEN };
const validBody = Buffer.from(JSON.stringify({ data: { code: 'after-the-fuzz', type: 'web', client_id: null } }));

let api: Api;
let app: FastifyInstance;
let port: number;
let requestBody: Validator;
let session: Validator;

beforeAll(async () => {
  api = await loadApi('schema/openapi.yaml');
  const op = api.operations.find((o) => o.operationId === 'instagramLogin')!;
  requestBody = compileValidator(op.requestBody!.content[0].schema, api.references);
  session = compileValidator(op.responses[0].content[0].schema, api.references);
  app = await createMockServer({ seed: 11 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(() => app.close());

describe('the mock under fuzzed requests', () => {
  it(`answers every one of ${CASES} seeded malformed requests with a 4xx problem, never a 5xx, and still serves a valid login after (seed ${seed})`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const before = await sendHttp(agent, port, { kind: 'valid', method: 'POST', path: '/api/opendata/instagram/login', headers: validRequest, body: validBody, expect: 'ok' });
    expect(before.status).toBe(200);

    const random = createRandom(seed);
    const cases = Array.from({ length: CASES }, (_, i) => generateCase(random, requestBody, i));
    const failures: string[] = [];
    const kinds = new Map<string, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const index = next++;
        const c = cases[index];
        const kind = c.kind.replace(/ at .*| ".*"|: .*/, '');
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        let verdict: string | undefined;
        try {
          const answer = c.raw ? await sendRaw(port, c.raw) : await sendHttp(agent, port, c);
          verdict = judge(c, answer, session);
        } catch (error) {
          verdict = `no answer: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (verdict) failures.push(`#${index} ${c.kind} ${c.method ?? ''} ${(c.path ?? '').slice(0, 60)} → ${verdict}; body ${JSON.stringify((c.raw ?? c.body ?? Buffer.alloc(0)).subarray(0, 80).toString('latin1'))}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();

    if (failures.length > 0) {
      // All of them, for triage; the assertion below shows the first few.
      process.stderr.write(`fuzz seed ${seed} (rerun with IWKIT_FUZZ_SEED=${seed}): ${failures.length} failures\n${failures.map((f) => f.slice(0, 200)).join('\n')}\n`);
    }
    expect(failures.slice(0, 15), `seed ${seed}: ${failures.length} of ${CASES} requests got a wrong answer`).toEqual([]);
    expect(kinds.size, 'every kind of malformed request was generated').toBeGreaterThanOrEqual(14);
    expect(({} as Record<string, unknown>).polluted, 'no payload polluted Object.prototype').toBeUndefined();

    expect(app.server.listening).toBe(true);
    const after = await sendHttp(new Agent({ keepAlive: false }), port, { kind: 'valid', method: 'POST', path: LOGIN, headers: validRequest, body: validBody, expect: 'ok' });
    expect(after.status).toBe(200);
    expect(after.headers['iwkit-scenario']).toBe('fixture:default');
    expect(session.errors(JSON.parse(after.body.toString('utf8')))).toEqual([]);
    expect(after.body.equals(before.body), 'the same request gets the same session as before the fuzz').toBe(true);
  }, 60_000);
});
