import { excerpt } from '../excerpt.js';
import { isSecretHeader, REDACTED } from '../redact.js';
import { findResponseSpec } from '../../openapi/find-response.js';
import type { Problem } from '../contract-types.js';
import { failed, passed, type Check } from './check-types.js';
import { needsResponse } from './check-guards.js';

/** Documented response headers are present when required and match their schemas. */
export const responseHeadersConformance: Check = needsResponse({
  name: 'response-headers-conformance',
  description: 'Required documented response headers are present and every documented header matches its schema.',
  severity: 'error',
  run({ response, operation, schemas }) {
    const spec = findResponseSpec(operation, response.status);
    if (!spec || spec.headers.length === 0) return undefined;
    const problems: Problem[] = [];
    for (const header of spec.headers) {
      const raw = response.headers[header.name.toLowerCase()];
      const text = Array.isArray(raw) ? raw.join(', ') : raw;
      if (text === undefined) {
        if (header.required) problems.push({ pointer: header.name, message: `required header ${header.name} is missing`, expected: 'present', actual: 'missing' });
        continue;
      }
      // Header values arrive as text; the schema (behind its $ref) says how to read them.
      if (!schemas.isValid(header.schema, schemas.fromText(header.schema, text))) {
        problems.push({
          pointer: header.name,
          message: `header ${header.name} does not match its schema`,
          expected: String(header.schema.type ?? 'documented schema'),
          actual: isSecretHeader(header.name) ? REDACTED : excerpt(text, 80),
        });
      }
    }
    return problems.length === 0 ? passed() : failed(problems);
  },
});
