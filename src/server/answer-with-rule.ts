import type { FastifyReply, FastifyRequest } from 'fastify';
import { chooseResponse } from '../mock/choose-response.js';
import { findResponse, type CompiledMedia, type CompiledOperation } from '../mock/compile-operation.js';
import type { CompiledRule } from '../mock/compile-rules.js';
import { breakContract, malformJson } from '../mock/fault-bodies.js';
import { mergeOver, type FixtureRequest } from '../mock/fixture.js';
import { headerText } from '../mock/header-text.js';
import { isJsonMediaType } from '../mock/negotiate-media-type.js';
import type { Preferences } from '../mock/preferences.js';
import { problemContentType } from '../mock/problem.js';
import { scenarioProblem } from '../mock/scenario-problem.js';
import { dropConnection, sendTruncated } from './apply-fault.js';
import { buildBody, buildPayload, contentTypeHeader, serialise, toWire } from './build-payload.js';
import type { MockRuntime } from './mock-runtime.js';
import { logRequest } from './request-log.js';
import { sendProblem } from './send-problem.js';
import { chooseDelay, delayThen, type DelayContext } from './wait.js';

/** Everything a scripted answer needs about the request it answers. */
export interface ScriptedRequest {
  op: CompiledOperation;
  rule: CompiledRule;
  preferences: Preferences;
  request: FastifyRequest;
  reply: FastifyReply;
  runtime: MockRuntime;
  seed: number;
  fixtureRequest: FixtureRequest;
  /** Records the label for the request log. */
  label: (scenario: string) => void;
  /** Lets go of the request body before a delay (the answer is built by then). */
  release: () => void;
}

/** The request's own preferences, with the rule's status and fixture in charge where it gives them. */
function rulePreferences(prefs: Preferences, rule: CompiledRule): Preferences {
  const { status, fixture, edge } = rule.answer;
  const withEdge = edge ? { ...prefs, edge } : prefs;
  if (status === undefined && fixture === undefined) return withEdge;
  return { ...withEdge, code: status !== undefined ? String(status) : undefined, example: fixture, fromCookie: undefined };
}

/** The request-log line Fastify's onResponse hook would write, for answers a fault takes over. */
function logFault(request: FastifyRequest, status: number | null, scenario: string): void {
  logRequest(request, status, scenario);
}

/** Answers a request the way a rule or override says: status, fixture or body, headers, delay, fault. */
export async function answerWithRule(s: ScriptedRequest): Promise<FastifyReply | void> {
  const { op, rule, request, reply, runtime } = s;
  const answer = rule.answer;
  const ms = chooseDelay(runtime.random, answer.delay, s.preferences.delay, runtime.delay);
  s.label(rule.label);
  const fixtureRequest = s.fixtureRequest;
  const delay: DelayContext = {
    delays: runtime.delays,
    release: () => {
      s.release();
      fixtureRequest.body = undefined;
    },
  };

  if (answer.fault === 'reset' || answer.fault === 'empty') {
    return delayThen(reply, ms, delay, () => {
      runtime.recordFault?.(request, null, rule.label);
      logFault(request, null, rule.label);
      return dropConnection(request, reply, answer.fault as 'reset' | 'empty', rule.label, runtime.faultRetries);
    });
  }

  let status: number;
  let contentType: string | undefined;
  let payload: string | undefined;
  let body: unknown;
  let media: CompiledMedia | undefined;
  const headers: Record<string, string> = {};

  if (answer.status !== undefined && !findResponse(op.responses, answer.status)) {
    // A status the spec does not declare: the tester asked for it, so it is sent, with a problem body unless the rule gives one.
    status = answer.status;
    if (!answer.hasBody) {
      body = mergeOver(scenarioProblem(status, rule.label), answer.merge);
      contentType = problemContentType;
    }
  } else {
    const decision = chooseResponse(op, rulePreferences(s.preferences, rule), request.headers.accept);
    if ('problem' in decision) {
      const refusal = decision.problem;
      return delayThen(reply, ms, delay, () => sendProblem(reply, refusal));
    }
    const { choice } = decision;
    status = choice.status;
    media = choice.media;
    contentType = choice.contentType ? contentTypeHeader(choice.contentType) : undefined;
    if (answer.hasBody) {
      // Set below: a verbatim body keeps its own form whatever the spec declares.
    } else if (answer.merge !== undefined || answer.fault === 'contract') {
      body = mergeOver(buildBody(op, choice, s.seed, runtime, s.fixtureRequest), answer.merge);
    } else {
      payload = buildPayload(op, choice, s.seed, runtime, s.fixtureRequest, request.log);
    }
    for (const h of choice.response.headers) {
      const value = h.generate({ seed: s.seed, now: runtime.now });
      headers[h.name] = headerText(value);
    }
    if (choice.source.kind === 'fixture' && choice.source.fixture.headers) Object.assign(headers, choice.source.fixture.headers);
  }

  if (answer.hasBody) {
    // Verbatim: a string goes out as text (an HTML error page from a proxy, say), anything else as JSON.
    body = answer.body;
    contentType = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    payload = typeof body === 'string' ? body : serialise(body, contentType);
  }
  if (answer.fault === 'contract') {
    const validator = media?.validator;
    body = breakContract(body, (value) => (validator ? validator.check(value) : false));
    contentType = contentType && isJsonMediaType(contentType) ? contentType : 'application/json; charset=utf-8';
    payload = JSON.stringify(body);
  }
  if (payload === undefined && (body !== undefined || answer.hasBody)) payload = serialise(body, contentType);
  if (answer.fault === 'malformed') {
    payload = malformJson(payload ?? '');
    contentType ??= 'application/json; charset=utf-8';
  }
  if (contentType && payload !== undefined) headers['content-type'] = contentType;
  Object.assign(headers, answer.headers);
  headers['iwkit-scenario'] = rule.label;

  // The body and merge values were serialised above: from here on nothing needs the request body.
  body = undefined;
  const sent = payload;
  return delayThen(reply, ms, delay, () => {
    if (answer.fault === 'truncated') {
      runtime.recordFault?.(request, status, rule.label);
      logFault(request, status, rule.label);
      return sendTruncated(request, reply, status, headers, sent ?? '');
    }
    reply.code(status).headers(headers);
    return sent === undefined ? reply.send() : reply.send(toWire(sent, headers['content-type']));
  });
}
