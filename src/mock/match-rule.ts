import type { Matcher, RuleMatch } from './scenario-rules.js';

/** Values longer than this never match a regex matcher: even a safe regex can take polynomial time on a long text. */
export const maxRegexInput = 4096;

/** What rules see of a request: the parsed body, typed query values, lower-case headers, cookies on demand. */
export interface RequestView {
  body: unknown;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed only when a rule asks for a cookie. */
  cookies: () => Record<string, string | undefined>;
  /** The state of the session the request presents (`--stateful`, operations that need one); undefined elsewhere. */
  session?: SessionState;
}

/** What the state step found of a request's session: live, expired, unknown (never issued or ended) or missing (none presented). */
export type SessionState = 'live' | 'expired' | 'unknown' | 'missing';

/** A compiled test of a whole request. */
export type RequestTest = (view: RequestView) => boolean;

type ValueTest = (value: unknown) => boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isRecord(a) || !isRecord(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

/** Splits an RFC 6901 pointer (`/data/code`, `''` for the whole body) into its tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function readPointer(value: unknown, tokens: readonly string[]): unknown {
  let current = value;
  for (const token of tokens) {
    if (!isRecord(current) || !Object.prototype.hasOwnProperty.call(current, token)) return undefined;
    current = current[token];
  }
  return current;
}

/** Compiles a regex the way rules use it: `g` and `y` would make `test()` stateful across requests, so they are dropped. */
export function ruleRegExp(source: string, flags = ''): RegExp {
  return new RegExp(source, flags.replace(/[gy]/g, ''));
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** A test on a JSON body value: `equals` is deep equality, `regex` applies to strings, numbers and booleans as text. */
function bodyTest(matcher: Matcher): ValueTest {
  if (!isRecord(matcher)) return (v) => v === matcher;
  if ('exists' in matcher) return matcher.exists ? (v) => v !== undefined : (v) => v === undefined;
  if ('regex' in matcher) {
    const re = ruleRegExp(matcher.regex, matcher.flags);
    return (v) => {
      const text = scalarText(v);
      return text !== undefined && text.length <= maxRegexInput && re.test(text);
    };
  }
  const expected = matcher.equals;
  return (v) => deepEqual(v, expected);
}

/** A test on a text value (query, header, cookie); repeated values match when any one does. */
function textTest(matcher: Matcher): ValueTest {
  let one: (text: string) => boolean;
  if (isRecord(matcher) && 'exists' in matcher) return matcher.exists ? (v) => v !== undefined : (v) => v === undefined;
  if (isRecord(matcher) && 'regex' in matcher) {
    const re = ruleRegExp(matcher.regex, matcher.flags);
    one = (text) => text.length <= maxRegexInput && re.test(text);
  } else {
    const expected = String(isRecord(matcher) ? matcher.equals : matcher);
    one = (text) => text === expected;
  }
  return (v) => {
    if (v === undefined) return false;
    if (Array.isArray(v)) return v.some((item) => one(String(item)));
    return one(String(v));
  };
}

/** Compiles the `match` part of a rule into one test; assumes the rule was validated (regexes compile). */
export function compileMatch(match: RuleMatch | undefined): RequestTest {
  if (!match) return () => true;
  const tests: RequestTest[] = [];
  for (const [pointer, matcher] of Object.entries(match.body ?? {})) {
    const tokens = pointerTokens(pointer);
    const test = bodyTest(matcher);
    tests.push((view) => test(readPointer(view.body, tokens)));
  }
  for (const [name, matcher] of Object.entries(match.query ?? {})) {
    const test = textTest(matcher);
    tests.push((view) => test(view.query[name]));
  }
  for (const [name, matcher] of Object.entries(match.headers ?? {})) {
    const key = name.toLowerCase();
    const test = textTest(matcher);
    tests.push((view) => test(view.headers[key]));
  }
  for (const [name, matcher] of Object.entries(match.cookies ?? {})) {
    const test = textTest(matcher);
    tests.push((view) => test(view.cookies()[name]));
  }
  if (match.session !== undefined) {
    const wanted = match.session;
    // Without state there is no session to judge: such a rule never matches, rather than matching everything.
    tests.push(wanted === 'dead' ? (view) => view.session === 'expired' || view.session === 'unknown' : (view) => view.session === wanted);
  }
  if (tests.length === 1) return tests[0];
  return (view) => tests.every((t) => t(view));
}
