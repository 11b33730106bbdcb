import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { textLine } from '../../src/server/request-log.js';

const LOGIN = '/api/opendata/instagram/login';
const body = { data: { code: 'c', type: 'web', client_id: null } };

/** A log destination that keeps what it got; `isTTY` as a terminal would have it. */
function capture(isTTY = false): { write: (line: string) => void; isTTY: boolean; lines: string[] } {
  const lines: string[] = [];
  return { isTTY, lines, write: (chunk: string) => lines.push(...chunk.split('\n').filter((l) => l !== '')) };
}

/** The onResponse hook logs after inject() has resolved: wait for the line. */
const logged = (out: { lines: string[] }, count = 1) => expect.poll(() => out.lines.length).toBeGreaterThanOrEqual(count);

// A spec with an API key in the query: its value must never reach the log.
const querySecretSpec = {
  openapi: '3.1.0',
  info: { title: 'Q', version: '1' },
  components: { securitySchemes: { key: { type: 'apiKey', in: 'query', name: 'api_key' } } },
  security: [{ key: [] }],
  paths: { '/items': { get: { operationId: 'items', parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } } },
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  delete process.env.NO_COLOR;
});

describe('the readable request log', () => {
  it('writes one line per request with time, method, path, status, scenario and ms, and no JSON', async () => {
    const out = capture();
    app = await createMockServer({ seed: 1, logger: 'info', logStream: out });
    await app.inject({ method: 'POST', url: LOGIN, headers: { 'x-session-token': 'secret-token-value', prefer: 'example=dg' }, payload: body });
    await logged(out);
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} POST {3}\/api\/opendata\/instagram\/login 200 fixture:dg \d+(\.\d)? ms$/);
    expect(out.lines.join('\n')).not.toContain('secret-token-value');
    expect(out.lines.join('\n')).not.toContain('{');
  });

  it("shows the query with the spec's secret query values redacted", async () => {
    const out = capture();
    app = await createMockServer({ seed: 1, spec: querySecretSpec, logger: 'info', logStream: out });
    const res = await app.inject({ url: '/items?page=2&api_key=very-secret-key' });
    expect(res.statusCode).toBe(200);
    await logged(out);
    expect(out.lines[0]).toContain('/items?page=2&api_key=[redacted] 200');
    expect(out.lines.join('\n')).not.toContain('very-secret-key');
  });

  it('colours the status on a terminal, and not when NO_COLOR is set or the output is not a terminal', async () => {
    const tty = capture(true);
    app = await createMockServer({ seed: 1, logger: 'info', logStream: tty });
    await app.inject({ method: 'POST', url: LOGIN, payload: body });
    await logged(tty);
    expect(tty.lines[0]).toContain('\u001b[33m401\u001b[0m');
    await app.close();

    process.env.NO_COLOR = '1';
    const noColour = capture(true);
    app = await createMockServer({ seed: 1, logger: 'info', logStream: noColour });
    await app.inject({ method: 'POST', url: LOGIN, payload: body });
    await logged(noColour);
    expect(noColour.lines[0]).not.toContain('\u001b');
    expect(noColour.lines[0]).toContain(' 401 problem:401 ');
  });

  it('logs a dropped connection as one line with the rule label and "drop"', async () => {
    const out = capture();
    app = await createMockServer({ seed: 1, logger: 'info', logStream: out, scenarios: [{ name: 'cut', operationId: 'instagramLogin', respond: { fault: 'reset' } }] });
    await app.inject({ method: 'POST', url: LOGIN, headers: { 'x-session-token': 't' }, payload: body }).catch(() => undefined);
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/ POST {3}\/api\/opendata\/instagram\/login drop \S*cut\S*$/);
  });

  it('writes pino JSON lines with logFormat json, secrets still redacted', async () => {
    const out = capture();
    app = await createMockServer({ seed: 1, spec: querySecretSpec, logger: 'info', logFormat: 'json', logStream: out });
    await app.inject({ url: '/items?api_key=very-secret-key' });
    await logged(out);
    const records = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.filter((r) => r.msg === 'request')).toEqual([expect.objectContaining({ level: 30, method: 'GET', path: '/items?api_key=[redacted]', status: 200 })]);
    expect(out.lines.join('\n')).not.toContain('very-secret-key');
  });

  it('refuses an unknown log format with a coded error', async () => {
    await expect(createMockServer({ logFormat: 'xml' as never })).rejects.toMatchObject({ code: 'IWKIT_ERR_OPTION_INVALID' });
  });
});

describe('textLine', () => {
  it("drops Fastify's Server listening line and escapes control characters in other lines", () => {
    expect(textLine(JSON.stringify({ level: 30, time: 0, msg: 'Server listening at http://127.0.0.1:4010' }), false)).toBeUndefined();
    const line = textLine(JSON.stringify({ level: 40, time: 0, msg: 'spec says \u001b]0;owned\u0007' }), false)!;
    expect(line).toContain('WARN spec says \\u001b]0;owned\\u0007');
    expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('renders an error record with its message and stack frames', () => {
    const line = textLine(JSON.stringify({ level: 50, time: 0, msg: 'iwkit mock failed to answer', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (x.js:1:1)' } }), false)!;
    expect(line).toMatch(/ERROR iwkit mock failed to answer: Error: boom\n {4}at f \(x\.js:1:1\)$/);
  });
});
