import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import { pickDelay, type DelayRange } from '../mock/delay.js';
import { limitProblem, type Gate } from '../mock/limits.js';
import { sendProblem } from './send-problem.js';

/** Waits `ms` milliseconds; the timer keeps the process alive, so a script awaiting a delayed answer gets it. */
export async function wait(ms: number): Promise<void> {
  if (ms > 0) await sleep(ms);
}

/** The delay to apply: the rule's, else the request's `Prefer: delay=`, else the global one; 0 when none. */
export function chooseDelay(random: () => number, ...candidates: (DelayRange | undefined)[]): number {
  const range = candidates.find((c) => c !== undefined);
  return range ? pickDelay(range, random) : 0;
}

/** What a delayed answer needs: the gate counting delays in flight and a way to let go of the request body. */
export interface DelayContext {
  delays: Gate;
  /** Drops every reference the request holds to its body (raw text, parsed value), keeping what the journal needs. */
  release: () => void;
}

/**
 * Sends `answer` after `ms`. The answer is built before the wait and the body let go of, so a slow answer
 * costs a timer, not a parsed body; past the gate's capacity the request gets a 503 problem at once.
 * A client that goes away ends its wait early and frees its place.
 */
export async function delayThen<T>(reply: FastifyReply, ms: number, context: DelayContext, answer: () => T): Promise<T | FastifyReply> {
  if (ms <= 0) return answer();
  const { delays } = context;
  if (!delays.enter()) {
    reply.header('retry-after', String(Math.max(1, Math.ceil(ms / 1000))));
    return sendProblem(reply, limitProblem(503, 'maxDelayed', delays.capacity, `${delays.capacity} delayed requests are already waiting`));
  }
  context.release();
  const gone = new AbortController();
  const onClose = (): void => gone.abort();
  reply.raw.once('close', onClose);
  try {
    await sleep(ms, undefined, { signal: gone.signal });
  } catch {
    // The client went away: its answer has nowhere to go, and its place is free again below.
  } finally {
    reply.raw.off('close', onClose);
    delays.leave();
  }
  return answer();
}
