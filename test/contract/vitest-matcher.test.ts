import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useContract } from '../../src/contract/vitest-matcher.js';
import { createMockServer } from '../../src/server/create-mock-server.js';
import { session, SERVER_TOKEN, startLoginServer } from './login-test-server.js';

const body = JSON.stringify({ data: { code: 'abc', type: null, client_id: null } });

// The matcher is synchronous for inject results and plain objects, asynchronous for fetch Responses.
async function messageOf(assertion: () => Promise<void> | void): Promise<string> {
  try {
    await assertion();
  } catch (error) {
    return (error as Error).message;
  }
  return '(no failure)';
}

describe('expect(response).toMatchContract(operationId)', () => {
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    await useContract('schema/openapi.yaml');
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('accepts a conforming fetch Response and leaves its body readable', async () => {
    const server = await startLoginServer('none');
    closers.push(server.close);
    const res = await fetch(`${server.baseUrl}/api/opendata/instagram/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': SERVER_TOKEN }, body });
    await expect(res).toMatchContract('instagramLogin');
    expect(((await res.json()) as { id: number }).id).toBe(42);
  });

  it('accepts a Fastify inject result from the mock', async () => {
    const app = await createMockServer({ seed: 1 });
    closers.push(() => app.close());
    const res = await app.inject({ method: 'POST', url: '/api/opendata/instagram/login', headers: { 'content-type': 'application/json', 'x-session-token': 't' }, payload: body });
    await expect(res).toMatchContract('instagramLogin');
  });

  it('fails a fetch Response with a bad date-time, naming the pointer, expected and actual', async () => {
    const server = await startLoginServer('bad-date-time');
    closers.push(server.close);
    const res = await fetch(`${server.baseUrl}/api/opendata/instagram/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': SERVER_TOKEN }, body });
    const message = await messageOf(() => expect(res).toMatchContract('instagramLogin'));
    expect(message).toContain('response 200 does not match the contract of instagramLogin');
    expect(message).toContain('response-schema-conformance at /start');
    expect(message).toContain('- expected: string (date-time)');
    expect(message).toContain('+ actual:   "yesterday at noon"');
  });

  it('fails an undocumented status and an undocumented content type', async () => {
    const status = await messageOf(() => expect({ status: 418, headers: { 'content-type': 'application/json' }, body: {} }).toMatchContract('instagramLogin'));
    expect(status).toContain('status-code-conformance: status 418 is not documented');
    const type = await messageOf(() => expect({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>' }).toMatchContract('instagramLogin'));
    expect(type).toContain('content-type-conformance: Content-Type text/html is not documented');
  });

  it('supports .not and the strict option', async () => {
    const partial = { status: 200, headers: { 'content-type': 'application/json' }, body: { id: 1 } };
    await expect(partial).toMatchContract('instagramLogin');
    await expect(partial).not.toMatchContract('instagramLogin', { strict: true });
    await expect({ status: 200, headers: { 'content-type': 'application/json' }, body: session() }).toMatchContract('instagramLogin', { strict: true });
  });

  it('names the known operations when the operationId is unknown', async () => {
    const message = await messageOf(() => expect({ status: 200, headers: {}, body: '' }).toMatchContract('nope'));
    expect(message).toContain('unknown operationId "nope" (known: instagramLogin)');
  });
});
