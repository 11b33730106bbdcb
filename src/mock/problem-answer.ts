import { isJsonMediaType } from '../openapi/media-type.js';
import { contentTypeHeader } from './build-payload.js';
import { findResponse, type CompiledOperation, type CompiledResponse } from './compile-operation.js';
import { mergeOver } from './fixture.js';
import { headerText } from './header-text.js';
import type { MockAnswer } from './mock-answer.js';
import { concreteContentType } from './negotiate-media-type.js';
import { problemContentType, type Problem } from './problem.js';
import { hashSeed } from './request-seed.js';

/** The operation whose declared error responses a problem follows, and the clock its generated parts use. */
export interface ProblemContext {
  op: CompiledOperation;
  now: number;
}

/** The headers the declared response documents (some are required), like any answer of that status carries. */
function declaredHeaders(declared: CompiledResponse, body: Problem, now: number, headers: Record<string, string>): void {
  for (const h of declared.headers) {
    try {
      headers[h.name] = headerText(h.generate({ seed: hashSeed(body.status, h.name), now }));
    } catch {
      // A header the schema cannot produce is left out; the problem itself still goes.
    }
  }
}

/**
 * One of the mock's own errors as an answer. Where the operation declares a response for that status
 * (exactly, by range or as `default`), the answer follows the contract: the problem itself when it
 * fits the declared schema, else the problem merged with a body generated from that schema, else the
 * generated body alone; the detail always travels in `iwkit-problem` too.
 */
export function problemAnswer(body: Problem, context?: ProblemContext): MockAnswer {
  const scenario = `problem:${body.status}`;
  const headers: Record<string, string> = { 'iwkit-scenario': scenario };
  const answer = (text: string): MockAnswer => ({ status: body.status, headers, body: text, delayMs: 0, scenario, problem: body, operationId: context?.op.operation.operationId });
  const plain = (): MockAnswer => {
    headers['content-type'] = problemContentType;
    return answer(JSON.stringify(body));
  };
  const declared = context && findResponse(context.op.responses, body.status);
  const media = declared && (declared.media.find((m) => m.validator) ?? declared.media[0]);
  if (context && declared) declaredHeaders(declared, body, context.now, headers);
  if (!context || !media) return plain();

  const contentType = concreteContentType(media.contentType);
  headers['content-type'] = contentTypeHeader(contentType);
  headers['iwkit-problem'] = headerText(body.detail);
  if (/problem\+json/i.test(contentType) || !media.validator) return answer(JSON.stringify(body));
  let fitting: unknown;
  try {
    const generated = media.generate?.({ seed: hashSeed(body.status, body.detail), now: context.now });
    const candidates = [body, mergeOver(generated, body), mergeOver(body, generated)];
    fitting = candidates.find((c) => media.validator!.check(c)) ?? generated;
  } catch {
    // The mock's own error must always reach the client: when the declared schema cannot be honoured, the plain problem.
    return plain();
  }
  return answer(typeof fitting === 'string' && !isJsonMediaType(contentType) ? fitting : JSON.stringify(fitting));
}
