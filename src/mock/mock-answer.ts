import type { ValidationIssue } from '../openapi/compile-validator.js';
import type { SessionState } from './match-rule.js';
import type { Problem } from './problem.js';

// The core's two neutral shapes: what an adapter hands over of a request, and what it gets back to send.

/** A request as the core sees it, whatever framework or runtime received it. */
export interface MockRequest {
  /** Upper-case. */
  method: string;
  /** The path and query as received (percent-encoded): seeds generation. */
  url: string;
  /** The path without its query. */
  path: string;
  /** Path parameters as text, by the spec's names. */
  params: Record<string, unknown>;
  /** The parsed query (repeated keys as arrays). */
  query: Record<string, unknown>;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed cookies; when absent, the core parses the Cookie header, and only if it must. */
  cookies?: Record<string, string | undefined>;
  /** The parsed body (undefined: none was sent). */
  body: unknown;
  /** The raw text of the body (bytes as a binary string, multipart as its parts): seeds generation. */
  rawBody?: string;
  /** Problems the adapter's body reader found (forbidden form names), reported with the validation errors. */
  bodyIssues?: ValidationIssue[];
  /** The state of the presented session, set by the state step before rules are matched (`--stateful`); adapters leave it unset. */
  session?: SessionState;
  /** The adapter checked every parameter and the body against the schemas and found nothing: validation is skipped. */
  prevalidated?: boolean;
}

/** A fault that needs the transport: drop the connection (reset or clean close) or send half a body. */
export type TransportFault = 'reset' | 'empty' | 'truncated';

/** The core's answer to one request: everything an adapter writes, waits for or breaks. */
export interface MockAnswer {
  status: number;
  /** Header names as the spec or rule wrote them; values already header-safe text. */
  headers: Record<string, string>;
  /** Text, or bytes for binary media types; undefined: no body. */
  body?: string | Uint8Array;
  /** Milliseconds to wait before answering (0: at once). */
  delayMs: number;
  /** When set, the adapter breaks the transport instead of (or while) answering. */
  fault?: TransportFault;
  /** How the answer was chosen, for the journal and the request log (`fixture:missing-2fa`, `rule:expired`, `problem:400`). */
  scenario: string;
  /** The operation that answered; undefined for requests no operation took. */
  operationId?: string;
  /** Set when this is one of the mock's own errors. */
  problem?: Problem;
  /**
   * True when an identical request (same method, URL, headers and body bytes) would get this same answer:
   * no rule, override, fixture builder, error rate, delay or state decided it. Adapters may replay it.
   */
  reusable?: boolean;
}
