import { findResponse, type CompiledMedia, type CompiledOperation, type CompiledResponse } from './compile-operation.js';
import type { EdgeProfile } from '../fake/edge-profiles.js';
import type { Fixture } from './fixture.js';
import { concreteContentType, negotiateMediaType } from './negotiate-media-type.js';
import type { Preferences } from './preferences.js';
import { problem, type Problem } from './problem.js';

/** Where a response body comes from. */
export type BodySource =
  | { kind: 'fixture'; fixture: Fixture }
  | { kind: 'example'; name: string; value: unknown }
  | { kind: 'generated' }
  | { kind: 'none' };

/** The mock's decision for one request: status, media type and body source. */
export interface ResponseChoice {
  status: number;
  response: CompiledResponse;
  media?: CompiledMedia;
  /** The Content-Type header to send (concrete even when the spec offers a range). */
  contentType?: string;
  source: BodySource;
  /** The edge profile generated data follows (fixtures merge over it; spec examples stay verbatim). */
  profile?: EdgeProfile;
  /** How it was chosen, sent in the `iwkit-scenario` header: `fixture:missing-2fa`, `example:default`, `generated; edge=max`. */
  scenario: string;
}

function scenarioOf(source: BodySource): string {
  if (source.kind === 'fixture') return `fixture:${source.fixture.name}`;
  if (source.kind === 'example') return `example:${source.name}`;
  return source.kind;
}

/** Finds which response holds a spec example named `name`, for `Prefer: example=` without `code=`. */
function statusOfExample(op: CompiledOperation, name: string): number | undefined {
  for (const r of op.responses) {
    if (r.media.some((m) => m.examples.has(name))) {
      const code = Number(r.spec.status);
      if (Number.isInteger(code)) return code;
    }
  }
  return undefined;
}

/** True when the operation has a fixture or spec example of that name. */
export function hasScenario(op: CompiledOperation, name: string): boolean {
  return op.fixtures.has(name) || op.responses.some((r) => r.media.some((m) => m.examples.has(name)));
}

function knownExamples(op: CompiledOperation): string[] {
  const names = new Set<string>(op.fixtures.keys());
  for (const r of op.responses) for (const m of r.media) for (const name of m.examples.keys()) names.add(name);
  return [...names].sort();
}

// Clients send a handful of distinct Accept headers over and over: negotiate each once per response.
const negotiated = new WeakMap<CompiledResponse, Map<string | undefined, string | undefined>>();

function negotiateFor(response: CompiledResponse, accept: string | undefined): string | undefined {
  let memo = negotiated.get(response);
  if (!memo) negotiated.set(response, (memo = new Map()));
  if (memo.has(accept)) return memo.get(accept);
  const offered = negotiateMediaType(accept, response.media.map((m) => m.contentType));
  if (memo.size >= 64) memo.clear();
  memo.set(accept, offered);
  return offered;
}

/** Decides status, media type and body source, in the documented order; a Problem means the request asked for something that does not exist. */
export function chooseResponse(op: CompiledOperation, prefs: Preferences, accept: string | undefined): { choice: ResponseChoice } | { problem: Problem } {
  const named = prefs.example;
  const fixture = named !== undefined ? op.fixtures.get(named) : undefined;
  const status = prefs.code !== undefined ? Number(prefs.code) : (fixture?.status ?? (named !== undefined ? statusOfExample(op, named) : undefined) ?? op.defaultStatus);
  const response = findResponse(op.responses, status);
  if (!response) {
    const declared = op.responses.map((r) => r.spec.status);
    return { problem: problem(400, `status ${status} is not declared for ${op.operation.operationId}; declared: ${declared.join(', ')}`, [
      { in: 'header', pointer: '/prefer', message: `code=${status} is not a declared response` },
    ], { available: declared }) };
  }

  let media: CompiledMedia | undefined;
  let contentType: string | undefined;
  if (response.media.length > 0) {
    const offered = negotiateFor(response, accept);
    if (!offered) {
      const available = response.media.map((m) => m.contentType);
      return { problem: problem(406, `none of the media types of response ${response.spec.status} is acceptable: ${available.join(', ')}`, [
        { in: 'header', pointer: '/accept', message: `"${accept}" matches none of ${available.join(', ')}` },
      ], { available }) };
    }
    media = response.media.find((m) => m.contentType === offered);
    contentType = concreteContentType(offered);
  }

  let source: BodySource;
  if (!media) {
    source = { kind: 'none' };
  } else if (named !== undefined) {
    if (fixture && (fixture.status ?? op.defaultStatus) === status) source = { kind: 'fixture', fixture };
    else if (media.examples.has(named)) source = { kind: 'example', name: named, value: media.examples.get(named) };
    else {
      const available = knownExamples(op);
      return { problem: problem(400, `no fixture or example named "${named}" for ${op.operation.operationId} with status ${status}; available: ${available.join(', ') || 'none'}`, [
        { in: 'header', pointer: '/prefer', message: `example=${named} does not exist` },
      ], { available }) };
    }
  } else if ((prefs.dynamic === false || (prefs.dynamic === undefined && !media.validator)) && media.examples.size > 0) {
    // Non-JSON media (no validator) answer their spec example unless asked for dynamic data: generated CSV or text rarely beats it.
    const [name, value] = media.examples.entries().next().value as [string, unknown];
    source = { kind: 'example', name, value };
  } else {
    const byDefault = op.fixtures.get('default');
    source = byDefault && (byDefault.status ?? op.defaultStatus) === status ? { kind: 'fixture', fixture: byDefault } : { kind: 'generated' };
  }
  const profile = prefs.edge !== undefined && (source.kind === 'fixture' || source.kind === 'generated') ? prefs.edge : undefined;
  const scenario = profile ? `${scenarioOf(source)}; edge=${profile}` : scenarioOf(source);
  return { choice: { status, response, media, contentType, source, scenario, ...(profile ? { profile } : {}) } };
}
