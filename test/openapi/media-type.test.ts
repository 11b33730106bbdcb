import { describe, expect, it } from 'vitest';
import { acceptsMediaType, isJsonMediaType, isMediaRange, mediaEssence, parseMediaType } from '../../src/openapi/media-type.js';

describe('parseMediaType', () => {
  it('splits type, subtype and parameters, lower-casing the essence and parameter names', () => {
    expect(parseMediaType('Application/JSON; Charset=UTF-8; q=0.5')).toEqual({
      type: 'application',
      subtype: 'json',
      essence: 'application/json',
      parameters: { charset: 'UTF-8', q: '0.5' },
    });
  });

  it('reads missing parts as empty and a bare parameter name as an empty value', () => {
    expect(parseMediaType(undefined)).toEqual({ type: '', subtype: '', essence: '', parameters: {} });
    expect(parseMediaType('text; q').parameters).toEqual({ q: '' });
  });

  it('gives the essence without parameters', () => {
    expect(mediaEssence(' text/HTML ;charset=utf-8')).toBe('text/html');
  });
});

describe('isJsonMediaType', () => {
  it('counts json subtypes and +json suffixes, parameters aside', () => {
    for (const type of ['application/json', 'text/json', 'application/problem+json; charset=utf-8', 'application/vnd.api+json']) {
      expect(isJsonMediaType(type)).toBe(true);
    }
  });

  it('does not count ranges, look-alikes or nothing', () => {
    for (const type of ['*/*', 'application/*', 'application/x-ndjson', 'application/jsonl', 'text/plain', '', undefined]) {
      expect(isJsonMediaType(type)).toBe(false);
    }
  });
});

describe('media ranges', () => {
  it('names ranges', () => {
    expect(isMediaRange('*/*')).toBe(true);
    expect(isMediaRange('image/*; q=1')).toBe(true);
    expect(isMediaRange('image/png')).toBe(false);
  });

  it('lets a declared range accept the concrete types inside it only', () => {
    expect(acceptsMediaType('*/*', 'image/png')).toBe(true);
    expect(acceptsMediaType('image/*', 'image/png')).toBe(true);
    expect(acceptsMediaType('Application/JSON', 'application/json; charset=utf-8')).toBe(true);
    expect(acceptsMediaType('image/*', 'text/plain')).toBe(false);
    expect(acceptsMediaType('application/json', 'application/xml')).toBe(false);
  });
});
