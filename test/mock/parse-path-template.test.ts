import { describe, expect, it } from 'vitest';
import { parsePathTemplate } from '../../src/mock/parse-path-template.js';

describe('parsePathTemplate', () => {
  it('splits a plain template into literal and whole-segment parameter segments', () => {
    expect(parsePathTemplate('/users/{id}/posts').segments).toEqual([
      [{ kind: 'literal', text: 'users' }],
      [{ kind: 'param', capture: 'id' }],
      [{ kind: 'literal', text: 'posts' }],
    ]);
  });

  it('keeps dotted and dashed parameter names whole', () => {
    expect(parsePathTemplate('/d/{deployment.series_name}/{event-id}').segments.slice(1)).toEqual([
      [{ kind: 'param', capture: 'deployment.series_name' }],
      [{ kind: 'param', capture: 'event-id' }],
    ]);
  });

  it('reads parameters that share a segment with fixed text', () => {
    expect(parsePathTemplate('/files/{name}.{ext}').segments[1]).toEqual([
      { kind: 'param', capture: 'name' },
      { kind: 'literal', text: '.' },
      { kind: 'param', capture: 'ext' },
    ]);
    expect(parsePathTemplate('/v1/{name}:cancel').segments[1]).toEqual([{ kind: 'param', capture: 'name' }, { kind: 'literal', text: ':cancel' }]);
  });

  it('expands a {name=pattern} variable over the segments its pattern spans', () => {
    expect(parsePathTemplate('/v1/{name=projects/*/files/**}').segments).toEqual([
      [{ kind: 'literal', text: 'v1' }],
      [{ kind: 'literal', text: 'projects', capture: 'name', spans: true }],
      [{ kind: 'param', capture: 'name', spans: true }],
      [{ kind: 'literal', text: 'files', capture: 'name', spans: true }],
      [{ kind: 'rest', capture: 'name', spans: true }],
    ]);
  });

  it('separates a key\'s ?query and #fragment tails from its path', () => {
    const t = parsePathTemplate('/items/{id}?action=archive&dry+run=a%20b&flag#second');
    expect(t.segments).toHaveLength(2);
    expect(t.query).toEqual([['action', 'archive'], ['dry run', 'a b'], ['flag', undefined]]);
    expect(t.fragment).toBe('second');
    expect(parsePathTemplate('/files/{file_id}#get_shared_link')).toMatchObject({ query: [], fragment: 'get_shared_link' });
  });

  it('percent-decodes fixed text, keeping "+" and invalid escapes as written', () => {
    expect(parsePathTemplate('/caf%C3%A9/a+b/100%/x%2Fy').segments.map((s) => s.map((p) => (p.kind === 'literal' ? p.text : p.kind)))).toEqual([
      ['café'], ['a+b'], ['100%'], ['x/y'],
    ]);
  });

  it('marks a trailing slash as an empty last segment and "/" as one empty segment', () => {
    expect(parsePathTemplate('/a/').segments).toEqual([[{ kind: 'literal', text: 'a' }], []]);
    expect(parsePathTemplate('/').segments).toEqual([[]]);
  });
});
