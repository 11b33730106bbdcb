import { describe, expect, it } from 'vitest';
import { chooseResponse } from '../../src/mock/choose-response.js';
import { compiledThing } from './core-fixture.js';

describe('chooseResponse', () => {
  it('answers the default status with generated JSON when nothing is asked for', () => {
    const decision = chooseResponse(compiledThing(), {}, undefined);
    expect('choice' in decision && decision.choice).toMatchObject({ status: 200, contentType: 'application/json', source: { kind: 'generated' }, scenario: 'generated' });
  });

  it('picks a named example and the status that holds it', () => {
    const decision = chooseResponse(compiledThing(), { example: 'second' }, 'application/json');
    expect('choice' in decision && decision.choice).toMatchObject({ status: 200, source: { kind: 'example', name: 'second', value: { id: 2, name: 'two' } }, scenario: 'example:second' });
  });

  it('answers a non-JSON media type with its spec example unless asked for dynamic data', () => {
    const op = compiledThing();
    const example = chooseResponse(op, {}, 'text/csv');
    expect('choice' in example && example.choice.source.kind).toBe('example');
    const dynamic = chooseResponse(op, { dynamic: true }, 'text/csv');
    expect('choice' in dynamic && dynamic.choice.source.kind).toBe('generated');
  });

  it('gives a declared status without body no media', () => {
    const decision = chooseResponse(compiledThing(), { code: '404' }, undefined);
    expect('choice' in decision && decision.choice).toMatchObject({ status: 404, source: { kind: 'none' } });
  });

  it('refuses an undeclared code, an unknown example and an unacceptable media type with problems', () => {
    const op = compiledThing();
    expect(chooseResponse(op, { code: '418' }, undefined)).toMatchObject({ problem: { status: 400, available: ['200', '404', '5XX'] } });
    expect(chooseResponse(op, { example: 'third' }, undefined)).toMatchObject({ problem: { status: 400, available: ['default', 'first', 'second'] } });
    expect(chooseResponse(op, {}, 'image/png')).toMatchObject({ problem: { status: 406 } });
  });

  it('notes the edge profile generated data follows', () => {
    const decision = chooseResponse(compiledThing(), { edge: 'max' }, undefined);
    expect('choice' in decision && decision.choice).toMatchObject({ profile: 'max', scenario: 'generated; edge=max' });
  });
});
