import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The login path every benchmark drives. */
export const loginPath = '/api/opendata/instagram/login';

/** The login as a frontend sends it: with the client's build id in the query. */
export const loginPathWithQuery = `${loginPath}?iw-build-id=web-2026.12.1`;

/** A credential for the mock; any non-empty value is accepted, and none of the benchmarks print it. */
export const benchToken = 'bench-session-token-0123456789abcdef';

/** The request body of the repeated login, as a frontend sends it (`type` is nullable in the spec). */
export const repeatedBody = JSON.stringify({ data: { code: 'IGQVJ-bench', type: null, client_id: 'web' } });

// A per-process salt keeps codes new across runs of a long-lived mock too.
const salt = Math.random().toString(36).slice(2, 10);
let counter = 0;

/** A login body with a code never sent before, so no answer can be reused. */
export function freshBody(): string {
  return JSON.stringify({ data: { code: `IGQVJ-${salt}-${counter++}`, type: null, client_id: 'web' } });
}

/** Headers of a valid login. */
export function loginHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', 'x-session-token': benchToken, ...extra };
}

/** The 200 example of the login in the spec: the body the baseline answers with. */
export function loginExample(root: string): unknown {
  const doc = parse(readFileSync(join(root, 'schema', 'openapi.yaml'), 'utf8')) as {
    paths: Record<string, { post: { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> } }>;
  };
  const examples = doc.paths[loginPath].post.responses['200'].content['application/json'].examples;
  return Object.values(examples)[0].value;
}
