import { describe, expect, it } from 'vitest';
import { Journal, type JournalEntry } from '../../src/mock/journal.js';
import { createRequestRedactor } from '../../src/mock/redact-request.js';

const entry = (client: string | undefined, operationId: string): Omit<JournalEntry, 'id'> => ({
  time: new Date(0).toISOString(), ...(client ? { client } : {}), operationId, method: 'GET', path: '/', query: {}, headers: {}, status: 200, durationMs: 1,
});

describe('the journal', () => {
  it('keeps the last entries up to its capacity, oldest first', () => {
    const journal = new Journal(10);
    for (let i = 0; i < 100; i++) journal.record(entry(undefined, `op${i}`));
    expect(journal.list().map((e) => e.operationId)).toEqual(Array.from({ length: 10 }, (_, i) => `op${90 + i}`));
  });

  it('filters and clears by client (null: entries without one) and by operation', () => {
    const journal = new Journal();
    journal.record(entry('a', 'x'));
    journal.record(entry('b', 'x'));
    journal.record(entry(undefined, 'y'));
    expect(journal.list({ client: 'a' })).toHaveLength(1);
    expect(journal.list({ client: null }).map((e) => e.operationId)).toEqual(['y']);
    expect(journal.list({ operationId: 'x' })).toHaveLength(2);
    expect(journal.list({ limit: 1 }).map((e) => e.operationId)).toEqual(['y']);
    expect(journal.clear({ client: 'b' })).toBe(1);
    expect(journal.list()).toHaveLength(2);
  });

  it('redacts credential headers, the spec apiKey names and apiKey query values', () => {
    const redact = createRequestRedactor(['x-api-key'], ['api_key']);
    expect(redact.headers({ Authorization: 'Bearer s', 'x-api-key': 'k', cookie: 'a=b', 'x-session-token': 't', accept: '*/*' })).toEqual({
      Authorization: '[redacted]', 'x-api-key': '[redacted]', cookie: '[redacted]', 'x-session-token': '[redacted]', accept: '*/*',
    });
    expect(redact.query({ api_key: 'k', page: '2' })).toEqual({ api_key: '[redacted]', page: '2' });
  });
});
