import type { MockServer } from '../../src/server/mock-server.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecretHeader, isSecretKey } from '../../src/contract/redact.js';
import { createRequestRedactor } from '../../src/mock/redact-request.js';
import { loadApi } from '../../src/openapi/load-api.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { LOGIN, listenLocal } from '../server/scripting-helpers.js';

// The mock's journal and the contract runner's reports hide the same names: one rule (src/redact.ts).

const SECRETS = ['journal-query-access-9f1', 'journal-query-apikey-9f2', 'journal-query-token-9f3', 'journal-header-apikey-9f4', 'journal-header-access-9f5'];

describe('the journal and the runner share one redaction rule', () => {
  let mock: MockServer;
  let base: string;
  beforeAll(async () => {
    mock = await createMockServer({ spec: await loadApi('schema/openapi.yaml'), fixturesDir: 'fixtures', seed: 2 });
    base = await listenLocal(mock);
  });
  afterAll(() => mock.close());

  it('journals a request with access_token, api_key and token query values and x-api-key and x-access-token headers redacted', async () => {
    const query = `access_token=${SECRETS[0]}&api_key=${SECRETS[1]}&token=${SECRETS[2]}&page=2`;
    const response = await fetch(`${base}${LOGIN}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': SECRETS[3], 'x-access-token': SECRETS[4] },
      body: JSON.stringify({ data: { code: 'abc', type: 'instagram', client_id: 'web' } }),
    });
    await response.arrayBuffer();
    const [entry] = mock.journal();

    expect(entry.query).toMatchObject({ access_token: '[redacted]', api_key: '[redacted]', token: '[redacted]', page: '2' });
    expect(entry.headers['x-api-key']).toBe('[redacted]');
    expect(entry.headers['x-access-token']).toBe('[redacted]');
    const text = JSON.stringify(mock.journal());
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('hides in the journal every query and header name the runner hides in its reports', () => {
    const redact = createRequestRedactor([], []);
    const queryNames = ['access_token', 'api_key', 'apiKey', 'token', 'sessionid', 'client_secret', 'password', 'page', 'limit', 'q'];
    const headerNames = ['x-api-key', 'x-access-token', 'authorization', 'cookie', 'x-auth-token', 'x-csrf-token', 'accept', 'user-agent', 'iwkit-client'];
    const query = redact.query(Object.fromEntries(queryNames.map((n) => [n, 'v'])));
    const headers = redact.headers(Object.fromEntries(headerNames.map((n) => [n, 'v'])));
    for (const name of queryNames) expect(query[name] === '[redacted]', `query ${name}`).toBe(isSecretKey(name));
    for (const name of headerNames) expect(headers[name] === '[redacted]', `header ${name}`).toBe(isSecretHeader(name));
    expect(query.page).toBe('v');
    expect(headers.accept).toBe('v');
  });
});
