import { findResponseSpec } from '../../openapi/find-response.js';
import { findMediaTypeBody } from '../response-spec-match.js';
import { failed, passed, type Check } from './check-types.js';
import { needsResponse } from './check-guards.js';

/** The Content-Type is one the matching documented response declares. */
export const contentTypeConformance: Check = needsResponse({
  name: 'content-type-conformance',
  description: 'The Content-Type header is one of the media types documented for that status.',
  severity: 'error',
  run({ response, operation }) {
    const spec = findResponseSpec(operation, response.status);
    if (!spec || spec.content.length === 0) return undefined;
    if (response.bodyBytes === 0 && (response.status === 204 || response.status === 304)) return undefined;
    const documented = spec.content.map((c) => c.contentType).join(', ');
    if (!response.mediaType) {
      return failed([{ message: 'the response has no Content-Type header', expected: documented, actual: 'no Content-Type' }]);
    }
    if (findMediaTypeBody(spec.content, response.mediaType)) return passed();
    return failed([{ message: `Content-Type ${response.mediaType} is not documented for status ${spec.status}`, expected: documented, actual: response.mediaType }]);
  },
});
