import type { TSchema } from '@sinclair/typebox';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import { isHeaderName, isHeaderValue } from './header-text.js';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { toolkitError } from '../errors.js';
import { hasScenario } from './choose-response.js';
import { findResponse, type CompiledOperation } from './compile-operation.js';
import { delayFromValue, type DelayRange } from './delay.js';
import { compileMatch, pointerTokens, ruleRegExp, type RequestTest } from './match-rule.js';
import { pointerFitsSchema } from './schema-at-pointer.js';
import { AnswerSchema, MatcherSchema, OverrideSchema, RuleSchema, type FaultKind, type OverrideInput, type RuleMatch, type ScenarioRule } from './scenario-rules.js';

/** A location inside a rules source: `['rules', 2, 'respond', 'delay']`. */
export type RulePath = (string | number)[];

/** What rules are checked against, and how a position is named in errors (`scenarios.yaml:12:9`). */
export interface RuleContext {
  operations: ReadonlyMap<string, CompiledOperation>;
  references: TSchema[];
  locate: (path: RulePath) => string;
}

/** A rule's answer, checked and ready to use. */
export interface CompiledAnswer {
  status?: number;
  fixture?: string;
  /** True when the rule gives a verbatim body (which may be `null`). */
  hasBody: boolean;
  body?: unknown;
  merge?: unknown;
  headers?: Record<string, string>;
  delay?: DelayRange;
  fault?: FaultKind;
  /** The edge profile generated data follows for this rule. */
  edge?: EdgeProfile;
}

/** A rule or override, compiled: a request test, an answer and a use counter. */
export interface CompiledRule {
  name: string;
  /** How answers it gives are labelled (`iwkit-scenario` header, journal): `rule:expired`, `override:o3`. */
  label: string;
  operationId?: string;
  matches: RequestTest;
  answer: CompiledAnswer;
  /** How many uses it has; undefined means unlimited (until reset). */
  times?: number;
  used: number;
  /** The rule as written, for listings. */
  definition: ScenarioRule;
}

function fail(ctx: RuleContext, path: RulePath, message: string): never {
  throw toolkitError('IWKIT_ERR_SCENARIO_INVALID', ctx.locate(path), message);
}

function describeError(error: ValueError, key: string | undefined): string {
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const allowed = Object.keys((error.schema as { properties?: Record<string, unknown> }).properties ?? {});
    return `unknown key "${key}"${allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ''}`;
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) return `"${key}" is required`;
  if (error.schema === MatcherSchema) return 'a matcher is a value to equal, { equals: value }, { regex: "...", flags?: "i" } or { exists: true|false }';
  if (error.schema === AnswerSchema.properties.delay) return 'a delay is milliseconds (3000) or a range [min, max]';
  if (error.schema === AnswerSchema.properties.fault) return 'fault is one of reset, empty, truncated, malformed, contract';
  return error.message;
}

function checkShape(schema: TSchema, value: unknown, path: RulePath, ctx: RuleContext): void {
  const errors = [...Value.Errors(schema, value)];
  // A misspelt key also makes the real one "missing": name the misspelling, it is the actual mistake.
  const first = errors.find((e) => e.type === ValueErrorType.ObjectAdditionalProperties) ?? errors[0];
  if (!first) return;
  const tokens = first.path === '' ? [] : first.path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const where = [...path, ...tokens.map((t) => (/^\d+$/.test(t) ? Number(t) : t))];
  fail(ctx, where, describeError(first, tokens.at(-1)));
}

function checkMatch(match: RuleMatch | undefined, op: CompiledOperation | undefined, path: RulePath, ctx: RuleContext): void {
  if (!match) return;
  for (const part of ['body', 'query', 'headers', 'cookies'] as const) {
    for (const [name, matcher] of Object.entries(match[part] ?? {})) {
      const where = [...path, 'match', part, name];
      if (typeof matcher === 'object' && matcher !== null && 'regex' in matcher) {
        try {
          ruleRegExp(matcher.regex, matcher.flags);
        } catch (error) {
          fail(ctx, where, `bad regex: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (part !== 'body') continue;
      if (name !== '' && !name.startsWith('/')) fail(ctx, where, `"${name}" is not a JSON pointer; write it as /${name.replace(/\./g, '/')}`);
      if (!op) fail(ctx, where, 'a body matcher needs an operationId, so its field can be checked against the request schema');
      if (op.bodies.length === 0) fail(ctx, where, `${op.operation.operationId} takes no request body`);
      const tokens = pointerTokens(name);
      if (!op.bodies.some((b) => pointerFitsSchema(b.schema, tokens, ctx.references))) {
        fail(ctx, where, `the request body of ${op.operation.operationId} has no field ${name}`);
      }
    }
  }
}

function checkAnswer(rule: ScenarioRule, op: CompiledOperation | undefined, path: RulePath, ctx: RuleContext): CompiledAnswer {
  const respond = rule.respond;
  const at = (key: string): RulePath => [...path, 'respond', key];
  const hasBody = Object.prototype.hasOwnProperty.call(respond, 'body');
  if (hasBody && respond.merge !== undefined) fail(ctx, at('merge'), 'give either body (sent verbatim) or merge (merged over the usual body), not both');
  if (hasBody && respond.fixture !== undefined) fail(ctx, at('body'), 'give either body or fixture, not both');
  if (respond.fixture !== undefined) {
    if (!op) fail(ctx, at('fixture'), 'a fixture needs an operationId');
    if (!hasScenario(op, respond.fixture)) {
      const known = [...op.fixtures.keys()];
      fail(ctx, at('fixture'), `${op.operation.operationId} has no fixture or example "${respond.fixture}" (fixtures: ${known.join(', ') || 'none'})`);
    }
    const fixture = op.fixtures.get(respond.fixture);
    const fixtureStatus = fixture ? (fixture.status ?? op.defaultStatus) : undefined;
    if (respond.status !== undefined && fixtureStatus !== undefined && fixtureStatus !== respond.status) {
      fail(ctx, at('status'), `fixture "${respond.fixture}" answers ${fixtureStatus}, not ${respond.status}`);
    }
    if (respond.status !== undefined && !fixture && !findResponse(op.responses, respond.status)?.media.some((m) => m.examples.has(respond.fixture!))) {
      fail(ctx, at('status'), `response ${respond.status} of ${op.operation.operationId} has no example "${respond.fixture}"`);
    }
  }
  for (const [name, value] of Object.entries(respond.headers ?? {})) {
    if (!isHeaderName(name)) fail(ctx, [...at('headers'), name], `"${name}" is not a valid header name`);
    if (!isHeaderValue(value)) fail(ctx, [...at('headers'), name], 'a header value cannot hold line breaks, control or non-Latin-1 characters');
  }
  let delay: DelayRange | undefined;
  if (respond.delay !== undefined) {
    const parsed = delayFromValue(respond.delay);
    if (typeof parsed === 'string') fail(ctx, at('delay'), parsed);
    delay = parsed;
  }
  return {
    status: respond.status,
    fixture: respond.fixture,
    hasBody,
    body: respond.body,
    merge: respond.merge,
    // Lower-case names, so a rule's Content-Type replaces the mock's own rather than doubling it.
    headers: respond.headers && Object.fromEntries(Object.entries(respond.headers).map(([k, v]) => [k.toLowerCase(), v])),
    delay,
    fault: respond.fault,
    ...(respond.edge ? { edge: respond.edge } : {}),
  };
}

function compileOne(rule: ScenarioRule, path: RulePath, ctx: RuleContext, name: string, label: string): CompiledRule {
  let op: CompiledOperation | undefined;
  if (rule.operationId !== undefined) {
    op = ctx.operations.get(rule.operationId);
    if (!op) fail(ctx, [...path, 'operationId'], `unknown operationId "${rule.operationId}" (known: ${[...ctx.operations.keys()].join(', ')})`);
  }
  checkMatch(rule.match, op, path, ctx);
  const answer = checkAnswer(rule, op, path, ctx);
  return { name, label, operationId: rule.operationId, matches: compileMatch(rule.match), answer, times: rule.times, used: 0, definition: rule };
}

/** Checks a scenarios file's content (a list of rules or `{ rules }`) against the spec and compiles it; throws IWKIT_ERR_SCENARIO_INVALID with the position. */
export function compileRules(source: unknown, ctx: RuleContext): CompiledRule[] {
  let list: unknown;
  let base: RulePath;
  if (Array.isArray(source)) {
    list = source;
    base = [];
  } else if (typeof source === 'object' && source !== null && Array.isArray((source as { rules?: unknown }).rules)) {
    const extra = Object.keys(source).filter((k) => k !== 'rules' && k !== 'description');
    if (extra.length > 0) fail(ctx, [extra[0]], `unknown key "${extra[0]}"; a scenarios file holds "rules" (and an optional "description")`);
    list = (source as { rules: unknown[] }).rules;
    base = ['rules'];
  } else {
    fail(ctx, [], 'a scenarios file is a list of rules or an object { rules: [...] }');
  }
  const names = new Set<string>();
  return (list as unknown[]).map((raw, index) => {
    const path = [...base, index];
    checkShape(RuleSchema, raw, path, ctx);
    const rule = raw as ScenarioRule;
    const name = rule.name ?? `${base.length > 0 ? 'rules' : ''}[${index}]`;
    if (names.has(name)) fail(ctx, [...path, 'name'], `two rules are named "${name}"`);
    names.add(name);
    return compileOne(rule, path, ctx, name, `rule:${name}`);
  });
}

/** Checks and compiles one run-time override; `id` names it when it has no name of its own. */
export function compileOverride(source: unknown, ctx: RuleContext, id: string): CompiledRule & { client?: string } {
  checkShape(OverrideSchema, source, [], ctx);
  const { client, ...rule } = source as OverrideInput;
  const name = rule.name ?? id;
  return { ...compileOne(rule, [], ctx, name, `override:${name}`), client };
}
