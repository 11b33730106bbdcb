// The login contract (schema/openapi.yaml) plus one operation its session protects, `GET /api/opendata/session`
// (getSession), asking for the same x-session-token apiKey: the smallest spec where a login's sessionid is used.
import { readFile } from 'node:fs/promises';
import { load } from 'js-yaml';

/** The session operation's path. */
export const sessionPath = '/api/opendata/session';

/** The login's path. */
export const loginPath = '/api/opendata/instagram/login';

/** The login contract with getSession added; `with401` adds a declared 401 answer of its own. */
export async function sessionContract(with401 = false): Promise<Record<string, any>> {
  const spec = load(await readFile('schema/openapi.yaml', 'utf8')) as Record<string, any>;
  spec.paths[sessionPath] = {
    get: {
      operationId: 'getSession',
      summary: 'The current session',
      security: [{ sessionToken: [] }],
      responses: {
        '200': {
          description: 'The session',
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/Session' },
              examples: { 'invalid-session': { summary: 'A session that is no longer valid', value: { valid: false } } },
            },
          },
        },
        ...(with401 ? { '401': { description: 'Not logged in', content: { 'application/json': { schema: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } } } } } } : {}),
      },
    },
  };
  return spec;
}
