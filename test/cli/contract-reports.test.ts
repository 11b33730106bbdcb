import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_TOKEN, startLoginServer } from '../contract/login-test-server.js';
import { startSpecServer } from '../openapi/spec-http-server.js';
import { runContractCli as cli } from './run-contract-cli.js';

type Node = Record<string, unknown>;
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const parseXml = (text: string): Node => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text) as Node;

const fast = ['--cases', '1', '--seed', '9', '--rate', '500/s', '--concurrency', '4', '--timeout', '2000'];

describe('iwkit contract reports', () => {
  const closers: (() => Promise<void>)[] = [];
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwkit-reports-'));
  });
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function loginServer(fault: Parameters<typeof startLoginServer>[0] = 'none') {
    const server = await startLoginServer(fault);
    closers.push(server.close);
    return server;
  }

  it('writes both reports holding the toolkit error when the target is unreachable', async () => {
    const server = await startLoginServer('none');
    await server.close();
    const junit = join(dir, 'down', 'junit.xml');
    const json = join(dir, 'down', 'contract.json');
    const run = await cli(['--base-url', server.baseUrl, ...fast, '--junit', junit, '--json', json]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^IWKIT_ERR_TARGET_UNREACHABLE: /m);

    const suites = parseXml(await readFile(junit, 'utf8')).testsuites as Node;
    expect(suites).toMatchObject({ tests: '1', errors: '1', failures: '0' });
    const suite = asList(suites.testsuite as Node | Node[]);
    expect(suite).toHaveLength(1);
    const testcase = asList(suite[0].testcase as Node | Node[]);
    expect(testcase).toHaveLength(1);
    const error = testcase[0].error as Node;
    expect(error.type).toBe('IWKIT_ERR_TARGET_UNREACHABLE');
    expect(String(error.message)).toContain(`target ${server.baseUrl} is unreachable`);

    const report = JSON.parse(await readFile(json, 'utf8')) as Node;
    expect(report).toMatchObject({ tool: 'iwkit contract', ok: false, baseUrl: server.baseUrl, error: { code: 'IWKIT_ERR_TARGET_UNREACHABLE' } });
    expect(String((report.error as Node).message)).toContain('is unreachable');
  });

  it('writes the reports for a spec or option error too, without the password of a refused base URL', async () => {
    const json = join(dir, 'spec-error.json');
    const junit = join(dir, 'spec-error.xml');
    const missing = await cli(['--base-url', 'http://127.0.0.1:9', '--spec', join(dir, 'missing.yaml'), '--json', json, '--junit', junit]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(await readFile(json, 'utf8'))).toMatchObject({ ok: false, error: { code: 'IWKIT_ERR_SPEC_READ' } });
    expect(await readFile(junit, 'utf8')).toContain('type="IWKIT_ERR_SPEC_READ"');

    const withPassword = await cli(['--base-url', 'http://admin:SECRETPW@127.0.0.1:9', '--json', json, '--junit', junit]);
    expect(withPassword.code).toBe(2);
    for (const file of [json, junit]) {
      const text = await readFile(file, 'utf8');
      expect(text).toContain('IWKIT_ERR_OPTION_INVALID');
      expect(text).not.toContain('SECRETPW');
    }
  });

  it('refuses a report path under a file before sending anything', async () => {
    const server = await loginServer();
    const file = join(dir, 'out.json');
    await writeFile(file, '{}');
    const run = await cli(['--base-url', server.baseUrl, ...fast, '--junit', join(file, 'x.xml')], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^IWKIT_ERR_OUTPUT_WRITE: cannot write .*out\.json[/\\]x\.xml/m);
    expect(run.stdout).toBe('');
    expect(server.requests()).toBe(0);
  });

  it('refuses a report path that is a folder, or the same file twice, before sending anything', async () => {
    const server = await loginServer();
    const folder = join(dir, 'a-folder');
    await mkdir(folder, { recursive: true });
    const run = await cli(['--base-url', server.baseUrl, ...fast, '--json', folder], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^IWKIT_ERR_OUTPUT_WRITE: /m);
    const same = join(dir, 'same.out');
    const twice = await cli(['--base-url', server.baseUrl, ...fast, '--json', same, '--junit', same], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^IWKIT_ERR_OPTION_INVALID: invalid option --json: names the same file as --junit/m);
    expect(existsSync(same)).toBe(false);
    expect(server.requests()).toBe(0);
  });

  it.runIf(existsSync('/proc/self'))('refuses a report path under /proc at once instead of spinning', async () => {
    const server = await loginServer();
    const run = await cli(['--base-url', server.baseUrl, ...fast, '--junit', '/proc/iwkit-no-such-dir/deeper/junit.xml'], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^IWKIT_ERR_OUTPUT_WRITE: cannot write \/proc\/iwkit-no-such-dir\/deeper\/junit\.xml/m);
    expect(server.requests()).toBe(0);
  });

  it('leaves no file behind when it checks a report path, and then writes the report', async () => {
    const server = await loginServer();
    const junit = join(dir, 'fresh', 'nested', 'junit.xml');
    const run = await cli(['--base-url', server.baseUrl, ...fast, '--junit', junit], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(run.code ?? 0).toBe(0);
    expect(await readFile(junit, 'utf8')).toMatch(/^<\?xml/);
  });

  it('gives each JUnit testsuite the wall time its cases spanned and counts each request once in testcase times', async () => {
    const server = await loginServer();
    const junit = join(dir, 'timed.xml');
    const json = join(dir, 'timed.json');
    // 20/s spaces request starts 50 ms apart, so the cases span at least (n - 1) × 50 ms whatever the machine.
    const run = await cli(['--base-url', server.baseUrl, '--cases', '1', '--seed', '9', '--rate', '20/s', '--concurrency', '2', '--junit', junit, '--json', json], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(run.code ?? 0).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8')) as { durationMs: number; outcomes: { sent: boolean; elapsedMs: number; results: unknown[] }[] };
    const sent = report.outcomes.filter((o) => o.sent);
    expect(sent.length).toBeGreaterThan(5);
    const suites = parseXml(await readFile(junit, 'utf8')).testsuites as Node;
    const suite = asList(suites.testsuite as Node | Node[])[0];
    const suiteSeconds = Number(suite.time);
    expect(suiteSeconds).toBeGreaterThanOrEqual(((sent.length - 1) * 50 - 10) / 1000);
    expect(Number(suites.time)).toBeGreaterThanOrEqual(suiteSeconds);
    expect(Number(suites.time)).toBeCloseTo(report.durationMs / 1000, 2);
    const testcaseSeconds = asList(suite.testcase as Node | Node[]).reduce((sum, c) => sum + Number(c.time), 0);
    const requestSeconds = sent.reduce((sum, o) => sum + o.elapsedMs, 0) / 1000;
    expect(testcaseSeconds).toBeCloseTo(requestSeconds, 1);
    expect(suite.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('takes --spec as an http URL and names it in the report', async () => {
    const server = await loginServer();
    const specs = await startSpecServer({}, resolve('schema'));
    closers.push(specs.close);
    const json = join(dir, 'url-spec.json');
    const url = `${specs.origin}/openapi.yaml`;
    const run = await cli(['--base-url', server.baseUrl, ...fast, '--spec', url, '--json', json], { IWKIT_TOKEN: SERVER_TOKEN });
    expect(run.code ?? 0).toBe(0);
    expect(run.stdout).toContain(`· ${url} ·`);
    expect(JSON.parse(await readFile(json, 'utf8'))).toMatchObject({ ok: true, spec: url });

    const missing = await cli(['--base-url', server.baseUrl, ...fast, '--spec', `${specs.origin}/nope.yaml`, '--json', json]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^IWKIT_ERR_SPEC_READ: cannot read spec http:\/\/127\.0\.0\.1:\d+\/nope\.yaml: HTTP 404/m);
    expect(JSON.parse(await readFile(json, 'utf8'))).toMatchObject({ ok: false, error: { code: 'IWKIT_ERR_SPEC_READ' } });
  });
});
