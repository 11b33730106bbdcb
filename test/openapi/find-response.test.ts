import { describe, expect, it } from 'vitest';
import type { Operation, ResponseSpec } from '../../src/openapi/api-model.js';
import { findByStatus, findResponseSpec, statusMatches } from '../../src/openapi/find-response.js';

const response = (status: string): ResponseSpec => ({ status, description: status, headers: [], content: [] });
const operation = (...statuses: string[]): Operation => ({
  operationId: 'op',
  operationIdDerived: false,
  method: 'get',
  path: '/x',
  tags: [],
  deprecated: false,
  parameters: [],
  responses: statuses.map(response),
  security: [],
});

describe('findResponseSpec', () => {
  it('prefers the exact code, then its range, then default', () => {
    const op = operation('404', '4XX', 'default');
    expect(findResponseSpec(op, 404)?.status).toBe('404');
    expect(findResponseSpec(op, 400)?.status).toBe('4XX');
    expect(findResponseSpec(op, 500)?.status).toBe('default');
  });

  it('reads ranges in either case and finds nothing when nothing covers the status', () => {
    expect(findResponseSpec(operation('2xx'), 201)?.status).toBe('2xx');
    expect(findResponseSpec(operation('200', '4XX'), 500)).toBeUndefined();
  });

  it('finds items of any shape through their response key', () => {
    const items = [{ spec: response('default') }, { spec: response('201') }];
    expect(findByStatus(items, 201, (i) => i.spec.status)).toBe(items[1]);
  });
});

describe('statusMatches', () => {
  it('covers a status by code, range or default', () => {
    expect(statusMatches('200', 200)).toBe(true);
    expect(statusMatches('2XX', 204)).toBe(true);
    expect(statusMatches('default', 503)).toBe(true);
    expect(statusMatches('2XX', 304)).toBe(false);
    expect(statusMatches('40XX', 404)).toBe(false);
  });
});
