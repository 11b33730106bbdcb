import type { FastifyReply } from 'fastify';
import { contentTypeHeader } from './build-payload.js';
import { findResponse, type CompiledOperation, type CompiledResponse } from '../mock/compile-operation.js';
import { mergeOver } from '../mock/fixture.js';
import { headerText } from '../mock/header-text.js';
import { concreteContentType } from '../mock/negotiate-media-type.js';
import { problemContentType, type Problem } from '../mock/problem.js';
import { hashSeed } from '../mock/request-seed.js';

/** Route config that lets a problem honour the operation's own declared error responses. */
export interface ProblemRouteConfig {
  iwkit?: { op: CompiledOperation; now: number };
}

declare module 'fastify' {
  interface FastifyContextConfig extends ProblemRouteConfig {}
}


/** The headers the declared response documents (some are required), like any answer of that status carries. */
function sendDeclaredHeaders(reply: FastifyReply, declared: CompiledResponse, body: Problem, now: number): void {
  for (const h of declared.headers) {
    try {
      reply.header(h.name, headerText(h.generate({ seed: hashSeed(body.status, h.name), now })));
    } catch {
      // A header the schema cannot produce is left out; the problem itself still goes.
    }
  }
}

/**
 * Sends one of the mock's own errors. Where the operation declares a response for that status
 * (exactly, by range or as `default`), the answer follows the contract: the problem itself when it
 * fits the declared schema, else the problem merged with a body generated from that schema, else the
 * generated body alone; the detail always travels in `iwkit-problem` too.
 */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  reply.code(body.status).header('iwkit-scenario', `problem:${body.status}`);
  const context = (reply.request.routeOptions?.config as ProblemRouteConfig | undefined)?.iwkit;
  const declared = context && findResponse(context.op.responses, body.status);
  const media = declared && (declared.media.find((m) => m.validator) ?? declared.media[0]);
  if (context && declared) sendDeclaredHeaders(reply, declared, body, context.now);
  if (!context || !media) return reply.header('content-type', problemContentType).send(JSON.stringify(body));

  const contentType = concreteContentType(media.contentType);
  reply.header('content-type', contentTypeHeader(contentType));
  reply.header('iwkit-problem', headerText(body.detail));
  if (/problem\+json/i.test(contentType) || !media.validator) return reply.send(JSON.stringify(body));
  let fitting: unknown;
  try {
    const generated = media.generate?.({ seed: hashSeed(body.status, body.detail), now: context.now });
    const candidates = [body, mergeOver(generated, body), mergeOver(body, generated)];
    fitting = candidates.find((c) => media.validator!.check(c)) ?? generated;
  } catch {
    // The mock's own error must always reach the client: when the declared schema cannot be honoured, the plain problem.
    return reply.header('content-type', problemContentType).send(JSON.stringify(body));
  }
  return reply.send(typeof fitting === 'string' && !/json/i.test(contentType) ? fitting : JSON.stringify(fitting));
}
