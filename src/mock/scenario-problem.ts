import { problem, type Problem } from './problem.js';

// A rule may answer with a status the spec does not declare (a 401 or 503 the tester wants to see);
// without a body of its own, such an answer is an RFC 9457 problem named like the status.

const names: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  408: ['request-timeout', 'Request timeout'],
  409: ['conflict', 'Conflict'],
  410: ['gone', 'Gone'],
  422: ['unprocessable-content', 'Unprocessable content'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal-server-error', 'Internal server error'],
  502: ['bad-gateway', 'Bad gateway'],
  503: ['service-unavailable', 'Service unavailable'],
  504: ['gateway-timeout', 'Gateway timeout'],
};

/** The problem body a scripted answer with `status` gets when it has no body; `label` says which rule asked for it. */
export function scenarioProblem(status: number, label: string): Problem {
  const [slug, title] = names[status] ?? [`status-${status}`, `HTTP ${status}`];
  return { ...problem(status, `${title} (scripted by iwkit ${label})`), type: `urn:iwkit:scenario:${slug}`, title };
}
