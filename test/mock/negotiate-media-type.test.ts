import { describe, expect, it } from 'vitest';
import { concreteContentType, negotiateMediaType } from '../../src/mock/negotiate-media-type.js';

describe('negotiateMediaType', () => {
  it('prefers JSON when the client sends no Accept header', () => {
    expect(negotiateMediaType(undefined, ['application/xml', 'application/json'])).toBe('application/json');
  });

  it('honours q-values and specificity', () => {
    expect(negotiateMediaType('application/json;q=0.5, application/xml', ['application/json', 'application/xml'])).toBe('application/xml');
    expect(negotiateMediaType('*/*;q=0.1, text/plain', ['application/json', 'text/plain'])).toBe('text/plain');
  });

  it('matches ranges offered by the spec itself', () => {
    expect(negotiateMediaType('application/json', ['application/*'])).toBe('application/*');
    expect(concreteContentType('application/*')).toBe('application/json');
  });

  it('returns nothing when no offer is acceptable, so the mock can answer 406', () => {
    expect(negotiateMediaType('text/html', ['application/json'])).toBeUndefined();
    expect(negotiateMediaType('application/json;q=0', ['application/json'])).toBeUndefined();
  });
});

describe('negotiateMediaType across non-JSON types', () => {
  it('prefers a concrete offer over a range offer the same Accept matches', () => {
    expect(negotiateMediaType('image/gif', ['*/*', 'image/gif'])).toBe('image/gif');
    expect(negotiateMediaType('*/*', ['*/*', 'text/csv'])).toBe('text/csv');
  });

  it('makes ranges concrete per top-level type', () => {
    expect(concreteContentType('image/*')).toBe('image/png');
    expect(concreteContentType('text/*')).toBe('text/plain');
    expect(concreteContentType('video/*')).toBe('video/mp4');
    expect(concreteContentType('chemical/*')).toBe('application/octet-stream');
  });
});
