import type { TSchema } from '@sinclair/typebox';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import { isHeaderName, isHeaderValue } from './header-text.js';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import safeRegex from 'safe-regex2';
import { toolkitError, type ToolkitError } from '../errors.js';
import { hasScenario } from './choose-response.js';
import { findResponse, type CompiledOperation } from './compile-operation.js';
import { delayFromValue, type DelayRange } from './delay.js';
import { compileMatch, pointerTokens, ruleRegExp, type RequestTest } from './match-rule.js';
import { maxRegexLength, maxStoredDepth, measureValue } from './limits.js';
import { pointerFitsSchema } from './schema-at-pointer.js';
import { AnswerSchema, MatcherSchema, MatchSchema, OverrideSchema, RuleSchema, sessionConditions, type FaultKind, type OverrideInput, type RuleAnswer, type RuleMatch, type ScenarioRule } from './scenario-rules.js';

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

/** One thing wrong with a rule: where (a path in the rules source) and what. */
export interface RuleIssue {
  path: RulePath;
  message: string;
}

/** The error for a rules source or override: every issue at once, each with its path (the admin API makes pointers of them). */
export type RulesError = ToolkitError & { issues: (RuleIssue & { where: string })[] };

/** Issues listed in one error; more are counted. */
const LISTED_ISSUES = 50;

type Issues = RuleIssue[];

function raise(ctx: RuleContext, issues: Issues): never {
  const [first, ...rest] = issues;
  const listed = rest.slice(0, LISTED_ISSUES - 1).map((i) => `\n  also ${ctx.locate(i.path)}: ${i.message}`).join('');
  const more = rest.length > LISTED_ISSUES - 1 ? `\n  … and ${rest.length - LISTED_ISSUES + 1} more` : '';
  const error = toolkitError('IWKIT_ERR_SCENARIO_INVALID', ctx.locate(first.path), `${first.message}${listed}${more}`);
  throw Object.assign(error, { issues: issues.map((i) => ({ ...i, where: ctx.locate(i.path) })) }) as RulesError;
}

function describeError(error: ValueError, key: string | undefined): string {
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const allowed = Object.keys((error.schema as { properties?: Record<string, unknown> }).properties ?? {});
    return `unknown key "${key}"${allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ''}`;
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) return `"${key}" is required`;
  if (error.schema === MatcherSchema) return 'a matcher is a value to equal, { equals: value }, { regex: "...", flags?: "i" } or { exists: true|false }';
  if (error.schema === AnswerSchema.properties.delay) return 'a delay is milliseconds (3000) or a range [min, max]';
  if (error.schema === MatchSchema.properties.session) return `session is one of ${sessionConditions.join(', ')}`;
  if (error.schema === AnswerSchema.properties.fault) return 'fault is one of reset, empty, truncated, malformed, contract';
  return error.message;
}

function errorTokens(error: ValueError): string[] {
  return error.path === '' ? [] : error.path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Records every shape error of a rule; returns the top-level keys that have one ('' for the rule itself). */
function checkShape(schema: TSchema, value: unknown, path: RulePath, issues: Issues): Set<string> {
  const errors = [...Value.Errors(schema, value)];
  // A misspelt key also makes the real one "missing": name the misspelling, it is the actual mistake.
  const misspeltIn = new Set(errors.filter((e) => e.type === ValueErrorType.ObjectAdditionalProperties).map((e) => errorTokens(e).slice(0, -1).join('/')));
  const bad = new Set<string>();
  const seen = new Set<string>();
  for (const error of errors) {
    const tokens = errorTokens(error);
    if (error.type === ValueErrorType.ObjectRequiredProperty && misspeltIn.has(tokens.slice(0, -1).join('/'))) continue;
    const message = describeError(error, tokens.at(-1));
    if (seen.has(`${error.path} ${message}`)) continue;
    seen.add(`${error.path} ${message}`);
    bad.add(tokens[0] ?? '');
    issues.push({ path: [...path, ...tokens.map((t) => (/^\d+$/.test(t) ? Number(t) : t))], message });
  }
  return bad;
}

function checkRegex(source: string, flags: string | undefined, where: RulePath, issues: Issues): void {
  if (source.length > maxRegexLength) {
    issues.push({ path: where, message: `a regex is at most ${maxRegexLength} characters, got ${source.length}` });
    return;
  }
  let re: RegExp;
  try {
    re = ruleRegExp(source, flags);
  } catch (error) {
    issues.push({ path: where, message: `bad regex: ${error instanceof Error ? error.message : String(error)}` });
    return;
  }
  // What Fastify's router refuses for route regexes: nested quantifiers that backtrack exponentially.
  if (!safeRegex(re)) issues.push({ path: where, message: `the regex ${JSON.stringify(source)} can take exponential time (nested quantifiers such as (a+)+); rewrite it without a repeated group that repeats` });
}

/** The operation a rule names: the compiled one, 'none' when it names none, 'unknown' when it cannot be told. */
type RuleOperation = CompiledOperation | 'none' | 'unknown';

function checkMatch(match: RuleMatch | undefined, op: RuleOperation, path: RulePath, ctx: RuleContext, issues: Issues): void {
  if (!match) return;
  for (const part of ['body', 'query', 'headers', 'cookies'] as const) {
    for (const [name, matcher] of Object.entries(match[part] ?? {})) {
      const where = [...path, 'match', part, name];
      if (typeof matcher === 'object' && matcher !== null && 'regex' in matcher) checkRegex(matcher.regex, matcher.flags, where, issues);
      if (part !== 'body') continue;
      if (name !== '' && !name.startsWith('/')) {
        issues.push({ path: where, message: `"${name}" is not a JSON pointer; write it as /${name.replace(/\./g, '/')}` });
        continue;
      }
      if (op === 'unknown') continue;
      if (op === 'none') {
        issues.push({ path: where, message: 'a body matcher needs an operationId, so its field can be checked against the request schema' });
        continue;
      }
      if (op.bodies.length === 0) {
        issues.push({ path: where, message: `${op.operation.operationId} takes no request body` });
        continue;
      }
      const tokens = pointerTokens(name);
      if (!op.bodies.some((b) => pointerFitsSchema(b.schema, tokens, ctx.references))) {
        issues.push({ path: where, message: `the request body of ${op.operation.operationId} has no field ${name}` });
      }
    }
  }
}

function checkFixture(respond: RuleAnswer, op: RuleOperation, at: (key: string) => RulePath, issues: Issues): void {
  const name = respond.fixture!;
  if (op === 'unknown') return;
  if (op === 'none') {
    issues.push({ path: at('fixture'), message: 'a fixture needs an operationId' });
    return;
  }
  if (!hasScenario(op, name)) {
    const known = [...op.fixtures.keys()];
    issues.push({ path: at('fixture'), message: `${op.operation.operationId} has no fixture or example "${name}" (fixtures: ${known.join(', ') || 'none'})` });
    return;
  }
  const fixture = op.fixtures.get(name);
  const fixtureStatus = fixture ? (fixture.status ?? op.defaultStatus) : undefined;
  if (respond.status !== undefined && fixtureStatus !== undefined && fixtureStatus !== respond.status) {
    issues.push({ path: at('status'), message: `fixture "${name}" answers ${fixtureStatus}, not ${respond.status}` });
  } else if (respond.status !== undefined && !fixture && !findResponse(op.responses, respond.status)?.media.some((m) => m.examples.has(name))) {
    issues.push({ path: at('status'), message: `response ${respond.status} of ${op.operation.operationId} has no example "${name}"` });
  }
}

function checkAnswer(rule: ScenarioRule, op: RuleOperation, path: RulePath, issues: Issues): CompiledAnswer {
  const respond = rule.respond;
  const at = (key: string): RulePath => [...path, 'respond', key];
  const hasBody = Object.prototype.hasOwnProperty.call(respond, 'body');
  if (hasBody && respond.merge !== undefined) issues.push({ path: at('merge'), message: 'give either body (sent verbatim) or merge (merged over the usual body), not both' });
  if (hasBody && respond.fixture !== undefined) issues.push({ path: at('body'), message: 'give either body or fixture, not both' });
  if (respond.fixture !== undefined) checkFixture(respond, op, at, issues);
  for (const [name, value] of Object.entries(respond.headers ?? {})) {
    if (!isHeaderName(name)) issues.push({ path: [...at('headers'), name], message: `"${name}" is not a valid header name` });
    else if (!isHeaderValue(value)) issues.push({ path: [...at('headers'), name], message: 'a header value cannot hold line breaks, control or non-Latin-1 characters' });
  }
  let delay: DelayRange | undefined;
  if (respond.delay !== undefined) {
    const parsed = delayFromValue(respond.delay);
    if (typeof parsed === 'string') issues.push({ path: at('delay'), message: parsed });
    else delay = parsed;
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

/** Checks one rule (shape, then what its well-shaped parts say); undefined when it has an issue. */
function compileOne(raw: unknown, schema: TSchema, path: RulePath, ctx: RuleContext, issues: Issues, name: (rule: ScenarioRule) => string, label: string): CompiledRule | undefined {
  const before = issues.length;
  // Nothing is stored that cannot be listed: a rule nested deeper than this could not be serialised back.
  if (measureValue(raw, maxStoredDepth).depth > maxStoredDepth) {
    issues.push({ path, message: `a rule is nested deeper than ${maxStoredDepth} levels` });
    return undefined;
  }
  const bad = checkShape(schema, raw, path, issues);
  if (bad.has('')) return undefined;
  const rule = raw as ScenarioRule;
  let op: RuleOperation = rule.operationId === undefined ? 'none' : 'unknown';
  if (rule.operationId !== undefined && !bad.has('operationId')) {
    const found = ctx.operations.get(rule.operationId);
    if (found) op = found;
    else issues.push({ path: [...path, 'operationId'], message: `unknown operationId "${rule.operationId}" (known: ${[...ctx.operations.keys()].join(', ')})` });
  }
  if (!bad.has('match')) checkMatch(rule.match, op, path, ctx, issues);
  const answer = bad.has('respond') ? undefined : checkAnswer(rule, op, path, issues);
  if (issues.length > before || !answer) return undefined;
  const ruleName = name(rule);
  return { name: ruleName, label: `${label}${ruleName}`, operationId: rule.operationId, matches: compileMatch(rule.match), answer, times: rule.times, used: 0, definition: rule };
}

/** Checks a scenarios file's content (a list of rules or `{ rules }`) against the spec and compiles it; throws IWKIT_ERR_SCENARIO_INVALID naming every issue. */
export function compileRules(source: unknown, ctx: RuleContext): CompiledRule[] {
  const issues: Issues = [];
  let list: unknown[];
  let base: RulePath;
  if (Array.isArray(source)) {
    list = source;
    base = [];
  } else if (typeof source === 'object' && source !== null && Array.isArray((source as { rules?: unknown }).rules)) {
    for (const key of Object.keys(source).filter((k) => k !== 'rules' && k !== 'description')) {
      issues.push({ path: [key], message: `unknown key "${key}"; a scenarios file holds "rules" (and an optional "description")` });
    }
    list = (source as { rules: unknown[] }).rules;
    base = ['rules'];
  } else {
    raise(ctx, [{ path: [], message: 'a scenarios file is a list of rules or an object { rules: [...] }' }]);
  }
  const names = new Set<string>();
  const compiled: CompiledRule[] = [];
  list.forEach((raw, index) => {
    const path = [...base, index];
    const fallback = `${base.length > 0 ? 'rules' : ''}[${index}]`;
    const rule = compileOne(raw, RuleSchema, path, ctx, issues, (r) => r.name ?? fallback, 'rule:');
    const name = typeof raw === 'object' && raw !== null && typeof (raw as ScenarioRule).name === 'string' ? (raw as ScenarioRule).name! : fallback;
    if (names.has(name)) issues.push({ path: [...path, 'name'], message: `two rules are named "${name}"` });
    names.add(name);
    if (rule) compiled.push(rule);
  });
  if (issues.length > 0) raise(ctx, issues);
  return compiled;
}

/** Checks and compiles one run-time override; `id` names it when it has no name of its own. `bytes` is its size as JSON text (counted up to `maxBytes`). */
export function compileOverride(source: unknown, ctx: RuleContext, id: string, maxBytes = Number.POSITIVE_INFINITY): CompiledRule & { client?: string; bytes: number } {
  const issues: Issues = [];
  const size = measureValue(source, maxStoredDepth, maxBytes);
  if (size.depth > maxStoredDepth) raise(ctx, [{ path: [], message: `an override is nested deeper than ${maxStoredDepth} levels` }]);
  const rule = compileOne(source, OverrideSchema, [], ctx, issues, (r) => r.name ?? id, 'override:');
  if (!rule || issues.length > 0) raise(ctx, issues);
  const { client, ...definition } = source as OverrideInput;
  return { ...rule, definition, client, bytes: size.bytes };
}
