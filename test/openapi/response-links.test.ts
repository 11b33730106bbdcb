import { describe, expect, it } from 'vitest';
import { buildApi } from '../../src/openapi/build-api.js';
import { findSpecLinks } from '../../src/contract/flows/find-spec-links.js';

const document = {
  openapi: '3.1.0',
  info: { title: 'links', version: '1' },
  paths: {
    '/things': {
      post: {
        operationId: 'createThing',
        responses: {
          '201': {
            description: 'created',
            links: {
              GetThing: { operationId: 'getThing', parameters: { 'path.thingId': '$response.body#/id', limit: 3 } },
              Shared: { $ref: '#/components/links/DeleteThing' },
              Broken: { $ref: '#/components/links/Missing' },
            },
          },
        },
      },
    },
    '/things/{thingId}': {
      parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getThing', responses: { '200': { description: 'ok' } } },
      delete: { operationId: 'deleteThing', responses: { '204': { description: 'gone' } } },
    },
  },
  components: {
    links: { DeleteThing: { operationRef: '#/paths/~1things~1{thingId}/delete', parameters: { thingId: '$response.body#/id' } } },
  },
};

describe('response links in the operation model', () => {
  const api = buildApi(document);
  const op = (id: string) => api.operations.find((o) => o.operationId === id)!;

  it('reads each link behind its $ref, keeping expressions and leaving out constants and unresolvable references', () => {
    expect(op('createThing').responses[0].links).toEqual([
      { name: 'GetThing', operationId: 'getThing', parameters: { 'path.thingId': '$response.body#/id' } },
      { name: 'Shared', operationRef: '#/paths/~1things~1{thingId}/delete', parameters: { thingId: '$response.body#/id' } },
    ]);
    expect(op('getThing').responses[0].links).toBeUndefined();
  });

  it('lets flows find the links between two operations by operationId or operationRef', () => {
    expect(findSpecLinks(op('createThing'), op('getThing'))).toEqual({ thingId: '$response.body#/id' });
    expect(findSpecLinks(op('createThing'), op('deleteThing'))).toEqual({ thingId: '$response.body#/id' });
    expect(findSpecLinks(op('getThing'), op('deleteThing'))).toEqual({});
  });
});
