import { describe, expect, it } from 'vitest';
import { responseSchemaConformance } from '../../../src/contract/checks/response-schema-conformance.js';
import { answer, checkContext, operation } from './check-context.js';

describe('response-schema-conformance', () => {
  it('passes a body that matches the documented schema', () => {
    expect(responseSchemaConformance.run(checkContext(operation(), answer(200, { id: 1, name: 'a' })))?.status).toBe('passed');
  });

  it('fails a body that breaks the schema, naming the pointer', () => {
    const verdict = responseSchemaConformance.run(checkContext(operation(), answer(200, { id: 'one', name: 'a' })));
    expect(verdict?.status).toBe('failed');
    expect(verdict?.problems.map((p) => p.pointer)).toContain('/id');
  });

  it('fails a body that is not JSON', () => {
    const verdict = responseSchemaConformance.run(checkContext(operation(), answer(200, '{"id":', 'application/json')));
    expect(verdict?.problems[0].message).toMatch(/^the body is not valid JSON/);
  });

  it('skips a media type the status does not document', () => {
    expect(responseSchemaConformance.run(checkContext(operation(), answer(200, 'x', 'text/plain')))?.status).toBe('skipped');
  });

  it('does not apply to HEAD', () => {
    const op = operation(undefined, { method: 'head' });
    expect(responseSchemaConformance.run(checkContext(op, answer(200, { id: 1, name: 'a' })))).toBeUndefined();
  });
});
