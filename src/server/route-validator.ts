import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import type { CompiledOperation } from '../mock/compile-operation.js';
import type { RoutePath } from './route-path.js';

type RouteSchema = { body?: TSchema; querystring?: TSchema; params?: TSchema; headers?: TSchema };

/** The TypeBox schemas Fastify sees on a route, and whether they cover every part (cookies and multi-type bodies are checked by the handler). */
export function routeSchema(op: CompiledOperation): { schema: RouteSchema; complete: boolean } {
  const schema: RouteSchema = {};
  if (op.parts.query) schema.querystring = op.parts.query.schema;
  if (op.parts.path) schema.params = op.parts.path.schema;
  if (op.parts.header) schema.headers = op.parts.header.schema;
  const jsonBodies = op.bodies.filter((b) => b.validator);
  if (op.bodies.length === 1 && jsonBodies.length === 1) schema.body = jsonBodies[0].schema;
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
      const body = op.bodies.find((b) => b.validator);
      const required = op.operation.requestBody?.required ?? false;
      return (data: unknown) => {
        if (data === undefined) return required ? { error: new Error('a request body is required') } : { value: data };
        return body?.validator?.check(data) ? { value: data } : { error: new Error('invalid body') };
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
