import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a user gets from `npm pack` + `npm install <tarball>` in a project of their own: run with the
// suite because every item of it broke once (missing LICENSE, bench code, source maps, a stale default spec).
// npm test builds dist/ first, so packing skips the prepack build; npm reads its cache before the registry.

const run = promisify(execFile);
const root = resolve('.');
const vitestVersion = (JSON.parse(readFileSync('node_modules/vitest/package.json', 'utf8')) as { version: string }).version;
let work: string;
let app: string;
let tarball: string;
let installOutput: string;

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout, stderr } = await run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout + stderr;
}

async function iwkit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(join(app, 'node_modules/.bin/iwkit'), args, { cwd: app, env: { ...process.env, NO_COLOR: '1', ...env } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'iwkit-pack-'));
  app = join(work, 'app');
  await npm(['pack', '--ignore-scripts', '--pack-destination', work], root);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  await run('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
  installOutput = await npm(['install', '--omit=dev', tarball], app);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the CLI, the library, the contract, its fixtures and a LICENSE, and nothing that points at unshipped files', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 16 * 1024 * 1024 });
    const files = stdout.split('\n').filter(Boolean);
    for (const f of ['package/LICENSE', 'package/dist/iwkit.mjs', 'package/dist/src/index.js', 'package/dist/src/contract/vitest-matcher.js', 'package/schema/openapi.yaml', 'package/fixtures/scenarios.yaml']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^package\/(src|test|bench|dist\/bench|dist\/test)\//.test(f))).toEqual([]);
  });

  it('installs into a fresh project without a warning and runs no install script', () => {
    expect(installOutput).not.toMatch(/npm warn/i);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/iwkit/package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[hook]).toBeUndefined();
  });

  it('runs iwkit generate from the installed package alone, with the packaged contract by default', async () => {
    const result = await iwkit(['generate', '--out', 'gen/openapi.ts']);
    expect(result).toMatchObject({ code: 0 });
    expect(readFileSync(join(app, 'gen/openapi.ts'), 'utf8')).toContain('node_modules/iwkit/schema/openapi.yaml');
  });

  it('runs iwkit mock and iwkit contract from the installed package alone', async () => {
    const child = spawn(join(app, 'node_modules/.bin/iwkit'), ['mock', '--port', '0'], { cwd: app, env: { ...process.env, NO_COLOR: '1' } });
    try {
      const base = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
          if (m) done(m[1]);
        });
        child.on('exit', (code) => fail(new Error(`mock exited with ${code}: ${out}`)));
      });
      const login = await fetch(`${base}/api/opendata/instagram/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-session-token': 'packed-test' },
        body: JSON.stringify({ data: { code: 'IGQVJ-packed', type: null, client_id: 'web' } }),
      });
      expect(login.status).toBe(200);
      const contract = await iwkit(['contract', '--base-url', base, '--cases', '5'], { IWKIT_TOKEN: 'packed-test' });
      expect(contract.output).toMatch(/requests sent/);
      expect([0, 1]).toContain(contract.code);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('lets a project with vitest check responses with the default contract through iwkit/vitest', async () => {
    await npm(['install', '--save-dev', `vitest@${vitestVersion}`], app);
    writeFileSync(
      join(app, 'login.test.js'),
      [
        "import { it, expect } from 'vitest';",
        "import 'iwkit/vitest';",
        "import { createMockServer } from 'iwkit';",
        "it('answers the login as the contract says', async () => {",
        '  const app = await createMockServer();',
        "  const res = await app.inject({ method: 'POST', url: '/api/opendata/instagram/login', headers: { 'x-session-token': 't' }, payload: { data: { code: 'IGQVJ-1', type: null, client_id: 'web' } } });",
        "  await expect(res).toMatchContract('instagramLogin');",
        "  await expect({ status: 200, body: { id: 'not a number' } }).not.toMatchContract('instagramLogin');",
        '  await app.close();',
        '});',
      ].join('\n'),
    );
    const { stdout } = await run(join(app, 'node_modules/.bin/vitest'), ['run', '--root', app], { cwd: app, env: { ...process.env, CI: '1', NO_COLOR: '1' } });
    expect(stdout).toMatch(/1 passed/);
  }, 180_000);
});
