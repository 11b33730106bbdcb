import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { json, loginPath, session, startUpstream } from '../proxy/upstreams.js';
import { cli } from './spawn-mock.js';

// Runs the built CLI as a pipeline would: `iwkit proxy … & npm run e2e; kill %1`.

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

function run(args: string[]): { address: Promise<string>; exit: Promise<{ code: number | null; out: string }>; kill: () => void } {
  const child = spawn(process.execPath, [cli, 'proxy', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  const address = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', () => reject(new Error(out)));
  });
  // A run that is meant to fail never listens; its address is then not awaited.
  address.catch(() => undefined);
  const exit = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
  closers.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { address, exit, kill: () => child.kill('SIGTERM') };
}

describe('iwkit proxy', () => {
  it('logs each violation, writes the JUnit and JSON summaries on SIGTERM and exits 1 with --fail-on-violation', async () => {
    const up = await startUpstream((_req, res) => json(res, 200, session({ id: 'not-a-number' })));
    closers.push(() => up.close());
    const dir = await mkdtemp(join(tmpdir(), 'iwkit-proxy-cli-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const proxy = run(['--upstream', up.url, '--port', '0', '--fail-on-violation', '--junit', join(dir, 'junit.xml'), '--json', join(dir, 'report.json')]);
    const address = await proxy.address;
    const res = await fetch(`${address}${loginPath}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 'tok-abcdef123456' }, body: JSON.stringify({ data: { code: 'a' } }) });
    expect(res.headers.get('iwkit-violations')).toBe('1 schema');
    proxy.kill();
    const { code, out } = await proxy.exit;
    expect(code).toBe(1);
    expect(out).toContain('iwkit proxy violation · response-schema-conformance · instagramLogin · POST /api/opendata/instagram/login → 200 at /id');
    expect(out).toContain('FAILED');
    expect(out).not.toContain('tok-abcdef123456');
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuites name="iwkit proxy"');
    expect(junit).toContain('<failure');
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.tool).toBe('iwkit proxy');
    expect(report.ok).toBe(false);
  });

  it('exits 0 on SIGTERM when every exchange honoured the contract', async () => {
    const up = await startUpstream((_req, res) => json(res, 200, session()));
    closers.push(() => up.close());
    const proxy = run(['--upstream', up.url, '--port', '0', '--fail-on-violation']);
    const address = await proxy.address;
    await fetch(`${address}${loginPath}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 'tok' }, body: JSON.stringify({ data: { code: 'a' } }) });
    proxy.kill();
    expect((await proxy.exit).code).toBe(0);
  });

  it('refuses a missing or bad --upstream with a coded error and exit 2', async () => {
    const missing = run([]);
    const a = await missing.exit;
    expect(a.code).toBe(2);
    expect(a.out).toContain('IWKIT_ERR_OPTION_INVALID');
    const bad = run(['--upstream', 'file:///etc/passwd']);
    expect((await bad.exit).code).toBe(2);
  });

  describe('bounds set from the command line', () => {
    // A small contract of its own, written to a file as a user would pass it with --spec.
    const itemsSpec = {
      openapi: '3.1.0',
      info: { title: 'items', version: '1' },
      paths: {
        '/items/{id}': {
          get: {
            operationId: 'getItem',
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
            responses: { '200': { description: 'the item', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } } } } } },
          },
        },
      },
    };

    async function specFile(): Promise<{ dir: string; spec: string }> {
      const dir = await mkdtemp(join(tmpdir(), 'iwkit-proxy-bounds-'));
      closers.push(() => rm(dir, { recursive: true, force: true }));
      const spec = join(dir, 'items.json');
      await writeFile(spec, JSON.stringify(itemsSpec));
      return { dir, spec };
    }

    it('keeps only --journal-size violations in the journal and counts the dropped ones', async () => {
      const up = await startUpstream((_req, res) => json(res, 200, { id: 'not-a-number' }));
      closers.push(() => up.close());
      const { spec } = await specFile();
      const proxy = run(['--upstream', up.url, '--spec', spec, '--port', '0', '--admin', '--journal-size', '1']);
      const address = await proxy.address;
      for (const id of [1, 2]) expect((await fetch(`${address}/items/${id}`)).headers.get('iwkit-violations')).toBe('1 schema');
      const journal = (await (await fetch(`${address}/__iwkit/violations`)).json()) as { total: number; dropped: number; violations: { path: string }[] };
      expect(journal).toMatchObject({ total: 2, dropped: 1 });
      expect(journal.violations.map((v) => v.path)).toEqual(['/items/2']);
      proxy.kill();
      await proxy.exit;
    });

    it('answers 503 naming maxInFlight past --max-in-flight requests at the upstream', async () => {
      const held: ServerResponse[] = [];
      let arrived!: () => void;
      const first = new Promise<void>((done) => (arrived = done));
      const up = await startUpstream((_req, res) => {
        held.push(res);
        arrived();
      });
      closers.push(() => up.close());
      const { spec } = await specFile();
      const proxy = run(['--upstream', up.url, '--spec', spec, '--port', '0', '--max-in-flight', '1']);
      const address = await proxy.address;
      const pending = fetch(`${address}/items/1`);
      await first;
      const refused = await fetch(`${address}/items/2`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { limit: string }).limit).toBe('maxInFlight');
      json(held[0], 200, { id: 1 });
      expect((await pending).status).toBe(200);
      expect(up.seen).toHaveLength(1);
      proxy.kill();
      await proxy.exit;
    });

    it('streams an answer longer than --response-limit through unchanged without checking its schema', async () => {
      const big = { id: 'not-a-number', name: 'x'.repeat(4096) };
      const up = await startUpstream((_req, res) => json(res, 200, big));
      closers.push(() => up.close());
      const { spec } = await specFile();
      const proxy = run(['--upstream', up.url, '--spec', spec, '--port', '0', '--response-limit', '100']);
      const address = await proxy.address;
      const res = await fetch(`${address}/items/1`);
      expect(res.status).toBe(200);
      expect(res.headers.get('iwkit-violations')).toBeNull();
      expect(await res.json()).toEqual(big);
      proxy.kill();
      await proxy.exit;
    });

    it('writes no more than --max-recordings fixtures and says why it skipped the rest', async () => {
      const bodies = [{ id: 1 }, { id: 2, name: 'lamp' }, { id: 3, tags: ['a'] }];
      const up = await startUpstream((req, res) => json(res, 200, bodies[Number(req.url.split('/').pop()) - 1]));
      closers.push(() => up.close());
      const { dir, spec } = await specFile();
      const record = join(dir, 'recordings');
      const proxy = run(['--upstream', up.url, '--spec', spec, '--port', '0', '--record', record, '--max-recordings', '1']);
      const address = await proxy.address;
      for (const id of [1, 2, 3]) expect((await fetch(`${address}/items/${id}`)).status).toBe(200);
      proxy.kill();
      const { out } = await proxy.exit;
      expect(await readdir(join(record, 'getItem'))).toHaveLength(1);
      expect(out).toContain('maxRecordings (1) reached');
    });

    it.each(['--max-in-flight', '--response-limit', '--journal-size', '--max-recordings'])('refuses %s 0 with a coded error and exit 2', async (flag) => {
      const bad = run(['--upstream', 'http://127.0.0.1:9', flag, '0']);
      const { code, out } = await bad.exit;
      expect(code).toBe(2);
      expect(out).toContain('IWKIT_ERR_OPTION_INVALID');
      expect(out).toContain(flag);
    });
  });
});
