import { isUtf8 } from 'node:buffer';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { invalidUtf8Offset, parseResponse } from '../../src/contract/parse-response.js';
import { runContract } from '../../src/contract/run-contract.js';

// JSON text is UTF-8 (RFC 8259 §8.1): a body whose bytes are not is no JSON, whatever a lenient
// decoder would make of it, and the failure says where the first bad byte is.

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('invalidUtf8Offset', () => {
  const cases: [string, number[], number][] = [
    ['valid ASCII and multi-byte text', [...Buffer.from('{"a":"é€😀"}')], -1],
    ['a lone continuation byte', [0x41, 0x80, 0x41], 1],
    ['an overlong encoding of "/"', [0x41, 0xc0, 0xaf], 1],
    ['an overlong three-byte sequence', [0xe0, 0x80, 0xaf], 0],
    ['an encoded surrogate', [0x41, 0x41, 0xed, 0xa0, 0x80], 2],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a byte that never occurs in UTF-8', [0x7b, 0xff, 0x7d], 1],
    ['a sequence cut off at the end', [0x41, 0xe2, 0x82], 1],
  ];
  for (const [name, bytes, offset] of cases) {
    it(`finds ${offset === -1 ? 'nothing in' : `offset ${offset} in`} ${name}`, () => {
      expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
    });
  }

  it('agrees with Node’s own UTF-8 check on random bytes', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
    for (let n = 0; n < 2000; n++) {
      const bytes = Buffer.from(Array.from({ length: 1 + (n % 12) }, () => (n % 3 === 0 ? next() | 0x80 : next())));
      expect(invalidUtf8Offset(bytes) === -1, bytes.toString('hex')).toBe(isUtf8(bytes));
    }
  });
});

describe('a JSON answer that is not UTF-8', () => {
  const body = Buffer.concat([Buffer.from('{"id":42,"sessionid":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);

  it('does not parse, and the error names the byte offset', () => {
    const parsed = parseResponse({ status: 200, headers: { 'content-type': 'application/json' }, body });
    expect(parsed.json).toEqual({ ok: false, error: expect.stringContaining('at byte offset 22') });
  });

  it('fails response-schema-conformance against a real server instead of passing', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
      res.end(body);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const result = await runContract({
      spec: 'schema/openapi.yaml',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: 'utf8-token-4411',
      cases: 1,
      maxRequests: 2,
      ratePerSecond: 1000,
      seed: 1,
      checks: ['response-schema-conformance'],
    });
    const results = result.outcomes.filter((o) => o.sent).flatMap((o) => o.results);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.status).toBe('failed');
      expect(r.problems[0].message).toMatch(/not valid JSON \(the bytes are not valid UTF-8: invalid byte 0xff at byte offset 22\)/);
    }
  });
});
