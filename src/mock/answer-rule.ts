import { contentTypeHeader, buildBody, buildPayload, serialise, toWire } from './build-payload.js';
import { chooseResponse } from './choose-response.js';
import { findResponse, type CompiledMedia, type CompiledOperation } from './compile-operation.js';
import type { CompiledRule } from './compile-rules.js';
import { delayFrom } from './delay.js';
import { breakContract, malformJson } from './fault-bodies.js';
import { mergeOver, type FixtureRequest } from './fixture.js';
import { headerText } from './header-text.js';
import type { MockAnswer } from './mock-answer.js';
import type { MockRuntime } from './mock-runtime.js';
import { carriesJson } from './negotiate-media-type.js';
import type { Preferences } from './preferences.js';
import { problemAnswer } from './problem-answer.js';
import { problemContentType } from './problem.js';
import { scenarioProblem } from './scenario-problem.js';

/** Everything a scripted answer needs about the request it answers. */
export interface ScriptedRequest {
  op: CompiledOperation;
  rule: CompiledRule;
  preferences: Preferences;
  accept: string | undefined;
  runtime: MockRuntime;
  seed: number;
  fixtureRequest: FixtureRequest;
}

/** The request's own preferences, with the rule's status and fixture in charge where it gives them. */
function rulePreferences(prefs: Preferences, rule: CompiledRule): Preferences {
  const { status, fixture, edge } = rule.answer;
  const withEdge = edge ? { ...prefs, edge } : prefs;
  if (status === undefined && fixture === undefined) return withEdge;
  return { ...withEdge, code: status !== undefined ? String(status) : undefined, example: fixture, fromCookie: undefined };
}

/** Answers a request the way a rule or override says: status, fixture or body, headers, delay, fault. */
export function answerWithRule(s: ScriptedRequest): MockAnswer {
  const { op, rule, runtime } = s;
  const answer = rule.answer;
  const delayMs = delayFrom(runtime.random, { rule: answer.delay, request: s.preferences.delay, server: runtime.delay });
  const scenario = rule.label;
  const operationId = op.operation.operationId;

  if (answer.fault === 'reset' || answer.fault === 'empty') return { status: 0, headers: {}, delayMs, fault: answer.fault, scenario, operationId };

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
    const decision = chooseResponse(op, rulePreferences(s.preferences, rule), s.accept);
    if ('problem' in decision) return { ...problemAnswer(decision.problem, { op, now: runtime.now }), delayMs, scenario };
    const { choice } = decision;
    status = choice.status;
    media = choice.media;
    contentType = choice.contentType ? contentTypeHeader(choice.contentType) : undefined;
    if (answer.hasBody) {
      // Set below: a verbatim body keeps its own form whatever the spec declares.
    } else if (answer.merge !== undefined || answer.fault === 'contract') {
      body = mergeOver(buildBody(op, choice, s.seed, runtime, s.fixtureRequest), answer.merge);
    } else {
      payload = buildPayload(op, choice, s.seed, runtime, s.fixtureRequest);
    }
    for (const h of choice.response.headers) headers[h.name] = headerText(h.generate({ seed: s.seed, now: runtime.now }));
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
    contentType = contentType && carriesJson(contentType) ? contentType : 'application/json; charset=utf-8';
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

  // Half a body is cut from its text, as the client would have read it.
  if (answer.fault === 'truncated') return { status, headers, body: payload ?? '', delayMs, fault: 'truncated', scenario, operationId };
  return { status, headers, body: payload === undefined ? undefined : toWire(payload, headers['content-type']), delayMs, scenario, operationId };
}
