import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generate } from '../../src/cli/generate-command.js';
import { startSpecServer, type SpecServer } from '../openapi/spec-http-server.js';
import { cli, spawnMock, stopSpawnedMocks } from './spawn-mock.js';

describe('--spec as an http URL', () => {
  const servers: SpecServer[] = [];
  async function serveSpecs(): Promise<SpecServer> {
    const server = await startSpecServer({}, resolve('test/specs'));
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    stopSpawnedMocks();
    while (servers.length) await servers.pop()!.close();
  });

  it('iwkit generate renders the same module from a URL as from the file, naming the URL', async () => {
    const server = await serveSpecs();
    const dir = mkdtempSync(join(tmpdir(), 'iwkit-generate-url-'));
    const url = `${server.origin}/library-3.1/openapi.yaml`;
    const fromUrl = await generate({ spec: url, out: join(dir, 'from-url.ts') });
    const fromFile = await generate({ spec: 'test/specs/library-3.1/openapi.yaml', out: join(dir, 'from-file.ts') });
    expect(fromUrl.exitCode).toBe(0);
    expect(fromFile.exitCode).toBe(0);
    const urlModule = readFileSync(join(dir, 'from-url.ts'), 'utf8');
    expect(urlModule).toContain(url);
    const body = (text: string): string => text.slice(text.indexOf('import '));
    expect(body(urlModule)).toBe(body(readFileSync(join(dir, 'from-file.ts'), 'utf8')));
    expect((await generate({ spec: url, out: join(dir, 'from-url.ts'), check: true })).exitCode).toBe(0);
  });

  it('iwkit generate answers IWKIT_ERR_SPEC_READ for a URL that answers 404', async () => {
    const server = await serveSpecs();
    await expect(generate({ spec: `${server.origin}/nope.yaml`, out: join(tmpdir(), 'never-written.ts') })).rejects.toMatchObject({ code: 'IWKIT_ERR_SPEC_READ' });
  });

  it('iwkit mock serves a spec read from a URL', async () => {
    const server = await serveSpecs();
    const mock = spawnMock(['--port', '0', '--spec', `${server.origin}/petstore-3.0.yaml`, '--no-docs']);
    const base = await mock.address;
    expect(mock.output()).toContain('(listPets)');
    expect((await fetch(`${base}/pets`, { headers: { 'x-api-key': 'k' } })).status).toBe(200);
  });

  it('iwkit mock exits 2 with IWKIT_ERR_SPEC_READ for an unreachable spec URL', async () => {
    const server = await serveSpecs();
    await server.close();
    servers.pop();
    const child = spawn(process.execPath, [cli, 'mock', '--port', '0', '--spec', `${server.origin}/petstore-3.0.yaml`]);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toMatch(/^IWKIT_ERR_SPEC_READ: cannot read spec http:\/\/127\.0\.0\.1:\d+\/petstore-3\.0\.yaml: ECONNREFUSED/);
  });
});
