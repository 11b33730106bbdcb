import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ValidationIssue } from '../openapi/compile-validator.js';
import { createOperationAnswerer } from '../mock/answer-operation.js';
import type { CompiledOperation } from '../mock/compile-operation.js';
import type { MockAnswer, MockRequest as CoreRequest } from '../mock/mock-answer.js';
import { applyFault, dropRetry } from './apply-fault.js';
import { retryKey } from './fault-retries.js';
import type { MockRuntime } from './mock-runtime.js';
import type { RoutePath } from './route-path.js';
import { delayThen, type DelayContext } from './wait.js';
import { labelReply, writeAnswer } from './write-answer.js';

export type { MockRuntime } from './mock-runtime.js';
export { clientHeader } from '../mock/client-header.js';

/** The raw text of a request body (bytes as a binary string, multipart as its parts), kept by the body parsers for seeding. */
export const rawBodyKey = Symbol('iwkit.rawBody');

/** How the raw text of a body came from its bytes: UTF-8 text, or one character per byte. */
export type RawEncoding = 'utf8' | 'latin1';

/** The body parsers' {@link RawEncoding} of the raw text; absent (multipart) where the bytes cannot be had again. */
export const rawEncodingKey = Symbol('iwkit.rawEncoding');

/** Problems the body parsers found while decoding a form (forbidden names), reported with the validation errors. */
export const bodyIssuesKey = Symbol('iwkit.bodyIssues');

type MockRequest = FastifyRequest & { [rawBodyKey]?: string; [bodyIssuesKey]?: ValidationIssue[] };

/** Lets go of everything a request holds of its body, once the answer is built (before a delay). */
function releaseBody(runtime: MockRuntime, request: MockRequest, view: CoreRequest): void {
  runtime.keepBody?.(request);
  request.body = undefined;
  view.body = undefined;
  delete request[rawBodyKey];
  delete request[bodyIssuesKey];
}

/** The core's view of a Fastify request; params by the spec's names. */
function requestView(request: MockRequest, routePath: RoutePath, fastifyValidatesAll: boolean): CoreRequest {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) params[routePath.names.get(key) ?? key] = value;
  return {
    method: request.method,
    url: request.url,
    path: request.url.split('?')[0],
    params,
    query: (request.query ?? {}) as Record<string, unknown>,
    headers: request.headers,
    body: request.body,
    rawBody: request[rawBodyKey],
    bodyIssues: request[bodyIssuesKey],
    // Fastify validated each part already; on any doubt, the core checks every part again.
    prevalidated: fastifyValidatesAll && !request.validationError,
  };
}

/** Builds the Fastify handler that answers one operation: the request to the core, the core's answer to the wire. */
export function createOperationHandler(op: CompiledOperation, routePath: RoutePath, runtime: MockRuntime, fastifyValidatesAll: boolean) {
  const answerOperation = createOperationAnswerer(op, runtime);
  const problem = { op, now: runtime.now };

  return async function handleOperation(request: MockRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    // A browser's silent re-send of a request a fault dropped gets the same fault (see fault-retries.ts).
    const retry = runtime.faultRetries?.size ? runtime.faultRetries.take(retryKey(request)) : undefined;
    if (retry) return dropRetry(request, reply, runtime, retry);

    const view = requestView(request, routePath, fastifyValidatesAll);
    const result = answerOperation(view);
    // Only a stateful operation answers with a promise: the plain path awaits nothing.
    const answer: MockAnswer = result instanceof Promise ? await result : result;
    labelReply(reply, answer);
    const send = (): FastifyReply | void => (answer.fault ? applyFault(request, reply, runtime, answer) : writeAnswer(reply, answer));
    if (answer.delayMs <= 0) {
      const sent = send();
      runtime.replay?.offer(request, reply, answer);
      return sent;
    }
    const delay: DelayContext = { delays: runtime.delays, release: () => releaseBody(runtime, request, view), problem };
    return delayThen(reply, answer.delayMs, delay, send);
  };
}
