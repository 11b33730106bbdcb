import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer } from '../../src/server/create-mock-server.js';
import type { MockServer } from '../../src/server/mock-server.js';
import type { MockServerOptions } from '../../src/server/mock-server-options.js';

// The replay answers before Fastify, so only real HTTP reaches it (inject() never does): every test
// here talks to a listening mock on loopback, with a bounded number of requests.

const LOGIN = '/api/opendata/instagram/login?iw-build-id=web-2026.12.1';
const token = 'replay-secret-token-0123456789';
const loginBody = (code: string): string => JSON.stringify({ data: { code, type: null, client_id: 'web' } });

interface Sent {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send the body chunked (no Content-Length). */
  chunked?: boolean;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let app: MockServer | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  agent?.destroy();
  await app?.close();
  app = undefined;
  agent = undefined;
});

async function listening(options: MockServerOptions = {}): Promise<number> {
  app = await createMockServer({ seed: 7, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return (app.server.address() as AddressInfo).port;
}

function send(port: number, sent: Sent = {}): Promise<Answer> {
  const body = sent.body ?? loginBody('IGQVJ-replay');
  const headers = { 'content-type': 'application/json', 'x-session-token': token, ...(sent.chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }), ...sent.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, agent, method: sent.method ?? 'POST', path: sent.path ?? LOGIN, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (sent.chunked) req.write(body.slice(0, 5));
    req.end(sent.chunked ? body.slice(5) : body);
  });
}

/** What a client sees of an answer, without the headers Node writes anew each time. */
function seen(answer: Answer): Omit<Answer, 'headers'> & { headers: IncomingHttpHeaders } {
  const { date: _date, ...headers } = answer.headers;
  return { ...answer, headers };
}

async function sendTimes(port: number, times: number, sent: Sent = {}): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < times; i++) answers.push(await send(port, sent));
  return answers;
}

describe('the replay of identical requests', () => {
  it('answers the third identical request from the replay with the status, headers and body of the first', async () => {
    const port = await listening();
    const answers = await sendTimes(port, 4);
    expect(app!.iwkitReplay()).toEqual({ hits: 2, entries: 1 });
    expect(answers[0].status).toBe(200);
    for (const answer of answers.slice(1)) expect(seen(answer)).toEqual(seen(answers[0]));
  });

  it('journals and logs every replayed request as it does any other, secrets redacted', async () => {
    const lines: string[] = [];
    const port = await listening({ logger: 'info', logFormat: 'json', logStream: { write: (line: string) => void lines.push(line) } });
    await sendTimes(port, 4);
    expect(app!.iwkitReplay().hits).toBe(2);
    const journal = app!.journal();
    expect(journal.map((e) => [e.status, e.scenario, e.operationId])).toEqual(Array(4).fill([200, 'fixture:default', 'instagramLogin']));
    expect(journal[3].body).toEqual(journal[0].body);
    expect(journal[3].headers['x-session-token']).toBe(journal[0].headers['x-session-token']);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((r) => r.msg === 'request');
    expect(records.map((r) => [r.method, r.path, r.status, r.scenario])).toEqual(Array(4).fill(['POST', LOGIN, 200, 'fixture:default']));
    expect(new Set(records.map((r) => r.reqId)).size).toBe(4);
    expect(JSON.stringify({ journal, lines })).not.toContain(token);
  });

  it('never replays a rule’s answer, and forgets what it kept when the rules get their uses back', async () => {
    const port = await listening({ scenarios: [{ operationId: 'instagramLogin', times: 1, match: { body: { '/data/code': 'once' } }, respond: { status: 401 } }] });
    const once = { body: loginBody('once') };
    expect((await sendTimes(port, 4, once)).map((a) => a.status)).toEqual([401, 200, 200, 200]);
    expect(app!.iwkitReplay().hits).toBe(1);
    await app!.reset();
    expect((await sendTimes(port, 2, once)).map((a) => a.status)).toEqual([401, 200]);
  });

  it('answers as an override says once one is added, however often the request was replayed before', async () => {
    const port = await listening();
    await sendTimes(port, 3);
    expect(app!.iwkitReplay().hits).toBe(1);
    app!.use({ operationId: 'instagramLogin', times: 1, respond: { status: 503 } });
    expect((await sendTimes(port, 2)).map((a) => a.status)).toEqual([503, 200]);
  });

  it('tells apart requests that differ only in one body byte or one header', async () => {
    const port = await listening();
    const first = await sendTimes(port, 3, { body: loginBody('IGQVJ-aaaa') });
    const other = await send(port, { body: loginBody('IGQVJ-aaab') });
    expect(other.status).toBe(200);
    expect(other.body).not.toBe(first[0].body);
    const fromBrowser = await send(port, { body: loginBody('IGQVJ-aaaa'), headers: { origin: 'http://localhost:5173' } });
    expect(fromBrowser.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(first[2].headers['access-control-allow-origin']).toBeUndefined();
    expect(fromBrowser.body).toBe(first[0].body);
    // What a mock that never replayed answers, for the byte that differs.
    const fresh = await createMockServer({ seed: 7 });
    const direct = await fresh.inject({ method: 'POST', url: LOGIN, headers: { 'content-type': 'application/json', 'x-session-token': token }, payload: loginBody('IGQVJ-aaab') });
    await fresh.close();
    expect(other.body).toBe(direct.body);
  });

  it('hands Fastify the body it read of a request it could not answer, so bad bodies are still refused', async () => {
    const port = await listening();
    const good = loginBody('IGQVJ-ok');
    await sendTimes(port, 2, { body: good });
    // Same length as the kept request, so the replay reads these bodies before handing them on.
    const malformed = await send(port, { body: `${good.slice(0, -1)}!` });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).detail).toMatch(/malformed request body: invalid JSON/);
    const invalid = await send(port, { body: good.replace('"web"', '12345') });
    expect(invalid.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(invalid.body).errors[0]).toMatchObject({ in: 'body', pointer: '/data/client_id' });
    expect((await send(port, { body: good })).status).toBe(200);
    expect(app!.iwkitReplay().hits).toBe(1);
  });

  it('leaves chunked, large and bodiless-method requests to Fastify', async () => {
    const port = await listening();
    await sendTimes(port, 3, { chunked: true });
    const large = loginBody(`IGQVJ-${'x'.repeat(20_000)}`);
    await sendTimes(port, 3, { body: large });
    await sendTimes(port, 3, { method: 'HEAD', path: '/openapi.json', body: '' });
    expect(app!.iwkitReplay()).toEqual({ hits: 0, entries: 0 });
  });

  it.each<[string, MockServerOptions]>([
    ['an error rate', { errorRate: 0.5 }],
    ['state', { stateful: true }],
    ['a delay', { delay: 1 }],
  ])('stays off where answers vary from one identical request to the next: %s', async (_name, options) => {
    const port = await listening(options);
    await sendTimes(port, 4);
    expect(app!.iwkitReplay()).toEqual({ hits: 0, entries: 0 });
  });

  it('never keeps an answer a delay range could hold, even when it drew no wait', async () => {
    const port = await listening();
    await sendTimes(port, 12, { headers: { prefer: 'delay=0-1' } });
    expect(app!.iwkitReplay()).toEqual({ hits: 0, entries: 0 });
  });

  it('answers as an override added while the body was still arriving says', async () => {
    const port = await listening();
    const raw = rawRequest(loginBody('IGQVJ-replay'));
    for (let i = 0; i < 3; i++) expect(await rawExchange(port, raw)).toMatch(/^HTTP\/1\.1 200 /);
    expect(app!.iwkitReplay().hits).toBe(1);
    const socket = connect(port, '127.0.0.1');
    const reply = readAll(socket);
    socket.write(raw.slice(0, raw.length - 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    app!.use({ operationId: 'instagramLogin', times: 1, respond: { status: 503 } });
    socket.end(raw.slice(raw.length - 10));
    expect(await reply).toMatch(/^HTTP\/1\.1 503 /);
  });

  it('lets a pipelined request see what the requests before it on the connection changed', async () => {
    const port = await listening({ admin: true });
    const raw = rawRequest(loginBody('IGQVJ-replay'));
    for (let i = 0; i < 3; i++) expect(await rawExchange(port, raw)).toMatch(/^HTTP\/1\.1 200 /);
    expect(app!.iwkitReplay().hits).toBe(1);
    const override = JSON.stringify({ operationId: 'instagramLogin', times: 1, respond: { status: 503 } });
    const socket = connect(port, '127.0.0.1');
    const reply = readAll(socket);
    socket.end(`POST /__iwkit/overrides HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(override)}\r\n\r\n${override}${raw}`);
    const statuses = [...(await reply).matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    expect(statuses).toEqual(['201', '503']);
  });

  it('also replays behind a server made by a serverFactory (hot reload)', async () => {
    app = await createMockServer({ seed: 7, serverFactory: (handler) => createServer(handler) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers = await sendTimes(port(), 3);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(app.iwkitReplay().hits).toBe(1);
  });
});

const port = (): number => (app!.server.address() as AddressInfo).port;

/** The login as raw HTTP/1.1, closing its connection after the answer. */
function rawRequest(body: string): string {
  const lines = [`POST ${LOGIN} HTTP/1.1`, 'content-type: application/json', `x-session-token: ${token}`, `content-length: ${Buffer.byteLength(body)}`, 'Host: 127.0.0.1', 'Connection: close'];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

async function rawExchange(port: number, text: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  const reply = readAll(socket);
  socket.end(text);
  return reply;
}

function readAll(socket: ReturnType<typeof connect>): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}
