import { toolkitError } from '../errors.js';
import type { Fixture, FixtureBuilder } from './fixture.js';
import { isHeaderName, isHeaderValue } from './header-text.js';

// The checks a fixture passes whatever it came from: a file (the server adapter reads those) or data
// handed to createHandlers in a browser.

const envelopeKeys = new Set(['summary', 'description', 'status', 'headers', 'body']);

/** Checks a fixture's envelope `{ status?, headers?, summary?, body? }`; throws IWKIT_ERR_FIXTURE_READ naming `file`. */
export function checkEnvelope(file: string, data: unknown): Omit<Fixture, 'name' | 'file'> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, 'a JSON fixture is an object { "status"?, "headers"?, "summary"?, "body"? }');
  }
  const record = data as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !envelopeKeys.has(k));
  if (unknown.length > 0) {
    throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, `unknown key(s) ${unknown.join(', ')}; put the response body under "body"`);
  }
  const { status, headers, summary, description, body } = record;
  if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) {
    throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, `"status" must be an HTTP status code, got ${JSON.stringify(status)}`);
  }
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string'))) {
    throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, '"headers" must map header names to strings');
  }
  for (const [name, value] of Object.entries((headers ?? {}) as Record<string, string>)) {
    if (!isHeaderName(name) || !isHeaderValue(value)) {
      throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, `header "${name}" cannot be sent (names are tokens; values hold no line breaks, control or non-Latin-1 characters)`);
    }
  }
  const text = typeof summary === 'string' ? summary : typeof description === 'string' ? description : undefined;
  return { status: status as number | undefined, headers: headers as Record<string, string> | undefined, summary: text, body };
}


/** A fixture given as data: an envelope, or a builder function (alone or as `build` beside status and headers). */
export type FixtureInput = FixtureBuilder | { status?: number; headers?: Record<string, string>; summary?: string; body?: unknown; build?: FixtureBuilder };

/** Fixtures given as data, per operationId and name, checked as files are; names in sorted order, as a folder lists them. */
export function fixturesFromData(data: Record<string, Record<string, FixtureInput>>, operationIds: readonly string[]): Map<string, Fixture[]> {
  const result = new Map<string, Fixture[]>();
  for (const [operationId, named] of Object.entries(data)) {
    if (!operationIds.includes(operationId)) throw toolkitError('IWKIT_ERR_FIXTURE_OPERATION', `fixtures.${operationId}`, operationIds.join(', '));
    const fixtures: Fixture[] = [];
    for (const name of Object.keys(named).sort()) {
      const input = named[name];
      const file = `fixtures.${operationId}.${name}`;
      if (typeof input === 'function') {
        fixtures.push({ name, file, build: input });
        continue;
      }
      const { build, ...envelope } = (input ?? {}) as { build?: unknown };
      if (build !== undefined && typeof build !== 'function') throw toolkitError('IWKIT_ERR_FIXTURE_READ', file, '"build" must be a function ({ faker, request, seed }) => body');
      fixtures.push({ name, file, ...checkEnvelope(file, envelope), ...(build ? { build: build as FixtureBuilder } : {}) });
    }
    result.set(operationId, fixtures);
  }
  return result;
}
