import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, spawnMock, stopSpawnedMocks } from './spawn-mock.js';

afterEach(stopSpawnedMocks);

const LOGIN = '/api/opendata/instagram/login';

const startMock = (args: string[]) => spawnMock(['--port', '0', '--log-level', 'silent', ...args]);

async function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  const exit = once(child, 'exit');
  child.kill('SIGTERM');
  return (await exit)[0] as number | null;
}

const login = (base: string, code: string) =>
  fetch(`${base}${LOGIN}`, { method: 'POST', headers: { 'x-session-token': 't', 'content-type': 'application/json' }, body: JSON.stringify({ data: { code } }) });

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('iwkit mock scripting flags', () => {
  it('loads the shipped scenarios.yaml by default, serves the admin API with --admin, and turns rules off with --no-scenarios', async () => {
    const mock = startMock(['--admin']);
    const base = await mock.address;
    expect(mock.output()).toMatch(/rules\s+\S*fixtures[/\\]scenarios\.yaml/);
    expect(mock.output()).toContain(`admin   ${base}/__iwkit/`);
    expect((await login(base, 'expired')).status).toBe(401);
    const set = await fetch(`${base}/__iwkit/overrides`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ respond: { status: 503 }, times: 1 }) });
    expect(set.status).toBe(201);
    expect((await login(base, 'anything')).status).toBe(503);
    expect(await stop(mock.child)).toBe(0);

    const plain = startMock(['--no-scenarios']);
    const plainBase = await plain.address;
    expect((await login(plainBase, 'expired')).status).toBe(200);
    expect((await fetch(`${plainBase}/__iwkit/overrides`)).status).toBe(404);
    expect(await stop(plain.child)).toBe(0);
  });

  it('reloads rules with --watch and keeps the last good rules after a broken edit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iwkit-cli-watch-'));
    const rules = join(dir, 'rules.yaml');
    const rule = (status: number) => `- name: custom\n  operationId: instagramLogin\n  match: { body: { /data/code: custom } }\n  respond: { status: ${status} }\n`;
    await writeFile(rules, rule(402));
    const mock = startMock(['--watch', '--scenarios', rules]);
    const base = await mock.address;
    expect((await login(base, 'custom')).status).toBe(402);
    await writeFile(rules, rule(409));
    await until(() => mock.output().includes('reloaded'), 'the reload line');
    expect((await login(base, 'custom')).status).toBe(409);
    await writeFile(rules, '- operationId: instagramLogin\n  respond: { fixture: nope }\n');
    await until(() => mock.output().includes('still serving'), 'the failed reload');
    expect(mock.output()).toMatch(/IWKIT_ERR_SCENARIO_INVALID: \S*rules\.yaml:2:\d+/);
    expect((await login(base, 'custom')).status).toBe(409);
    expect(await stop(mock.child)).toBe(0);
  });

  it('exits 2 with a coded error for a broken rules file or a bad scripting option', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iwkit-cli-rules-'));
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'rules:\n  - operationId: instagramLogout\n    respond: { status: 401 }\n');
    const cases: [string[], RegExp][] = [
      [['--scenarios', broken], /^IWKIT_ERR_SCENARIO_INVALID: \S*broken\.yaml:2:18 .*unknown operationId/],
      [['--delay', '200-100', '--error-rate', '0.1'], /^IWKIT_ERR_OPTION_INVALID: invalid option --delay/],
    ];
    for (const [args, expected] of cases) {
      const child = spawn(process.execPath, [cli, 'mock', '--port', '0', ...args]);
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const [code] = await once(child, 'exit');
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(expected);
    }
  });
});
