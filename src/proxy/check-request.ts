import { checkSecurity } from '../mock/check-security.js';
import type { CompiledOperation } from '../mock/compile-operation.js';
import { mediaEssence } from '../mock/media-kind.js';
import { problem, type Problem, type ProblemFieldError } from '../mock/problem.js';
import { parseMultipart } from './parse-multipart.js';
import { bodyIssues, defaultBodyType, findRequestBody, requestBodyKind, unsupportedMediaTypeProblem } from '../mock/request-body.js';

// The mock's own request validators (security, parameter parts, body media type and schema), run on a
// request that is forwarded rather than answered. The verdict is the problem the mock would answer.

/** What the proxy knows of a request when it checks it. */
export interface ProxiedRequest {
  /** Path parameters by the spec's names, as text. */
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  cookies: Record<string, string | undefined>;
  /** The body bytes, when the request had a complete one within the limit. */
  body?: Buffer;
}

/** The verdict on one request: the problem the mock would answer (undefined when valid). */
export interface RequestVerdict {
  /** False when the request lacked the credential the operation requires. */
  credentialed: boolean;
  problem?: Problem;
  /** The `WWW-Authenticate` challenge the mock sends with its 401, when the scheme has one. */
  challenge?: string;
  /** A note when part of the request could not be checked. */
  note?: string;
}

function decodeBody(op: CompiledOperation, type: string, contentType: string | undefined, bytes: Buffer, bodyLimit: number): { value?: unknown; errors: ProblemFieldError[]; note?: string } {
  const target = findRequestBody(op.bodies, type);
  if (!target) return { errors: [] };
  const kind = requestBodyKind(target, type);
  let value: unknown;
  const issues: { pointer: string; message: string }[] = [];
  if (kind === 'json') {
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      return { errors: [{ in: 'body', pointer: '', message: `invalid JSON: ${error instanceof Error ? error.message : 'unparseable'}` }] };
    }
  } else if (kind === 'form') {
    const decoded = target.decoder().form([...new URLSearchParams(bytes.toString('utf8'))]);
    issues.push(...decoded.issues);
    value = decoded.value;
  } else if (kind === 'multipart') {
    const read = parseMultipart(bytes, contentType, bodyLimit);
    if ('malformed' in read) return { errors: [{ in: 'body', pointer: '', message: `malformed multipart body: ${read.malformed}` }] };
    const decoded = target.decoder().multipart(read.parts);
    issues.push(...decoded.issues);
    value = decoded.value;
  } else {
    value = kind === 'text' ? bytes.toString('utf8') : bytes.toString('latin1');
  }
  issues.push(...bodyIssues(target, kind, value, op.operation.requestBody?.required ?? false));
  return { value, errors: issues.map((e) => ({ in: 'body', pointer: e.pointer, message: e.message })) };
}

function validationProblem(op: CompiledOperation, errors: ProblemFieldError[]): Problem {
  const detail = `${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => `${e.in} ${e.pointer || '/'} ${e.message}`).join('; ')}`;
  // As the mock does: the spec's own 422 or 400 when it declares one.
  const declared = op.responses.find((r) => r.spec.status === '422') ?? op.responses.find((r) => r.spec.status === '400');
  return problem(declared ? Number(declared.spec.status) : 400, detail, errors);
}

/** Checks a request against its operation as the mock would: 401, then 415, then every invalid field (400/422). */
export function checkRequest(op: CompiledOperation, request: ProxiedRequest, bodyPresent: boolean, bodyLimit: number): RequestVerdict {
  const security = checkSecurity(op.operation.security, { headers: request.headers, query: request.query, cookies: request.cookies });
  if (!security.ok) return { credentialed: false, problem: problem(401, security.detail, security.errors), ...(security.challenge ? { challenge: security.challenge } : {}) };

  const requestBody = op.operation.requestBody;
  const contentType = single(request.headers['content-type']);
  const type = mediaEssence(contentType) || defaultBodyType;
  if (requestBody && bodyPresent && !findRequestBody(op.bodies, type)) {
    return { credentialed: true, problem: unsupportedMediaTypeProblem(mediaEssence(contentType), requestBody.content.map((m) => m.contentType)) };
  }

  const errors: ProblemFieldError[] = [];
  const raw = { path: request.params, query: request.query, header: request.headers, cookie: request.cookies };
  for (const location of ['path', 'query', 'header', 'cookie'] as const) {
    const part = op.parts[location];
    if (!part) continue;
    for (const e of part.validator.errors(part.read(raw[location] as Record<string, unknown>))) errors.push({ in: location, pointer: e.pointer, message: e.message });
  }
  let note: string | undefined;
  if (requestBody) {
    if (!bodyPresent) {
      if (requestBody.required) errors.push({ in: 'body', pointer: '', message: 'a request body is required' });
    } else if (request.body) {
      const decoded = decodeBody(op, type, contentType, request.body, bodyLimit);
      errors.push(...decoded.errors);
      note = decoded.note;
    }
  }
  const verdict: RequestVerdict = { credentialed: true, ...(note ? { note } : {}) };
  return errors.length > 0 ? { ...verdict, problem: validationProblem(op, errors) } : verdict;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
