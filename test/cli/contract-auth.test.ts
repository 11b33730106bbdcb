import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSessionServer, type SessionServer } from '../contract/session-login-server.js';
import { runContractCli as cli } from './run-contract-cli.js';

const fast = ['--cases', '1', '--seed', '9', '--rate', '500/s', '--concurrency', '2', '--timeout', '2000'];

describe('iwkit contract --auth-from', () => {
  let dir: string;
  let server: SessionServer | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwkit-auth-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 logging in with a body file that reads $IW_CODE, and prints neither the code nor the session', async () => {
    server = await startSessionServer({ code: 'code-from-env-77' });
    const bodyFile = join(dir, 'login.json');
    await writeFile(bodyFile, JSON.stringify({ data: { code: '$IW_CODE' } }));
    const json = join(dir, 'auth.json');
    const run = await cli(['--base-url', server.baseUrl, ...fast, '--auth-from', 'instagramLogin', '--auth-body', bodyFile, '--auth-header', 'x-session-token', '--json', json], { IW_CODE: 'code-from-env-77' });
    expect(run.stderr).toBe('');
    expect(run.code ?? 0).toBe(0);
    expect(run.stdout).toContain('authenticated through instagramLogin (token at /sessionid, sent as x-session-token): 1 login');
    const report = await readFile(json, 'utf8');
    expect(JSON.parse(report)).toMatchObject({ ok: true, auth: { from: 'instagramLogin', header: 'x-session-token', logins: 1 } });
    for (const text of [run.stdout, report]) {
      for (const secret of [...server.issued(), 'code-from-env-77']) expect(text).not.toContain(secret);
    }
  });

  it('exits 2 with IWKIT_ERR_AUTH_FAILED when the login is refused, and with IWKIT_ERR_OPTION_INVALID for --auth-body without --auth-from or bad JSON', async () => {
    server = await startSessionServer({ code: 'right' });
    const refused = await cli(['--base-url', server.baseUrl, ...fast, '--auth-from', 'instagramLogin', '--auth-body', '{"data":{"code":"wrong"}}']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^IWKIT_ERR_AUTH_FAILED: authentication through instagramLogin failed: the login answered 401/m);
    const alone = await cli(['--base-url', server.baseUrl, ...fast, '--auth-body', '{}']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('IWKIT_ERR_OPTION_INVALID');
    const broken = await cli(['--base-url', server.baseUrl, ...fast, '--auth-from', 'instagramLogin', '--auth-body', '{"data":{"code":"s3cret"']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/IWKIT_ERR_OPTION_INVALID: invalid option --auth-body: not JSON/);
    expect(broken.stderr).not.toContain('s3cret');
  });
});
