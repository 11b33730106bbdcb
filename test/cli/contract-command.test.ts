import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runContractCli as cli } from './run-contract-cli.js';
import { SERVER_TOKEN, startLoginServer } from '../contract/login-test-server.js';


const fast = ['--cases', '1', '--seed', '9', '--rate', '500/s', '--concurrency', '4', '--timeout', '2000'];

describe('iwkit contract', () => {
  const servers: { close: () => Promise<void> }[] = [];
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwkit-contract-'));
  });
  afterEach(async () => {
    while (servers.length) await servers.pop()!.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 2 instead of sending when the base URL carries credentials or a header cannot be sent', async () => {
    const withPassword = await cli(['--base-url', 'http://admin:SECRETPW@127.0.0.1:9']);
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).toMatch(/^IWKIT_ERR_OPTION_INVALID: .*--base-url/);
    expect(withPassword.stderr).not.toContain('SECRETPW');
    const badHeader = await cli(['--base-url', 'http://127.0.0.1:9', '--header', 'X-Client: Zoë 🎉']);
    expect(badHeader.code).toBe(2);
    expect(badHeader.stderr).toMatch(/^IWKIT_ERR_OPTION_INVALID: .*X-Client/);
  });

  it('exits 0 when every check passes, taking the token from IWKIT_TOKEN and writing both reports', async () => {
    const server = await startLoginServer('none');
    servers.push(server);
    const junit = join(dir, 'reports', 'junit.xml');
    const json = join(dir, 'reports', 'contract.json');
    const run = await cli(['--base-url', server.baseUrl, ...fast, '--junit', junit, '--json', json], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(run.code ?? 0).toBe(0);
    expect(run.stdout).toMatch(/^PASSED · \d+ checks: \d+ passed, 0 failed/m);
    expect(run.stdout).toMatch(/\d+ requests sent \(limit 100\)/);
    expect(await readFile(junit, 'utf8')).toMatch(/^<\?xml/);
    expect(JSON.parse(await readFile(json, 'utf8'))).toMatchObject({ ok: true, seed: 9 });
  });

  it('exits 1 on a contract failure and keeps the --token value out of every output', async () => {
    const server = await startLoginServer('server-error');
    servers.push(server);
    const json = join(dir, 'failing.json');
    const junit = join(dir, 'failing.xml');
    const run = await cli(['--base-url', server.baseUrl, '--token', SERVER_TOKEN, ...fast, '--json', json, '--junit', junit]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('not-a-server-error');
    expect(run.stdout).toContain('$IWKIT_TOKEN');
    for (const text of [run.stdout, run.stderr, await readFile(json, 'utf8'), await readFile(junit, 'utf8')]) expect(text).not.toContain(SERVER_TOKEN);
  });

  it('exits 2 with IWKIT_ERR_TARGET_UNREACHABLE when the target is down at the start', async () => {
    const server = await startLoginServer('none');
    await server.close();
    const run = await cli(['--base-url', server.baseUrl, ...fast]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^IWKIT_ERR_TARGET_UNREACHABLE: target http:\/\/127\.0\.0\.1:\d+ is unreachable/m);
  });

  it('exits 2 with IWKIT_ERR_OPTION_INVALID for a bad --rate or an unknown check', async () => {
    const rate = await cli(['--base-url', 'http://127.0.0.1:9', '--rate', 'fast']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain('IWKIT_ERR_OPTION_INVALID: invalid option --rate');
    const checks = await cli(['--base-url', 'http://127.0.0.1:9', '--checks', 'not-a-server-error,bogus']);
    expect(checks.code).toBe(2);
    expect(checks.stderr).toContain('unknown check "bogus"');
  });

  it('exits 2 for a spec that does not exist', async () => {
    const run = await cli(['--base-url', 'http://127.0.0.1:9', '--spec', join(dir, 'missing.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^IWKIT_ERR_SPEC_READ/m);
  });

  it('takes --strict-spec: a valid spec runs as before, an invalid one is refused with exit 2', async () => {
    const server = await startLoginServer('none');
    servers.push(server);
    const valid = await cli(['--base-url', server.baseUrl, '--strict-spec', ...fast], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(valid.code ?? 0).toBe(0);
    const invalid = await cli(['--base-url', server.baseUrl, '--strict-spec', '--spec', 'test/specs/broken/invalid-document.yaml', ...fast]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^IWKIT_ERR_SPEC_INVALID/m);
  });

  it('runs only the selected checks', async () => {
    const server = await startLoginServer('server-error');
    servers.push(server);
    const run = await cli(['--base-url', server.baseUrl, ...fast, '--exclude-checks', 'not-a-server-error,status-code-conformance,positive-data-acceptance'], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(run.code ?? 0).toBe(0);
    expect(run.stdout).not.toContain('not-a-server-error');
  });

  it('draws a progress line on a TTY and stays quiet when CI is set', async () => {
    const server = await startLoginServer('none');
    servers.push(server);
    const tty = await cli(['--base-url', server.baseUrl, ...fast], { IWKIT_TOKEN: SERVER_TOKEN }, true);
    expect(tty.stderr).toMatch(/\[\d+\/\d+\] instagramLogin · /);
    const ci = await cli(['--base-url', server.baseUrl, ...fast], { IWKIT_TOKEN: SERVER_TOKEN, CI: 'true' }, true);
    expect(ci.stderr).toBe('');
  });
});
