import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './spawn-mock.js';

// The CLI as `npx iwkit` and `npm start` run it: the file itself, through its shebang, not `node <file>`.

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const login = (address: string, code: string): Promise<Response> =>
  fetch(`${address}/api/opendata/instagram/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 'test-session-token' }, body: JSON.stringify({ data: { code, type: null, client_id: 'web' } }) });

function startExecutable(args: string[]): { child: ReturnType<typeof spawn>; address: Promise<string> } {
  const child = spawn(`./${cli}`, ['mock', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  const address = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
  return { child, address };
}

describe('the iwkit executable', () => {
  it('starts node with the young-generation cap its shebang asks for and serves the login', async () => {
    const { child, address: started } = startExecutable([]);
    const address = await started;
    // env -S replaced itself with node, so the child's own command line carries the flag.
    const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain('--max-semi-space-size=4');
    expect(argv.some((a) => a.endsWith('iwkit.mjs'))).toBe(true);
    expect((await login(address, 'IGQVJ-1')).status).toBe(200);
  });

  it('loads a rules file that is an ES module (a real import() from inside the code-cached bundle)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'iwkit-bin-')), 'rules.mjs');
    writeFileSync(file, "export default [{ name: 'teapot', operationId: 'instagramLogin', match: { body: { '/data/code': 'brew' } }, respond: { status: 401 } }];\n");
    const { address } = startExecutable(['--scenarios', file]);
    const url = await address;
    const res = await login(url, 'brew');
    expect(res.status).toBe(401);
    expect(res.headers.get('iwkit-scenario')).toContain('teapot');
    expect((await login(url, 'IGQVJ-1')).status).toBe(200);
  });

  it('is what `npm start` runs', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts.start).toBe(`${pkg.bin.iwkit} mock`);
  });
});
