import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import type { CompiledOperation } from '../mock/compile-operation.js';
import { isMediaRange } from '../mock/media-kind.js';
import { requestBodyKind, validatesKind, type CompiledBody } from '../mock/request-body.js';
import type { RoutePath } from './route-path.js';

type RouteSchema = { body?: TSchema; querystring?: TSchema; params?: TSchema; headers?: TSchema };

/** The one body Fastify may check on every request: a single concrete media type whose bodies are all validated. */
function routeBody(op: CompiledOperation): CompiledBody | undefined {
  const [only] = op.bodies;
  if (op.bodies.length !== 1 || isMediaRange(only.contentType)) return undefined;
  return validatesKind(only, requestBodyKind(only, only.contentType)) ? only : undefined;
}

/** The TypeBox schemas Fastify sees on a route, and whether they cover every part (cookies, ranges and multi-type bodies are checked by the handler). */
export function routeSchema(op: CompiledOperation): { schema: RouteSchema; complete: boolean } {
  const schema: RouteSchema = {};
  if (op.parts.query) schema.querystring = op.parts.query.schema;
  if (op.parts.path) schema.params = op.parts.path.schema;
  if (op.parts.header) schema.headers = op.parts.header.schema;
  const body = routeBody(op);
  if (body) schema.body = body.schema;
  const complete = !op.parts.cookie && (op.bodies.length === 0 || schema.body !== undefined);
  return { schema, complete };
}

/**
 * A route-level Fastify validator compiler backed by the operation's compiled TypeBox validators:
 * non-body parts are converted from text as the spec's styles say; bodies are never coerced.
 */
export function routeValidatorCompiler(op: CompiledOperation, routePath: RoutePath): FastifySchemaCompiler<unknown> {
  return ({ httpPart }) => {
    if (httpPart === 'body') {
      const body = routeBody(op);
      const required = op.operation.requestBody?.required ?? false;
      // Text and bytes arrive as strings; an empty one is no body.
      const emptyIsMissing = body !== undefined && requestBodyKind(body, body.contentType) !== 'json';
      return (data: unknown) => {
        if (data === undefined) return required ? { error: new Error('a request body is required') } : { value: data };
        if (emptyIsMissing && data === '' && required) return { error: new Error('a request body is required') };
        return body?.validator.check(data) ? { value: data } : { error: new Error('invalid body') };
      };
    }
    const location = httpPart === 'querystring' ? 'query' : httpPart === 'params' ? 'path' : 'header';
    const part = op.parts[location]!;
    return (data: unknown) => {
      const raw = (data ?? {}) as Record<string, unknown>;
      let input = raw;
      if (location === 'path') {
        input = {};
        for (const [key, value] of Object.entries(raw)) input[routePath.names.get(key) ?? key] = value;
      }
      const converted = part.read(input);
      if (!part.validator.check(converted)) return { error: new Error(`invalid ${location} parameters`) };
      // Headers keep their wire names; query and path values are replaced by their typed form.
      return { value: location === 'header' ? raw : { ...input, ...converted } };
    };
  };
}
