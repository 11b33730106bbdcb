import { describe, expect, it } from 'vitest';
import { docsDocument, selfBaseUrl } from '../../src/server/docs-document.js';

const spec = () => ({
  openapi: '3.1.0',
  info: { title: 'T', version: '1' },
  servers: [
    { url: 'https://api.example.test', description: 'production' },
    { url: 'http://127.0.0.1:4010/', description: 'local mock' },
  ],
  paths: {
    '/login': {
      post: { operationId: 'login', responses: { '200': { description: 'ok' } } },
    },
    '/regional': {
      servers: [{ url: 'https://eu.example.test' }],
      get: {
        operationId: 'regional',
        servers: [{ url: 'https://eu2.example.test' }],
        parameters: [{ $ref: '#/components/parameters/Prefer' }],
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  components: { parameters: { Prefer: { name: 'prefer', in: 'header', schema: { type: 'string' } } } },
});

describe('docsDocument', () => {
  it('lists the mock first and keeps the documented servers after it', () => {
    const doc = docsDocument(spec(), 'http://localhost:9999');
    expect((doc.servers as { url: string }[]).map((s) => s.url)).toEqual([
      'http://localhost:9999',
      'https://api.example.test',
      'http://127.0.0.1:4010/',
    ]);
  });

  it('drops a documented server that is the mock itself, so the dropdown has no duplicate', () => {
    const doc = docsDocument(spec(), 'http://127.0.0.1:4010');
    expect((doc.servers as { url: string }[]).map((s) => s.url)).toEqual(['http://127.0.0.1:4010', 'https://api.example.test']);
  });

  it('puts the mock first in path- and operation-level servers too, which override the root list in the UI', () => {
    const doc = docsDocument(spec(), '/') as { paths: Record<string, { servers: { url: string }[]; get: { servers: { url: string }[] } }> };
    expect(doc.paths['/regional'].servers.map((s) => s.url)).toEqual(['/', 'https://eu.example.test']);
    expect(doc.paths['/regional'].get.servers.map((s) => s.url)).toEqual(['/', 'https://eu2.example.test']);
  });

  it('gives a document without servers the mock as its only server', () => {
    const { servers: _servers, ...bare } = spec();
    expect(docsDocument(bare, '/').servers).toEqual([{ url: '/', description: expect.stringContaining('iwkit mock') }]);
  });

  it('adds an optional Prefer header to operations that do not declare one, even through a $ref', () => {
    const doc = docsDocument(spec(), '/') as { paths: Record<string, Record<string, { parameters?: { name?: string; $ref?: string; required?: boolean }[] }>> };
    const login = doc.paths['/login'].post.parameters ?? [];
    expect(login).toEqual([expect.objectContaining({ name: 'Prefer', in: 'header', required: false, 'x-iwkit': true })]);
    expect(doc.paths['/regional'].get.parameters).toEqual([{ $ref: '#/components/parameters/Prefer' }]);
  });

  it('leaves the document it was given untouched', () => {
    const original = spec();
    const before = JSON.stringify(original);
    docsDocument(original, 'http://localhost:1');
    expect(JSON.stringify(original)).toBe(before);
  });
});

describe('selfBaseUrl', () => {
  it('builds the base URL from the protocol and Host header the browser used', () => {
    expect(selfBaseUrl('http', '127.0.0.1:4010')).toBe('http://127.0.0.1:4010');
    expect(selfBaseUrl('https', 'mock.internal')).toBe('https://mock.internal');
    expect(selfBaseUrl('http', '[::1]:4010')).toBe('http://[::1]:4010');
  });

  it('falls back to the same-origin URL "/" for a missing or crafted Host header', () => {
    expect(selfBaseUrl('http', undefined)).toBe('/');
    expect(selfBaseUrl('http', 'evil.test/"><script>')).toBe('/');
    expect(selfBaseUrl('http', 'a b')).toBe('/');
    expect(selfBaseUrl('gopher', 'localhost')).toBe('/');
  });
});
