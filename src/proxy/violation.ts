import type { Severity } from '../contract/contract-types.js';

/** One way one exchange broke the contract: plain data, holding no secret. */
export interface Violation {
  /** Increasing within one proxy run. */
  seq: number;
  at: string;
  /** The contract runner's check name, or the proxy's own `request-validation` / `undocumented-request`. */
  check: string;
  severity: Severity;
  /** Undefined for a request no operation of the spec takes. */
  operationId?: string;
  method: string;
  /** The request path, without its query (which may carry credentials). */
  path: string;
  /** The upstream's status, when it answered. */
  status?: number;
  /** JSON pointer (or header or parameter name) of the offending part. */
  pointer?: string;
  message: string;
  expected?: string;
  actual?: string;
  /** The request as a curl line against the upstream, secrets redacted. */
  curl: string;
}

/** Short codes for the `iwkit-violations` header. */
const shortCodes: Record<string, string> = {
  'status-code-conformance': 'status',
  'content-type-conformance': 'content-type',
  'response-schema-conformance': 'schema',
  'response-headers-conformance': 'headers',
  'not-a-server-error': 'server-error',
  'ignored-auth': 'auth',
  'negative-data-rejection': 'accepted-invalid',
  'request-validation': 'request',
  'undocumented-request': 'undocumented',
};

/** The `iwkit-violations` header value: the count, then the distinct short codes (`2 schema,request`). */
export function violationsHeader(violations: readonly Violation[]): string {
  const codes = [...new Set(violations.map((v) => shortCodes[v.check] ?? v.check))];
  return `${violations.length} ${codes.join(',')}`;
}

/** One readable log line for a violation. */
export function violationLine(v: Violation): string {
  const where = v.pointer !== undefined ? ` at ${v.pointer || '(root)'}` : '';
  const op = v.operationId ?? 'undocumented';
  const status = v.status !== undefined ? ` → ${v.status}` : '';
  const detail = [v.expected !== undefined ? `expected ${v.expected}` : '', v.actual !== undefined ? `actual ${v.actual}` : ''].filter(Boolean).join(', ');
  return `iwkit proxy violation · ${v.check} · ${op} · ${v.method} ${v.path}${status}${where}: ${v.message}${detail ? ` (${detail})` : ''}`;
}

/** The last `capacity` violations, oldest first; the total seen is counted even when older ones were dropped. */
export class ViolationJournal {
  private readonly entries: Violation[] = [];
  private seen = 0;

  constructor(private readonly capacity: number) {}

  /** Records a violation, dropping the oldest past the capacity. */
  add(violation: Omit<Violation, 'seq'>): Violation {
    const entry = { seq: ++this.seen, ...violation };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return entry;
  }

  /** The kept violations, oldest first. */
  list(): Violation[] {
    return [...this.entries];
  }

  /** Every violation seen, kept or dropped. */
  get total(): number {
    return this.seen;
  }

  /** How many were dropped to respect the capacity. */
  get dropped(): number {
    return this.seen - this.entries.length;
  }
}
