import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import { enterDelay } from '../mock/delay-gate.js';
import type { Gate } from '../mock/limits.js';
import type { MockAnswer } from '../mock/mock-answer.js';
import type { ProblemContext } from '../mock/problem-answer.js';
import { writeAnswer } from './write-answer.js';


/** Waits `ms` milliseconds; the timer keeps the process alive, so a script awaiting a delayed answer gets it. */
export async function wait(ms: number): Promise<void> {
  if (ms > 0) await sleep(ms);
}

/** What a delayed answer needs: the gate counting delays in flight and a way to let go of the request body. */
export interface DelayContext {
  delays: Gate;
  /** Drops every reference the request holds to its body (raw text, parsed value), keeping what the journal needs. */
  release: () => void;
  /** The operation whose declared errors the gate's 503 follows. */
  problem?: ProblemContext;
}

/**
 * Sends `answer` after `ms`. The answer is built before the wait and the body let go of, so a slow answer
 * costs a timer, not a parsed body; past the gate's capacity the request gets the core's 503 problem at once.
 * A client that goes away ends its wait early and frees its place.
 */
export async function delayThen<T>(reply: FastifyReply, ms: number, context: DelayContext, answer: () => T): Promise<T | FastifyReply> {
  if (ms <= 0) return answer();
  const refusal = enterDelay(context.delays, ms, context.problem);
  if (refusal) return writeAnswer(reply, refusal as MockAnswer);
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
    context.delays.leave();
  }
  return answer();
}
