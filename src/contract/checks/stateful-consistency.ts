import { topLevelProperties } from '../body-fields.js';
import { findResponseSpec } from '../../openapi/find-response.js';
import { findMediaTypeBody } from '../response-spec-match.js';
import { failed, passed, skipped, type Check } from './check-types.js';
import { needsResponse } from './check-guards.js';

// Deep equality of JSON values: objects by key, arrays by position.
function same(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 64 || a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1));
}

// A readOnly property (an id, a timestamp) is the server's to keep whatever an update sends; a writeOnly one is never read back.
function ownedByOneSide(schema: { readOnly?: unknown; writeOnly?: unknown }): boolean {
  return schema.readOnly === true || schema.writeOnly === true;
}

/** A read after an update reflects what the update sent, for the properties the read's response schema declares. */
export const statefulConsistency: Check = needsResponse({
  name: 'stateful-consistency',
  description: 'In a flow, a read after an accepted update returns the values the update sent, for every property the update sent that the read response documents (write-only and read-only ones aside: the server owns those).',
  severity: 'error',
  run({ response, flow, operation, schemas }) {
    if (flow?.role !== 'read-updated') return undefined;
    const update = flow.previous.find((p) => p.role === 'update');
    if (!update?.response || update.response.status < 200 || update.response.status >= 300) return skipped('the update step was not accepted');
    if (response.status < 200 || response.status >= 300 || response.json?.ok !== true) return skipped(`the read answered ${response.status} without a JSON body`);
    const sent = update.case.request.body && 'value' in update.case.request.body ? update.case.request.body.value : undefined;
    if (sent === null || typeof sent !== 'object' || Array.isArray(sent)) return skipped('the update sent no object body');
    const media = findResponseSpec(operation, response.status)?.content;
    const body = media && response.mediaType ? findMediaTypeBody(media, response.mediaType) : undefined;
    if (!body) return skipped('the read response documents no body for this status');
    const declared = topLevelProperties(body.schema, (s) => schemas.resolve(s));
    const read = response.json.value as Record<string, unknown>;
    const problems = Object.entries(sent as Record<string, unknown>)
      .filter(([name]) => declared.has(name) && !ownedByOneSide(schemas.resolve(declared.get(name))))
      .filter(([name, value]) => !same(read?.[name], value))
      .map(([name, value]) => ({
        message: 'the read after an update does not return the value the update sent',
        pointer: `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        expected: JSON.stringify(value)?.slice(0, 200) ?? 'undefined',
        actual: JSON.stringify(read?.[name])?.slice(0, 200) ?? 'undefined',
      }));
    return problems.length > 0 ? failed(problems) : passed();
  },
});
