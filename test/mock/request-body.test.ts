import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { mediaKind } from '../../src/mock/media-kind.js';
import { compileRequestBody, findRequestBody, requestBodyKind, unsupportedMediaTypeProblem } from '../../src/mock/request-body.js';

describe('request body media types', () => {
  it('classifies patch types as JSON, YAML and XML as text kinds, images as bytes', () => {
    expect(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map(mediaKind)).toEqual(['json', 'json', 'json']);
    expect(mediaKind('application/apply-patch+yaml')).toBe('yaml');
    expect(mediaKind('application/gpx+xml; charset=utf-8')).toBe('xml');
    expect(mediaKind('image/jpeg')).toBe('binary');
    expect(mediaKind('text/csv')).toBe('csv');
  });

  it('finds the most specific declared type for a wire type', () => {
    const bodies = ['*/*', 'image/*', 'image/png'].map((contentType) => ({ contentType }));
    expect(findRequestBody(bodies, 'image/png')?.contentType).toBe('image/png');
    expect(findRequestBody(bodies, 'image/gif')?.contentType).toBe('image/*');
    expect(findRequestBody(bodies, 'text/plain; charset=utf-8')?.contentType).toBe('*/*');
    expect(findRequestBody([{ contentType: 'application/json' }], 'text/plain')).toBeUndefined();
  });

  it('reads a body as bytes when its schema says binary, whatever its wire type', () => {
    const binary = compileRequestBody({ contentType: '*/*', schema: Type.String({ format: 'binary' }), examples: [] }, []);
    const object = compileRequestBody({ contentType: '*/*', schema: Type.Object({}), examples: [] }, []);
    expect(requestBodyKind(binary, 'application/json')).toBe('binary');
    expect(requestBodyKind(object, 'application/json')).toBe('json');
    expect(requestBodyKind(object, 'application/yaml')).toBe('text');
  });

  it('lists the accepted types in a 415 with a concrete hint', () => {
    const problem = unsupportedMediaTypeProblem('text/plain', ['image/*']);
    expect(problem.status).toBe(415);
    expect(problem.accepted).toEqual(['image/*']);
    expect(problem.hint).toBe('send the body with Content-Type: image/png');
  });
});
