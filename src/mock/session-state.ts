import { presentedCredential, type CredentialSource } from './check-security.js';
import type { CompiledOperation } from './compile-operation.js';
import type { MockAnswer, MockRequest } from './mock-answer.js';
import type { ProblemFieldError } from './problem.js';
import type { StateRuntime } from './state-runtime.js';
import { jsonBodyOf, schemaIssues, withJsonBody } from './state-answer.js';

// Sessions: a login's answer is stored under its credential, a repeated login (same body, same client)
// gets the same session back with `refreshed_start` moved on, and protected operations want a live one.

/** A stored session: the login's answer as sent, when it lapses, and which login made it. */
interface StoredSession {
  body: Record<string, unknown>;
  expiresAt: number;
  login: string;
}

const sessionKey = (credential: string): string => `S:${credential}`;

/** A session's stored text, reusing the JSON of its body the answer sends anyway (the same as JSON.stringify(session)). */
function sessionText(session: StoredSession, bodyText: string): string {
  return `{"body":${bodyText},"expiresAt":${JSON.stringify(session.expiresAt)},"login":${JSON.stringify(session.login)}}`;
}

/** A short stable text for a login body, so a repeated login finds its session (FNV-1a, twice, plus the length). */
function loginKey(operationId: string, body: unknown): string {
  const text = JSON.stringify(body ?? null);
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  return `L:${operationId}:${a.toString(36)}${b.toString(36)}${text.length.toString(36)}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Timestamps a session writes: real time, or with a seed the run's anchor stepping forward a second per refresh. */
function writtenTime(state: StateRuntime, now: number, previous?: unknown): string {
  const base = state.fixedTime ? now : state.clock();
  const before = typeof previous === 'string' ? Date.parse(previous) : NaN;
  return new Date(Number.isFinite(before) && before >= base ? before + 1000 : base).toISOString();
}

/** Fills the fields a fresh session has (start, refreshed_start, valid) when the schema has them, keeping the answer valid. */
function freshSession(op: CompiledOperation, status: number, generated: Record<string, unknown>, state: StateRuntime, now: number): Record<string, unknown> {
  const time = writtenTime(state, now);
  const body: Record<string, unknown> = { ...generated };
  if ('start' in body) body.start = time;
  if ('refreshed_start' in body) body.refreshed_start = time;
  if (typeof body.valid === 'boolean') body.valid = true;
  return schemaIssues(op, status, body).length === 0 ? body : generated;
}

/** The login's answer: the client's existing session refreshed, or the generated one stored as a new session. */
export async function loginAnswer(op: CompiledOperation, request: MockRequest, answer: MockAnswer, state: StateRuntime, scope: string, credentialProperty: string, now: number): Promise<MockAnswer> {
  const generated = jsonBodyOf(answer);
  if (!isRecord(generated) || typeof generated[credentialProperty] !== 'string') return answer;
  const { store } = state;
  const key = loginKey(op.operation.operationId, request.body);
  const known = await store.get(scope, key);
  const stored = known === undefined ? undefined : await store.get(scope, sessionKey(known));
  if (stored !== undefined) {
    const session = JSON.parse(stored) as StoredSession;
    if ('refreshed_start' in session.body) session.body.refreshed_start = writtenTime(state, now, session.body.refreshed_start);
    session.expiresAt = state.clock() + state.sessionTtlMs;
    const bodyText = JSON.stringify(session.body);
    await store.set(scope, sessionKey(known!), sessionText(session, bodyText));
    return withJsonBody(answer, session.body, 'state:session-refreshed', bodyText);
  }
  const body = freshSession(op, answer.status, generated, state, now);
  let credential = body[credentialProperty] as string;
  // Two different logins that generated the same credential must not share a session.
  if ((await store.get(scope, sessionKey(credential))) !== undefined) {
    const unique = `${credential}-${await store.incr(scope, 'N:sessions')}`;
    if (schemaIssues(op, answer.status, { ...body, [credentialProperty]: unique }).length === 0) credential = unique;
    body[credentialProperty] = credential;
  }
  const session: StoredSession = { body, expiresAt: state.clock() + state.sessionTtlMs, login: key };
  const bodyText = JSON.stringify(body);
  await store.set(scope, sessionKey(credential), sessionText(session, bodyText));
  await store.set(scope, key, credential);
  return withJsonBody(answer, body, 'state:session-created', bodyText);
}

/** Why the request's session is refused ('missing', 'unknown', 'expired'), or undefined when it is live. */
export async function sessionRefusal(op: CompiledOperation, source: CredentialSource, state: StateRuntime, scope: string): Promise<{ reason: string; where?: ProblemFieldError } | undefined> {
  const presented = presentedCredential(op.operation.security, source);
  if (!presented) return { reason: 'missing' };
  const stored = await state.store.get(scope, sessionKey(presented.value));
  if (stored === undefined) return { reason: 'unknown', where: presented.where };
  const session = JSON.parse(stored) as StoredSession;
  if (session.expiresAt <= state.clock()) return { reason: 'expired', where: presented.where };
  return undefined;
}

/** Ends a session at once (a later login with the same body starts a new one); true when it existed. */
export async function invalidateSession(state: StateRuntime, scope: string, credential: string): Promise<boolean> {
  const stored = await state.store.get(scope, sessionKey(credential));
  if (stored === undefined) return false;
  await state.store.delete(scope, sessionKey(credential));
  await state.store.delete(scope, (JSON.parse(stored) as StoredSession).login);
  return true;
}

/** Makes a session lapse now, as its lifetime would (a login with the same body revives it); true when it existed. */
export async function expireSession(state: StateRuntime, scope: string, credential: string): Promise<boolean> {
  const stored = await state.store.get(scope, sessionKey(credential));
  if (stored === undefined) return false;
  const session = JSON.parse(stored) as StoredSession;
  session.expiresAt = 0;
  await state.store.set(scope, sessionKey(credential), JSON.stringify(session));
  return true;
}
