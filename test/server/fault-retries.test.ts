import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/server/mock-server.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { FaultRetries } from '../../src/server/fault-retries.js';

// What a browser does after a drop on a reused keep-alive connection, done by hand over real HTTP: the
// same request again. The browser test (test/browser) shows the same in Chromium.

const LOGIN = '/api/opendata/instagram/login';
const body = JSON.stringify({ data: { code: 'c', type: 'web', client_id: null } });

function post(port: number, agent: Agent): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: LOGIN, method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-session-token': 't' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end(body);
  });
}

let app: MockServer | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('a dropped connection and the client re-sending the request', () => {
  it('drops the re-send of a request dropped on a reused connection again, then answers as usual', async () => {
    app = await createMockServer({ seed: 1 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await post(port, agent)).toBe(200);
    app.use({ operationId: 'instagramLogin', times: 1, respond: { fault: 'reset' } });
    expect(await post(port, agent)).toBe('ECONNRESET'); // on the kept-alive connection: remembered
    expect(await post(port, agent)).toBe('ECONNRESET'); // the re-send, on a fresh connection: dropped again
    expect(await post(port, agent)).toBe(200); // nothing left over
    agent.destroy();
  });

  it('does not repeat a drop that happened on a fresh connection, which a browser reports at once', async () => {
    app = await createMockServer({ seed: 1, scenarios: [{ operationId: 'instagramLogin', times: 1, respond: { fault: 'empty' } }] });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await post(port, agent)).toBe('ECONNRESET');
    expect(await post(port, agent)).toBe(200);
    agent.destroy();
  });
});

describe('FaultRetries', () => {
  it('hands a remembered drop out once, only within its window, and holds a bounded number', () => {
    const retries = new FaultRetries();
    retries.remember('k', 'reset', 'rule', 2, 1000);
    expect(retries.take('k', 1500)).toMatchObject({ fault: 'reset', label: 'rule', left: 2 });
    expect(retries.take('k', 1500)).toBeUndefined();
    retries.remember('k', 'empty', 'rule', 1, 1000);
    expect(retries.take('k', 10_000)).toBeUndefined();
    retries.remember('none', 'reset', 'rule', 0, 1000);
    expect(retries.size).toBe(0);
    for (let i = 0; i < 1000; i++) retries.remember(`k${i}`, 'reset', 'rule', 1, 1000);
    expect(retries.size).toBe(256);
  });
});
