import type { FastifyRequest } from 'fastify';
import type { MockRuntime as CoreRuntime } from '../mock/mock-runtime.js';
import type { FaultRetries } from './fault-retries.js';
import type { ReplayFront } from './replay-front.js';

/** The core's runtime plus what only the Fastify adapter needs: the journal's hooks and the browser re-send memory. */
export interface MockRuntime extends CoreRuntime {
  /** Keeps what the journal records of a request's body before the body is let go of (during a delay). */
  keepBody?: (request: FastifyRequest) => void;
  /** Journals a request whose reply a fault took over (Fastify's onResponse does not run for it). */
  recordFault?: (request: FastifyRequest, status: number | null, scenario: string) => void;
  /** Requests a connection fault dropped on a reused connection, whose browser re-send gets the fault again. */
  faultRetries?: FaultRetries;
  /** Answers identical requests again before Fastify (absent where delays, an error rate or state make answers vary). */
  replay?: ReplayFront;
}
