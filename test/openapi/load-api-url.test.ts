import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApi } from '../../src/openapi/load-api.js';
import { startSpecServer, type SpecServer } from './spec-http-server.js';

const SPECS = resolve('test/specs');

const servers: SpecServer[] = [];
async function serve(...args: Parameters<typeof startSpecServer>): Promise<SpecServer> {
  const server = await startSpecServer(...args);
  servers.push(server);
  return server;
}
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

function refDoc(ref: string, extra = ''): string {
  return [
    'openapi: 3.1.0',
    'info: { title: refs, version: "1" }',
    'paths:',
    '  /pets:',
    '    get:',
    '      operationId: listPets',
    '      responses:',
    '        "200":',
    '          description: ok',
    '          content:',
    '            application/json:',
    `              schema: { $ref: '${ref}' }`,
    extra,
  ].join('\n');
}

async function loadError(source: string, options: Parameters<typeof loadApi>[1] = {}): Promise<{ code?: string; message: string }> {
  try {
    await loadApi(source, options);
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error(`${source} loaded`);
}

describe('loadApi from an http(s) URL', () => {
  it('loads a spec served over HTTP exactly as it loads the same file', async () => {
    const server = await serve({}, resolve('schema'));
    const fromUrl = await loadApi(`${server.origin}/openapi.yaml`);
    const fromFile = await loadApi('schema/openapi.yaml');
    expect(fromUrl.source).toBe(`${server.origin}/openapi.yaml`);
    expect(fromUrl.operations.map((o) => o.operationId)).toEqual(fromFile.operations.map((o) => o.operationId));
    expect(fromUrl.references.map((r) => r.$id)).toEqual(fromFile.references.map((r) => r.$id));
    expect(fromUrl.document).toEqual(fromFile.document);
  });

  it('resolves relative $refs against the URL, as it does against a file folder', async () => {
    const server = await serve({}, SPECS);
    const fromUrl = await loadApi(`${server.origin}/library-3.1/openapi.yaml`);
    const fromFile = await loadApi('test/specs/library-3.1/openapi.yaml');
    expect(fromUrl.operations.map((o) => o.operationId)).toEqual(fromFile.operations.map((o) => o.operationId));
    expect(fromUrl.references.map((r) => r.$id).sort()).toEqual(fromFile.references.map((r) => r.$id).sort());
    expect(server.requested).toContain('/library-3.1/schemas.yaml');
  });

  it('resolves refs against the URL it was redirected to, and refs in a path item file too', async () => {
    const server = await serve({
      '/latest': (_req, res) => res.writeHead(302, { location: '/v2/spec.yaml' }).end(),
      '/v2/spec.yaml': { body: ['openapi: 3.0.3', 'info: { title: r, version: "1" }', 'paths:', "  /pets: { $ref: 'paths/pets.yaml' }"].join('\n') },
      '/v2/paths/pets.yaml': {
        body: ['get:', '  operationId: listPets', '  responses:', '    "200":', '      description: ok', '      content:', "        application/json: { schema: { $ref: '../schemas/pet.yaml' } }"].join('\n'),
      },
      '/v2/schemas/pet.yaml': { body: 'type: object\nrequired: [name]\nproperties: { name: { type: string } }' },
    });
    const api = await loadApi(`${server.origin}/latest`);
    expect(api.operations.map((o) => o.operationId)).toEqual(['listPets']);
    expect(server.requested).toEqual(['/latest', '/v2/spec.yaml', '/v2/paths/pets.yaml', '/v2/schemas/pet.yaml']);
  });

  it('answers IWKIT_ERR_SPEC_READ naming the status for a non-2xx answer', async () => {
    const server = await serve();
    const error = await loadError(`${server.origin}/missing.yaml`);
    expect(error.code).toBe('IWKIT_ERR_SPEC_READ');
    expect(error.message).toBe(`cannot read spec ${server.origin}/missing.yaml: HTTP 404 Not Found`);
  });

  it('answers IWKIT_ERR_SPEC_READ for an unreachable host', async () => {
    const server = await serve();
    await server.close();
    const error = await loadError(`${server.origin}/openapi.yaml`);
    expect(error.code).toBe('IWKIT_ERR_SPEC_READ');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('stops reading past the size cap, whether the length is declared or the body never ends', async () => {
    const server = await serve({
      '/declared.yaml': { body: 'x'.repeat(5000) },
      '/endless.yaml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/yaml' });
        const chunk = `# ${'y'.repeat(1022)}\n`;
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      },
    });
    for (const path of ['/declared.yaml', '/endless.yaml']) {
      const error = await loadError(`${server.origin}${path}`, { fetch: { maxBytes: 4096 } });
      expect(error.code).toBe('IWKIT_ERR_SPEC_READ');
      expect(error.message).toContain('larger than the spec size cap (4096 bytes in all)');
    }
  });

  it('gives up on a server that never answers after the time-out', async () => {
    const server = await serve({ '/stalls.yaml': () => {} });
    const error = await loadError(`${server.origin}/stalls.yaml`, { fetch: { timeoutMs: 150 } });
    expect(error.code).toBe('IWKIT_ERR_SPEC_READ');
    expect(error.message).toContain('no complete answer within 150 ms');
  });

  it('reads only http and https URLs and never prints a password from the URL', async () => {
    for (const source of ['ftp://127.0.0.1/openapi.yaml', 'file:///etc/passwd']) {
      const error = await loadError(source);
      expect(error.code).toBe('IWKIT_ERR_SPEC_READ');
      expect(error.message).toContain('only http and https URLs are read');
    }
    const withPassword = await loadError('http://user:s3cr3t-pw@127.0.0.1:9/openapi.yaml');
    expect(withPassword.code).toBe('IWKIT_ERR_SPEC_READ');
    expect(withPassword.message).not.toContain('s3cr3t-pw');
  });

  it('follows $refs within the spec origin only: another origin is a coded error and is never asked', async () => {
    const other = await serve({ '/pet.yaml': { body: 'type: object' } });
    const server = await serve({ '/spec.yaml': { body: refDoc(`${other.origin}/pet.yaml`) } });
    const error = await loadError(`${server.origin}/spec.yaml`);
    expect(error.code).toBe('IWKIT_ERR_SPEC_REF');
    expect(error.message).toContain("iwkit follows $refs within the spec's origin only");
    expect(other.requested).toEqual([]);
  });

  it('reads a path-looking $ref from the spec server, never from the local disk', async () => {
    const server = await serve({ '/api/spec.yaml': { body: refDoc('/etc/passwd') } });
    const error = await loadError(`${server.origin}/api/spec.yaml`);
    expect(error.code).toBe('IWKIT_ERR_SPEC_REF');
    expect(error.message).toContain(`${server.origin}/etc/passwd`);
    expect(error.message).toContain('HTTP 404');
    expect(server.requested).toEqual(['/api/spec.yaml', '/etc/passwd']);
  });

  it('bounds the documents one spec may make it fetch', async () => {
    const chain: Record<string, { body: string }> = { '/spec.yaml': { body: refDoc('./s1.yaml') } };
    for (let i = 1; i < 6; i++) chain[`/s${i}.yaml`] = { body: `type: object\nproperties: { next: { $ref: './s${i + 1}.yaml' } }` };
    chain['/s6.yaml'] = { body: 'type: string' };
    const server = await serve(chain);
    const error = await loadError(`${server.origin}/spec.yaml`, { fetch: { maxDocuments: 3 } });
    expect(error.code).toBe('IWKIT_ERR_SPEC_REF');
    expect(error.message).toContain('more than 3 documents');
    expect(server.requested).toHaveLength(3);
    expect((await loadApi(`${server.origin}/spec.yaml`)).operations).toHaveLength(1);
  });
});

describe('loadApi from a URL, refs that are not URLs', () => {
  it('names a $ref that is not a valid URL with IWKIT_ERR_SPEC_REF', async () => {
    const server = await serve({ '/spec.yaml': { body: refDoc('http://[not-a-host/pet.yaml') } });
    const error = await loadError(`${server.origin}/spec.yaml`);
    expect(error.code).toBe('IWKIT_ERR_SPEC_REF');
    expect(error.message).toContain('not a valid URL');
  });
});
