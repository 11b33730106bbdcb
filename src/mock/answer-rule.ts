import { addChoiceHeaders, contentTypeHeader, buildBody, buildPayload, serialise, toWire } from './build-payload.js';
import { chooseResponse } from './choose-response.js';
import { findResponse, type CompiledMedia, type CompiledOperation } from './compile-operation.js';
import type { CompiledRule } from './compile-rules.js';
import { delayFrom } from './delay.js';
import { breakContract, malformJson } from './fault-bodies.js';
import { mergeOver, type FixtureRequest } from './fixture.js';
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

/** An answer being built from a rule: what the spec (or the rule's own status) gives, before the rule's body and faults. */
interface RuleDraft {
  status: number;
  headers: Record<string, string>;
  contentType?: string;
  payload?: string;
  body?: unknown;
  media?: CompiledMedia;
}

/** A status the spec does not declare: the tester asked for it, so it is sent, with a problem body unless the rule gives one. */
function undeclaredDraft(rule: CompiledRule, status: number): RuleDraft {
  if (rule.answer.hasBody) return { status, headers: {} };
  return { status, headers: {}, body: mergeOver(scenarioProblem(status, rule.label), rule.answer.merge), contentType: problemContentType };
}

/** A declared response chosen with the rule's status and fixture in charge: its headers, and its body unless the rule gives one. */
function declaredDraft(s: ScriptedRequest): RuleDraft | { problem: MockAnswer } {
  const { op, rule, runtime } = s;
  const answer = rule.answer;
  const decision = chooseResponse(op, rulePreferences(s.preferences, rule), s.accept);
  if ('problem' in decision) return { problem: problemAnswer(decision.problem, { op, now: runtime.now }) };
  const { choice } = decision;
  const draft: RuleDraft = { status: choice.status, headers: {}, media: choice.media, contentType: choice.contentType ? contentTypeHeader(choice.contentType) : undefined };
  // A verbatim body (applyRuleBody) keeps its own form whatever the spec declares.
  if (!answer.hasBody && (answer.merge !== undefined || answer.fault === 'contract')) draft.body = mergeOver(buildBody(op, choice, s.seed, runtime, s.fixtureRequest), answer.merge);
  else if (!answer.hasBody) draft.payload = buildPayload(op, choice, s.seed, runtime, s.fixtureRequest);
  addChoiceHeaders(draft.headers, choice, s.seed, runtime.now);
  return draft;
}

/** The rule's own body and its body faults over the draft: verbatim text or JSON, a broken contract, malformed JSON. */
function applyRuleBody(draft: RuleDraft, answer: CompiledRule['answer']): void {
  if (answer.hasBody) {
    // Verbatim: a string goes out as text (an HTML error page from a proxy, say), anything else as JSON.
    draft.body = answer.body;
    draft.contentType = typeof draft.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    draft.payload = typeof draft.body === 'string' ? draft.body : serialise(draft.body, draft.contentType);
  }
  if (answer.fault === 'contract') {
    const validator = draft.media?.validator;
    draft.body = breakContract(draft.body, (value) => (validator ? validator.check(value) : false));
    draft.contentType = draft.contentType && carriesJson(draft.contentType) ? draft.contentType : 'application/json; charset=utf-8';
    draft.payload = JSON.stringify(draft.body);
  }
  if (draft.payload === undefined && (draft.body !== undefined || answer.hasBody)) draft.payload = serialise(draft.body, draft.contentType);
  if (answer.fault === 'malformed') {
    draft.payload = malformJson(draft.payload ?? '');
    draft.contentType ??= 'application/json; charset=utf-8';
  }
}

/** Answers a request the way a rule or override says: status, fixture or body, headers, delay, fault. */
export function answerWithRule(s: ScriptedRequest): MockAnswer {
  const { op, rule, runtime } = s;
  const answer = rule.answer;
  const delayMs = delayFrom(runtime.random, { rule: answer.delay, request: s.preferences.delay, server: runtime.delay });
  const scenario = rule.label;
  const operationId = op.operation.operationId;
  if (answer.fault === 'reset' || answer.fault === 'empty') return { status: 0, headers: {}, delayMs, fault: answer.fault, scenario, operationId };

  const draft = answer.status !== undefined && !findResponse(op.responses, answer.status) ? undeclaredDraft(rule, answer.status) : declaredDraft(s);
  if ('problem' in draft) return { ...draft.problem, delayMs, scenario };
  applyRuleBody(draft, answer);
  const { status, headers, payload, contentType } = draft;
  if (contentType && payload !== undefined) headers['content-type'] = contentType;
  Object.assign(headers, answer.headers);
  headers['iwkit-scenario'] = rule.label;
  // Half a body is cut from its text, as the client would have read it.
  if (answer.fault === 'truncated') return { status, headers, body: payload ?? '', delayMs, fault: 'truncated', scenario, operationId };
  return { status, headers, body: payload === undefined ? undefined : toWire(payload, headers['content-type']), delayMs, scenario, operationId };
}
