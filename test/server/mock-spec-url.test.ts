import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { startSpecServer, type SpecServer } from '../openapi/spec-http-server.js';

let specServer: SpecServer | undefined;

afterEach(async () => {
  await specServer?.close();
  specServer = undefined;
});

describe('createMockServer with a spec URL', () => {
  it('loads the spec from the URL and serves its operations', async () => {
    specServer = await startSpecServer({}, resolve('schema'));
    const app = await createMockServer({ spec: `${specServer.origin}/openapi.yaml`, fixturesDir: false });
    const res = await app.inject({
      method: 'POST',
      url: '/api/opendata/instagram/login',
      headers: { 'x-session-token': 't' },
      payload: { data: { code: 'IGQVJ-url', type: null, client_id: 'web' } },
    });
    expect(res.statusCode).toBe(200);
    expect(specServer.requested).toEqual(['/openapi.yaml']);
    await app.close();
  });

  it('refuses an unreachable spec URL with the spec read code', async () => {
    specServer = await startSpecServer();
    await expect(createMockServer({ spec: `${specServer.origin}/missing.yaml` })).rejects.toMatchObject({ code: 'IWKIT_ERR_SPEC_READ' });
  });
});
