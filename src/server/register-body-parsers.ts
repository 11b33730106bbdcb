import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ValidationIssue } from '../openapi/compile-validator.js';
import { Type } from '@sinclair/typebox';
import { binaryString, createFormDecoder, type FormPart } from '../mock/decode-form.js';
import { mediaEssence } from '../mock/media-kind.js';
import { problem, type Problem } from '../mock/problem.js';
import { defaultBodyType, findRequestBody, requestBodyKind, type CompiledBody } from '../mock/request-body.js';
import { bodyIssuesKey, rawBodyKey, rawEncodingKey, type RawEncoding } from './handle-operation.js';
import { sendProblem } from './send-problem.js';
import { routeContext } from './mock-server.js';

// The adapter's half of request bodies: read the wire format (JSON text, urlencoded pairs, multipart
// parts, text, bytes) and hand it to the core, which shapes it for the operation's schema.

/** The bounds on one multipart body; the whole body is also held to bodyLimit. */
export interface MultipartLimits {
  bodyLimit: number;
  /** Text fields. */
  fields: number;
  /** File parts. */
  files: number;
  /** All parts together. */
  parts: number;
  /** Header lines per part. */
  headerPairs: number;
  /** Bytes of one field name. */
  fieldNameSize: number;
  /** Bytes of one field value or file (at most bodyLimit). */
  fileSize: number;
}

/** The multipart limits for a body limit: 1,000 fields, 100 files, 1,100 parts, 100 header lines a part, names of 1,000 bytes. */
export function multipartLimits(bodyLimit: number): MultipartLimits {
  return { bodyLimit, fields: 1000, files: 100, parts: 1100, headerPairs: 100, fieldNameSize: 1000, fileSize: bodyLimit };
}

/** Decodes forms sent to routes that are no operation (admin, 404): every key as text. */
const plainForm = createFormDecoder(Type.Unknown(), []);

const jsonContentType = /^application\/([\w.+-]+\+)?json(;|$)/i;

type BodyRequest = FastifyRequest & { [rawBodyKey]?: string; [rawEncodingKey]?: RawEncoding; [bodyIssuesKey]?: ValidationIssue[] };

/** The operation's declared body for this wire type, when the request is for an operation. */
function routeBody(request: FastifyRequest, type: string): CompiledBody | undefined {
  const op = routeContext(request)?.op;
  return op ? findRequestBody(op.bodies, type) : undefined;
}

/** Keeps the raw text of a body and how it was decoded from the bytes (so the replay can key on the bytes). */
function keepRaw(request: FastifyRequest, text: string, encoding: RawEncoding): void {
  (request as BodyRequest)[rawBodyKey] = text;
  (request as BodyRequest)[rawEncodingKey] = encoding;
}

/** The deepest nesting of arrays and objects accepted in a JSON request body (and of bracket names in a form). */
export const maxJsonDepth = 256;

/** An error whose answer is a problem the parser built; the error handler sends it as it is. */
function refusal(body: Problem): Error {
  return Object.assign(new Error(body.detail), { statusCode: body.status, iwkitProblem: body });
}

function limitProblem(name: keyof MultipartLimits | 'jsonDepth', value: number, detail: string, pointer = '', status = 413): Problem {
  return problem(status, `${detail} (limit ${name}=${value})`, [{ in: 'body', pointer, message: `exceeds ${name}=${value}` }], { limit: { name, value } });
}

/** The 413 problem for a body over the body limit, naming the limit in bytes. */
export function bodyLimitProblem(bodyLimit: number): Problem {
  return limitProblem('bodyLimit', bodyLimit, `the request body is larger than ${bodyLimit} bytes`);
}

/** The problem for a body error a parser or Fastify raised, when it is one the mock words itself. */
export function bodyErrorProblem(error: { code?: string; iwkitProblem?: Problem }, bodyLimit: number): Problem | undefined {
  if (error.iwkitProblem) return error.iwkitProblem;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return bodyLimitProblem(bodyLimit);
  return undefined;
}

/**
 * The nesting depth of JSON text, or `limit + 1` as soon as it goes deeper: one pass, no recursion, so a
 * body nested 30,000 deep is refused before anything (parser, validator, journal) walks it.
 */
export function jsonDepthOver(text: string, limit: number): boolean {
  // Nesting deeper than `limit` needs more than `limit` brackets: short bodies never need the scan.
  if (text.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** How deep a bracket name (`a[b][c]`) nests: its count of `[`. */
function bracketDepth(name: string): number {
  let depth = 0;
  for (let i = name.indexOf('['); i !== -1 && depth <= maxJsonDepth; i = name.indexOf('[', i + 1)) depth++;
  return depth;
}

function depthProblem(what: string): Problem {
  return limitProblem('jsonDepth', maxJsonDepth, `the ${what} is nested deeper than ${maxJsonDepth} levels`, '', 400);
}

const multipartErrors: Record<string, (limits: MultipartLimits) => Problem> = {
  FST_PARTS_LIMIT: (l) => limitProblem('parts', l.parts, `the multipart body has more than ${l.parts} parts`),
  FST_FILES_LIMIT: (l) => limitProblem('files', l.files, `the multipart body has more than ${l.files} files`),
  FST_FIELDS_LIMIT: (l) => limitProblem('fields', l.fields, `the multipart body has more than ${l.fields} fields`),
  FST_REQ_FILE_TOO_LARGE: (l) => limitProblem('fileSize', l.fileSize, `a file is larger than ${l.fileSize} bytes`),
};

function malformed(reason: string): Problem {
  return problem(400, `malformed multipart body: ${reason}`, [{ in: 'body', pointer: '', message: reason }]);
}

function multipartErrorProblem(error: unknown, limits: MultipartLimits): Problem {
  const code = (error as { code?: string }).code ?? '';
  const known = multipartErrors[code];
  if (known) return known(limits);
  if (code === 'FST_PROTO_VIOLATION') return malformed('a field name is a forbidden property name');
  if (code === 'FST_INVALID_JSON_FIELD_ERROR') return malformed('a field sent as application/json is not valid JSON');
  return malformed(error instanceof Error ? error.message : String(error));
}

/** One stable text for the parts, so the same form gets the same answer whatever boundary the client picked. */
function canonicalParts(parts: readonly FormPart[]): string {
  return parts.map((p) => `${p.name}\u0000${p.filename ?? ''}\u0000${p.contentType ?? ''}\u0000${p.text ?? binaryString(p.bytes ?? new Uint8Array())}`).join('\u0001');
}

type MultipartOutcome = { parts: FormPart[] } | { problem: Problem };

async function readParts(request: FastifyRequest, limits: MultipartLimits): Promise<MultipartOutcome> {
  const declared = Number(request.headers['content-length']);
  if (declared > limits.bodyLimit) return { problem: limitProblem('bodyLimit', limits.bodyLimit, `the body is ${declared} bytes`) };
  const parts: FormPart[] = [];
  let total = 0;
  const over = (): MultipartOutcome => ({ problem: limitProblem('bodyLimit', limits.bodyLimit, `the multipart body holds more than ${limits.bodyLimit} bytes`) });
  try {
    for await (const part of request.parts()) {
      // Busboy bounds a multipart field name only by its header size: the name limit is checked here.
      if (part.fieldname.length > limits.fieldNameSize) {
        return { problem: limitProblem('fieldNameSize', limits.fieldNameSize, `a field name is longer than ${limits.fieldNameSize} characters`) };
      }
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > limits.bodyLimit) return over();
          chunks.push(chunk);
        }
        if (part.file.truncated) return { problem: multipartErrors.FST_REQ_FILE_TOO_LARGE(limits) };
        parts.push({ name: part.fieldname, bytes: Buffer.concat(chunks), filename: part.filename, contentType: part.mimetype });
      } else {
        if (part.valueTruncated) return { problem: limitProblem('fileSize', limits.fileSize, `the field "${part.fieldname}" is larger than ${limits.fileSize} bytes`, `/${part.fieldname}`) };
        // The plugin has already parsed a field sent as application/json; the core reads it again from text.
        const text = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        total += text.length;
        if (total > limits.bodyLimit) return over();
        parts.push({ name: part.fieldname, text, contentType: part.mimetype });
      }
    }
  } catch (error) {
    return { problem: multipartErrorProblem(error, limits) };
  }
  return { parts };
}

function refuse(reply: FastifyReply, body: Problem): void {
  // The rest of the upload is not read: the connection closes after the answer rather than stall on it.
  reply.header('connection', 'close');
  sendProblem(reply, body);
}

/**
 * Replaces Fastify's default body parsers: JSON (and `+json`, patch types) as before, urlencoded
 * forms decoded into the operation's schema, text as a string, anything else as raw bytes (multipart
 * is `registerMultipart`'s). Every parser keeps the raw text under `rawBodyKey`, which seeds generation.
 */
export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  const limits = multipartLimits(app.initialConfig.bodyLimit ?? 1024 * 1024);
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();

  app.addContentTypeParser(jsonContentType, { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    keepRaw(request, text, 'utf8');
    if (routeBody(request, mediaEssence(request.headers['content-type']))?.binary) return done(null, text);
    if (jsonDepthOver(text, maxJsonDepth)) return done(refusal(depthProblem('JSON body')), undefined);
    jsonParser(request, text, done);
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    keepRaw(request, text, 'utf8');
    let fields = 1;
    for (let i = text.indexOf('&'); i !== -1 && fields <= limits.fields; i = text.indexOf('&', i + 1)) fields++;
    if (fields > limits.fields) return done(refusal(limitProblem('fields', limits.fields, `the form has more than ${limits.fields} fields`)), undefined);
    const target = routeBody(request, 'application/x-www-form-urlencoded');
    if (target?.binary) return done(null, text);
    const pairs = [...new URLSearchParams(text)];
    // Bracket names (`a[b][c]`) nest like JSON: held to the same depth.
    if (pairs.some(([name]) => bracketDepth(name) > maxJsonDepth)) return done(refusal(depthProblem('form field name')), undefined);
    const decoded = (target?.decoder() ?? plainForm).form(pairs);
    if (decoded.issues.length > 0) (request as BodyRequest)[bodyIssuesKey] = decoded.issues;
    done(null, decoded.value);
  });

  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    const type = mediaEssence(request.headers['content-type']) || defaultBodyType;
    const kind = requestBodyKind(routeBody(request, type), type);
    if (kind === 'json' || kind === 'text') {
      const text = bytes.toString('utf8');
      keepRaw(request, text, 'utf8');
      if (kind === 'json' && jsonDepthOver(text, maxJsonDepth)) return done(refusal(depthProblem('JSON body')), undefined);
      return kind === 'json' ? jsonParser(request, text, done) : done(null, text);
    }
    // Raw bytes travel as a binary string (one character per byte): schemas see a string, maxLength counts bytes.
    const binary = bytes.toString('latin1');
    keepRaw(request, binary, 'latin1');
    done(null, binary);
  });
}

/**
 * Multipart for the scope of the routes that take it: the plugin's own hooks (two async ones per
 * request) then cost nothing on every other route. Elsewhere a multipart body is read as bytes and
 * answered 415 by the core, like any type the operation does not take.
 */
export async function registerMultipart(app: FastifyInstance): Promise<void> {
  const limits = multipartLimits(app.initialConfig.bodyLimit ?? 1024 * 1024);
  await app.register(multipart, {
    limits: { fields: limits.fields, files: limits.files, parts: limits.parts, headerPairs: limits.headerPairs, fieldNameSize: limits.fieldNameSize, fieldSize: limits.fileSize, fileSize: limits.fileSize },
    // A part is a file when it has a file name or carries bytes; text and JSON parts stay fields.
    isPartAFile: (_name, contentType, filename) => filename !== undefined || (contentType !== undefined && !/^text\/|json/i.test(contentType)),
  });
  app.addHook('preValidation', (request, reply, done) => {
    if (!request.isMultipart()) return done();
    const target = routeBody(request, 'multipart/form-data');
    // An operation that takes no multipart body answers 415 in its handler, with the types it takes.
    if (!target) return done();
    readParts(request, limits).then((outcome) => {
      if ('problem' in outcome) return refuse(reply, outcome.problem);
      const decoded = target.decoder().multipart(outcome.parts);
      const req = request as BodyRequest;
      req[rawBodyKey] = canonicalParts(outcome.parts);
      if (decoded.issues.length > 0) req[bodyIssuesKey] = decoded.issues;
      request.body = decoded.value;
      done();
    }, done);
  });
}
