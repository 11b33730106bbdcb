import { describe, expect, it } from 'vitest';
import { findResponse } from '../../src/mock/compile-operation.js';
import { compiledThing } from './core-fixture.js';

describe('compileOperation', () => {
  it('answers the lowest declared 2xx by default and keeps the responses in spec order', () => {
    const op = compiledThing();
    expect(op.defaultStatus).toBe(200);
    expect(op.responses.map((r) => r.spec.status)).toEqual(['200', '404', '5XX']);
  });

  it('validates JSON media only, and keeps each media type’s examples by name', () => {
    const [json, csv] = compiledThing().responses[0].media;
    expect(json.validator?.check({ id: 1, name: 'one' })).toBe(true);
    expect(json.validator?.check({ id: 'x' })).toBe(false);
    expect(csv.validator).toBeUndefined();
    expect([...json.examples.keys()]).toEqual(['first', 'second']);
  });

  it('generates bodies its own validator accepts', () => {
    const [json] = compiledThing().responses[0].media;
    expect(json.validator?.check(json.generate?.({ seed: 7, now: 0 }))).toBe(true);
  });

  it('refuses a fixture whose status the operation does not declare', () => {
    expect(() => compiledThing([{ name: 'teapot', file: 'teapot.json', status: 418, body: {} }])).toThrow(/status 418 is not declared/);
  });

  it('finds a declared response by exact code, then range', () => {
    const op = compiledThing();
    expect(findResponse(op.responses, 503)?.spec.status).toBe('5XX');
    expect(findResponse(op.responses, 201)).toBeUndefined();
  });
});
