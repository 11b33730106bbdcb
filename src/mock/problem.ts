import { statusTitles } from './status-titles.js';

// RFC 9457 problem details: the only shape of error the mock itself ever answers with.

/** Where an offending value sits in the request. */
export type ProblemLocation = 'body' | 'query' | 'header' | 'path' | 'cookie' | 'request';

/** One offending field: its location and JSON pointer inside that location. */
export interface ProblemFieldError {
  in: ProblemLocation;
  pointer: string;
  message: string;
}

/** An `application/problem+json` body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: ProblemFieldError[];
  [extension: string]: unknown;
}

/** The media type of every problem the mock sends. */
export const problemContentType = 'application/problem+json; charset=utf-8';

/** The 501 problem for an operation the spec declares but the mock cannot serve, saying why. */
export function unservedProblem(method: string, path: string, reason: string): Problem {
  return problem(501, `${method} ${path} is declared by the spec, but the mock cannot serve it: ${reason}`, [{ in: 'request', pointer: '', message: reason }]);
}

/** The 404 problem for a path no operation of the spec matches. */
export function notFoundProblem(method: string, path: string): Problem {
  return problem(404, `no operation of the spec matches ${method} ${path}`, [{ in: 'path', pointer: '', message: 'unknown path' }]);
}

/** Builds a problem for `status` with a human detail and the offending fields. */
export function problem(status: number, detail: string, errors: ProblemFieldError[] = [], extensions: Record<string, unknown> = {}): Problem {
  const [slug, title] = statusTitles[status]?.own ?? (status >= 500 ? ['internal-error', 'Internal mock error'] : ['client-error', 'Client error']);
  // Every 415 says what to send instead; the mock's own routes (admin API) take JSON when the caller names nothing else.
  const told = status === 415 ? { accepted: ['application/json'], hint: 'send the body with Content-Type: application/json' } : {};
  return { type: `urn:iwkit:problem:${slug}`, title, status, detail, errors, ...told, ...extensions };
}
