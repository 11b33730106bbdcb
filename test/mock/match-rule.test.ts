import { describe, expect, it } from 'vitest';
import { compileMatch, type RequestView } from '../../src/mock/match-rule.js';

function view(parts: Partial<Omit<RequestView, 'cookies'>> & { cookies?: Record<string, string> } = {}): RequestView {
  return { body: parts.body, query: parts.query ?? {}, headers: parts.headers ?? {}, cookies: () => parts.cookies ?? {}, ...(parts.session ? { session: parts.session } : {}) };
}

describe('compileMatch', () => {
  it('tests body fields by JSON pointer with equals, deep equals, regex and exists', () => {
    const body = { data: { code: 'x-1', n: 5, tags: ['a', 'b'], 'a/b': true } };
    expect(compileMatch({ body: { '/data/code': 'x-1' } })(view({ body }))).toBe(true);
    expect(compileMatch({ body: { '/data/tags': { equals: ['a', 'b'] } } })(view({ body }))).toBe(true);
    expect(compileMatch({ body: { '/data/tags/1': 'b', '/data/a~1b': true } })(view({ body }))).toBe(true);
    expect(compileMatch({ body: { '/data/n': { regex: '^\\d$' } } })(view({ body }))).toBe(true);
    expect(compileMatch({ body: { '/data/n': '5' } })(view({ body }))).toBe(false);
    expect(compileMatch({ body: { '/data/missing': { exists: false }, '/data': { exists: true } } })(view({ body }))).toBe(true);
    expect(compileMatch({ body: { '/data/code': { regex: 'X', flags: 'gi' } } })(view({ body }))).toBe(true);
  });

  it('tests the session state: dead is expired or unknown, and no state never matches', () => {
    const states = ['live', 'expired', 'unknown', 'missing', undefined] as const;
    const matching = (session: 'live' | 'dead' | 'expired' | 'unknown') => states.filter((s) => compileMatch({ session })(view({ ...(s ? { session: s } : {}) })));
    expect(matching('dead')).toEqual(['expired', 'unknown']);
    expect(matching('live')).toEqual(['live']);
    expect(matching('expired')).toEqual(['expired']);
    expect(matching('unknown')).toEqual(['unknown']);
    expect(compileMatch({ session: 'dead', headers: { 'x-case': 'a' } })(view({ session: 'expired', headers: { 'x-case': 'b' } }))).toBe(false);
  });

  it('needs every matcher of every part to hold', () => {
    const test = compileMatch({ body: { '/code': 'a' }, headers: { 'X-Case': 'one' } });
    expect(test(view({ body: { code: 'a' }, headers: { 'x-case': 'one' } }))).toBe(true);
    expect(test(view({ body: { code: 'a' }, headers: { 'x-case': 'two' } }))).toBe(false);
  });

  it('compares query, header and cookie values as text and accepts any of repeated values', () => {
    expect(compileMatch({ query: { limit: 10 } })(view({ query: { limit: 10 } }))).toBe(true);
    expect(compileMatch({ query: { tag: 'dog' } })(view({ query: { tag: ['cat', 'dog'] } }))).toBe(true);
    expect(compileMatch({ cookies: { ab: { regex: '^b' } } })(view({ cookies: { ab: 'beta' } }))).toBe(true);
    expect(compileMatch({ cookies: { ab: { exists: true } } })(view())).toBe(false);
  });

  it('parses cookies only when a rule asks for one', () => {
    let parsed = 0;
    const v: RequestView = { body: { code: 'a' }, query: {}, headers: {}, cookies: () => (parsed++, {}) };
    compileMatch({ body: { '/code': 'a' } })(v);
    expect(parsed).toBe(0);
  });
});
