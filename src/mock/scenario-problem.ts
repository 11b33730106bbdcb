import { problem, type Problem } from './problem.js';
import { statusTitles } from './status-titles.js';

// A rule may answer with a status the spec does not declare (a 401 or 503 the tester wants to see);
// without a body of its own, such an answer is an RFC 9457 problem named like the status.

/** The problem body a scripted answer with `status` gets when it has no body; `label` says which rule asked for it. */
export function scenarioProblem(status: number, label: string): Problem {
  const [slug, title] = statusTitles[status]?.name ?? [`status-${status}`, `HTTP ${status}`];
  return { ...problem(status, `${title} (scripted by iwkit ${label})`), type: `urn:iwkit:scenario:${slug}`, title };
}
