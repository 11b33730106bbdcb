import type { EdgeProfile } from '../fake/edge-profiles.js';
import type { Operation } from '../openapi/api-model.js';

// Plain data shared by cases, the runner, checks and reporters. Failures are data, never exceptions.

/** Where a case comes from. */
export type CaseKind = 'example' | 'fixture' | 'generated' | 'edge' | 'negative' | 'security' | 'flow';

/** Which credential a case sends. */
export type CaseAuth = 'valid' | 'none' | 'invalid';

/** How a negative case breaks the request. */
export type MutationKind =
  | 'wrong-type'
  | 'missing-required'
  | 'null-not-allowed'
  | 'bad-format'
  | 'not-in-enum'
  | 'wrong-content-type'
  | 'malformed-json'
  | 'missing-body'
  | 'missing-parameter';

/** The one place a negative case breaks. */
export interface Mutation {
  kind: MutationKind;
  location: 'body' | 'query' | 'header' | 'path' | 'cookie';
  /** JSON pointer inside the body, or the parameter name. */
  pointer: string;
}

/** How one property of a form or multipart body travels (from the spec's `encoding` and the property's schema). */
export interface FieldEncoding {
  /** A file part (multipart) or bytes: the schema says `format: binary` or names a `contentMediaType`. */
  file?: boolean;
  /** The part's media type (multipart) or the value's serialisation (`application/json` → JSON text). */
  contentType?: string;
  /** An explicit OpenAPI style (form bodies): `form`, `spaceDelimited`, `pipeDelimited` or `deepObject`. */
  style?: string;
  explode?: boolean;
}

/** A request body as the case describes it: a value to serialise (form and multipart fields per `fields`), or raw text sent verbatim. */
export type CaseBody =
  | { contentType: string; value: unknown; fields?: Record<string, FieldEncoding> }
  | { contentType: string; raw: string };

/** The request of a case before serialisation. */
export interface CaseRequest {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  cookies: Record<string, unknown>;
  body?: CaseBody;
}

/** One request the runner sends for an operation, with what the contract expects of the answer. */
export interface ContractCase {
  /** Unique within a run, e.g. `instagramLogin/negative/3`. */
  id: string;
  operation: Operation;
  kind: CaseKind;
  /** Human-readable, e.g. `example "default"`, `generated #2`, `wrong-type at body /data/code`. */
  name: string;
  /** Positive cases must be accepted, negative and security cases rejected. */
  expectation: 'accept' | 'reject';
  auth: CaseAuth;
  request: CaseRequest;
  mutation?: Mutation;
  /** The seed that generated this case, when generated. */
  seed?: number;
  /** The edge profile that built this case (kind `edge`). */
  profile?: EdgeProfile;
  /** Parameters described by `content` instead of `schema`, keyed `in:name`, with their media type (JSON ones travel as JSON text). */
  parameterMedia?: Record<string, string>;
  /** Set on the steps of a flow (create → read → update → read → delete → read). */
  flow?: FlowStepRef;
}

/** What a step does in its flow; the flow checks read it. */
export type FlowRole = 'create' | 'read-created' | 'update' | 'read-updated' | 'delete' | 'read-deleted';

/** Which flow a case belongs to and where in it. */
export interface FlowStepRef {
  /** e.g. `flow:things/0`. */
  id: string;
  /** 0-based position in the flow. */
  index: number;
  role: FlowRole;
}

/** An HTTP request ready for a transport. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What a transport returns: headers lower-cased, body capped. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Set when the body could not be read completely. */
  bodyProblem?: 'too-large' | 'aborted';
}

/** Why no response arrived. */
export type TransportErrorKind = 'timeout' | 'refused' | 'reset' | 'dns' | 'other';

/** A transport failure recorded as data. */
export interface TransportFailure {
  kind: TransportErrorKind;
  message: string;
}

/** A response prepared once for every check. */
export interface ParsedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The media type without parameters, lower-case; undefined when absent. */
  mediaType?: string;
  text: string;
  bodyBytes: number;
  bodyProblem?: 'too-large' | 'aborted';
  /** The JSON value when the body parsed as JSON. */
  json?: { ok: true; value: unknown } | { ok: false; error: string };
}

/** How serious a failure of a check is: errors fail the run, warnings are reported only. */
export type Severity = 'error' | 'warning';

/** One precise problem a check found. */
export interface Problem {
  message: string;
  /** JSON pointer into the response body (or a header name for header checks). */
  pointer?: string;
  expected?: string;
  actual?: string;
}

/** The result of one check on one case. */
export interface CheckResult {
  check: string;
  severity: Severity;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped, or a remark on a pass (e.g. undocumented 4xx counted as rejection). */
  note?: string;
  problems: Problem[];
}

/** A request as reports show it: secrets redacted, the valid credential shown as `$IWKIT_TOKEN`. */
export interface DisplayRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as text, or `[N bytes of <type>]` when it is not text. */
  bodyExcerpt?: string;
  /** For the curl line only: a body that is not one line of text, as a printf(1) format string. */
  bodyPrintf?: string;
}

/** A response as reports show it: secret headers and properties redacted, body cut short. */
export interface ResponseSummary {
  status: number;
  headers: Record<string, string>;
  mediaType?: string;
  bodyBytes: number;
  bodyProblem?: 'too-large' | 'aborted';
  bodyExcerpt: string;
}

/** Everything recorded about one case after it ran (or was not sent); holds no secret by construction. */
export interface CaseOutcome {
  id: string;
  operationId: string;
  method: string;
  path: string;
  kind: CaseKind;
  name: string;
  expectation: 'accept' | 'reject';
  auth: CaseAuth;
  mutation?: Mutation;
  seed?: number;
  profile?: EdgeProfile;
  request: DisplayRequest;
  /** A copy-paste command that sends the same request. */
  curl: string;
  sent: boolean;
  /** Why it was not sent (request budget, target stopped answering). */
  notSentReason?: string;
  response?: ResponseSummary;
  transportError?: TransportFailure;
  elapsedMs: number;
  startedAt?: string;
  /** The case was answered 401, the runner logged in again (--auth-from) and sent it once more: this is the second answer. */
  relogin?: boolean;
  /** A flow step: the flow, the step, and one curl line per step up to this one (the whole sequence as a repro). */
  flow?: FlowStepRef & { steps: string[] };
  results: CheckResult[];
}
