import { limitProblem, type Gate } from './limits.js';
import type { MockAnswer } from './mock-answer.js';
import { problemAnswer, type ProblemContext } from './problem-answer.js';

/**
 * Takes a place among the answers waiting out a delay. Past the gate's capacity the answer is a 503
 * problem to send at once, with a Retry-After; otherwise undefined, and the caller leaves the gate after its wait.
 */
export function enterDelay(delays: Gate, ms: number, context?: ProblemContext): MockAnswer | undefined {
  if (delays.enter()) return undefined;
  const refusal = problemAnswer(limitProblem(503, 'maxDelayed', delays.capacity, `${delays.capacity} delayed requests are already waiting`), context);
  refusal.headers['retry-after'] = String(Math.max(1, Math.ceil(ms / 1000)));
  return refusal;
}
