import { buildApi } from '../../src/openapi/build-api.js';
import { createFaker } from '../../src/fake/create-faker.js';
import { compileOperation, type CompiledOperation } from '../../src/mock/compile-operation.js';
import type { Fixture } from '../../src/mock/fixture.js';

// A small API compiled the way the mock compiles it at start, for unit tests of the core (no HTTP).

const thing = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } };

/** `GET /things/{id}`: a JSON 200 with two examples, a CSV alternative, a 404 without body and a 5XX range. */
export const thingsDocument = {
  openapi: '3.1.0',
  info: { title: 'things', version: '1' },
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        security: [{ key: [] }],
        responses: {
          '200': {
            description: 'found',
            content: {
              'application/json': { schema: thing, examples: { first: { value: { id: 1, name: 'one' } }, second: { value: { id: 2, name: 'two' } } } },
              'text/csv': { schema: { type: 'string' }, example: 'id,name\n1,one\n' },
            },
          },
          '404': { description: 'missing' },
          '5XX': { description: 'broken', content: { 'application/problem+json': { schema: { type: 'object' } } } },
        },
      },
    },
  },
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } } },
};

/** The compiled `getThing`, with the fixtures given. */
export function compiledThing(fixtures: Fixture[] = []): CompiledOperation {
  const api = buildApi(thingsDocument);
  return compileOperation(api, api.operations[0], fixtures, createFaker(), Date.UTC(2026, 0, 1));
}
