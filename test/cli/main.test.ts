import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './spawn-mock.js';

// The CLI as `npx iwkit` and `npm start` run it: the file itself, through its shebang, not `node <file>`.

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('the iwkit executable', () => {
  it('starts node with the young-generation cap its shebang asks for and serves the login', async () => {
    const child = spawn(`./${cli}`, ['mock', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], { env: { ...process.env, NO_COLOR: '1' } });
    children.push(child);
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    // env -S replaced itself with node, so the child's own command line carries the flag.
    const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain('--max-semi-space-size=8');
    expect(argv.some((a) => a.endsWith('iwkit.mjs'))).toBe(true);
    const res = await fetch(`${address}/api/opendata/instagram/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': 'test-session-token' }, body: JSON.stringify({ data: { code: 'IGQVJ-1', type: null, client_id: 'web' } }) });
    expect(res.status).toBe(200);
  });

  it('is what `npm start` runs', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts.start).toBe(`${pkg.bin.iwkit} mock`);
  });
});
