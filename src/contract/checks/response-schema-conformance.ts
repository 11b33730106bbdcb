import { bodyTextExcerpt } from '../excerpt.js';
import { findResponseSpec } from '../../openapi/find-response.js';
import { isJsonMediaType } from '../../openapi/media-type.js';
import { findMediaTypeBody } from '../response-spec-match.js';
import { isBinarySchema, isStringSchema } from '../request-media.js';
import { failed, passed, skipped, type Check } from './check-types.js';
import { needsResponse } from './check-guards.js';

/** The body matches the schema documented for its status and media type, error responses included. */
export const responseSchemaConformance: Check = needsResponse({
  name: 'response-schema-conformance',
  description: 'The body is complete, parses, and matches the schema documented for its status and media type (documented error responses included; --strict: all properties required, none undocumented).',
  severity: 'error',
  run({ response, operation, schemas }) {
    // A HEAD answer never has a body, whatever the documented GET-like response says.
    if (operation.method === 'head') return undefined;
    const spec = findResponseSpec(operation, response.status);
    if (!spec || spec.content.length === 0) return undefined;
    if (response.bodyProblem === 'too-large') {
      return failed([{ message: `the body exceeds the read cap (${response.bodyBytes} bytes read) and was not validated`, expected: 'a body below the read cap', actual: `more than ${response.bodyBytes} bytes` }]);
    }
    if (response.bodyProblem === 'aborted') {
      return failed([{ message: `the body was cut off after ${response.bodyBytes} bytes`, expected: 'a complete body', actual: bodyTextExcerpt(response.text, 80) }]);
    }
    const body = response.mediaType ? findMediaTypeBody(spec.content, response.mediaType) : undefined;
    if (!body) return skipped('the Content-Type is not documented for this status (see content-type-conformance)');
    const schema = schemas.resolve(body.schema);
    // Bytes (`format: binary`, a contentMediaType) are whatever the server sends, JSON included.
    if (isBinarySchema(schema, schemas.resolve)) return passed(`${response.mediaType} body taken as bytes`);
    if (!isJsonMediaType(response.mediaType) || (!isJsonMediaType(body.contentType) && isStringSchema(schema, schemas.resolve))) {
      // Text is the value of a string schema; other media (XML, CSV, images, …) are not parsed.
      if (response.mediaType?.startsWith('text/') && isStringSchema(schema, schemas.resolve)) {
        const problems = schemas.validate(body.schema, response.text);
        return problems.length === 0 ? passed() : failed(problems);
      }
      return skipped(`${response.mediaType} bodies are not validated`);
    }
    if (response.bodyBytes === 0) {
      return failed([{ message: 'the body is empty', expected: 'a JSON body', actual: 'empty body' }]);
    }
    if (!response.json || !response.json.ok) {
      const error = response.json && !response.json.ok ? response.json.error : 'unparseable';
      // Bytes that are not UTF-8 are not JSON text at all (RFC 8259 §8.1): the error names the offset.
      return failed([{ message: `the body is not valid JSON (${error})`, expected: 'valid JSON', actual: bodyTextExcerpt(response.text, 80) }]);
    }
    const problems = schemas.validate(body.schema, response.json.value);
    return problems.length === 0 ? passed() : failed(problems);
  },
});
