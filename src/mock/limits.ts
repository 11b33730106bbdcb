import { problem, type Problem, type ProblemFieldError } from './problem.js';

// The bounds on what a client, a rules file or an admin call can make the mock hold. Every one has a
// default here; createMockServer takes overrides and `iwkit mock` has a flag for each.

/** The resource bounds of one mock; see the README's Limits table. */
export interface MockLimits {
  /** Open connections at once; past it a new connection gets a 503 problem and is closed. */
  maxConnections: number;
  /** Time to receive a whole request (headers and body), in ms; past it a 408 problem and the socket closes. */
  requestTimeout: number;
  /** Time a socket may stay silent, in ms (longer than the longest delay, which holds a socket silent). */
  connectionTimeout: number;
  /** Time an idle keep-alive connection is kept between requests, in ms. */
  keepAliveTimeout: number;
  /** Large request bodies (64 KiB or more) read and parsed at once; the others wait unread, within the request time-out. */
  maxLargeBodies: number;
  /** Requests waiting out a delay at once; past it a 503 problem with Retry-After. */
  maxDelayed: number;
  /** Run-time overrides at once; past it a 409 problem. */
  maxOverrides: number;
  /** Bytes of all run-time overrides together (as JSON text); past it a 413 problem. */
  maxOverrideBytes: number;
  /** Bytes of journal entries kept (as JSON text); the oldest are dropped past it. */
  maxJournalBytes: number;
  /** Stored state entries (sessions, items, counters) per client scope (`--stateful`); past it a 507 problem. */
  maxStateItems: number;
  /** Bytes of stored state per client scope (keys and JSON values); past it a 507 problem. */
  maxStateBytes: number;
}

/** The default bounds. */
export const defaultLimits: Readonly<MockLimits> = {
  maxConnections: 4096,
  requestTimeout: 30_000,
  connectionTimeout: 150_000,
  keepAliveTimeout: 72_000,
  maxLargeBodies: 2,
  maxDelayed: 500,
  maxOverrides: 1000,
  maxOverrideBytes: 4 * 1024 * 1024,
  maxJournalBytes: 16 * 1024 * 1024,
  maxStateItems: 10_000,
  maxStateBytes: 8 * 1024 * 1024,
};

/** The bounds in force: the defaults, with each limit given (and not undefined) over them. */
export function limitsWith(given: Partial<MockLimits> | undefined): MockLimits {
  const limits = { ...defaultLimits };
  for (const [name, value] of Object.entries(given ?? {}) as [keyof MockLimits, number | undefined][]) {
    if (value !== undefined) limits[name] = value;
  }
  return limits;
}

/** Nesting depth beyond which a value is neither stored nor serialised (overrides, journal bodies, rules). */
export const maxStoredDepth = 100;

/** The longest regex source a rule or override matcher may have. */
export const maxRegexLength = 1000;

/** A journalled body longer than this (as JSON text) is replaced by a note. */
export const maxJournalBodyChars = 64 * 1024;

/** A problem for a bound that was hit: says which limit and its value, in the detail and as `limit`. */
export function limitProblem(status: number, name: keyof MockLimits | string, value: number, detail: string, error?: Omit<ProblemFieldError, 'message'>): Problem {
  const message = `exceeds ${name}=${value}`;
  return problem(status, `${detail} (limit ${name}=${value})`, [{ in: error?.in ?? 'request', pointer: error?.pointer ?? '', message }], {
    type: 'urn:iwkit:problem:limit-exceeded',
    title: 'A limit of the mock was reached',
    limit: { name, value },
  });
}

/** What a walk over a JSON-like value found: how deep it nests and roughly how many bytes its JSON text takes. */
export interface ValueSize {
  depth: number;
  bytes: number;
  /** True when the walk stopped at `maxDepth` or `maxBytes` (the figures are then lower bounds). */
  over: boolean;
}

function scalarBytes(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  return 4;
}

/**
 * Measures a value without recursion (a value nested 100,000 deep must not overflow the stack here):
 * stops as soon as it is deeper than `maxDepth` or larger than `maxBytes`.
 */
export function measureValue(value: unknown, maxDepth = maxStoredDepth, maxBytes = Number.POSITIVE_INFINITY): ValueSize {
  const stack: [unknown, number][] = [[value, 1]];
  let depth = 0;
  let bytes = 0;
  while (stack.length > 0) {
    const [current, level] = stack.pop()!;
    if (level > depth) depth = level;
    if (depth > maxDepth || bytes > maxBytes) return { depth, bytes, over: true };
    if (typeof current !== 'object' || current === null) {
      bytes += scalarBytes(current);
      continue;
    }
    bytes += 2;
    if (Array.isArray(current)) {
      for (const item of current) {
        bytes += 1;
        stack.push([item, level + 1]);
      }
      continue;
    }
    for (const [key, item] of Object.entries(current as Record<string, unknown>)) {
      bytes += key.length + 4;
      stack.push([item, level + 1]);
    }
  }
  return { depth, bytes, over: depth > maxDepth || bytes > maxBytes };
}

/** Counts requests holding a bounded resource (delays in flight); `enter` says no once `capacity` are in. */
export class Gate {
  private held = 0;

  constructor(readonly capacity: number) {}

  /** How many are in now. */
  get size(): number {
    return this.held;
  }

  /** Takes a place; false when the gate is full. */
  enter(): boolean {
    if (this.held >= this.capacity) return false;
    this.held += 1;
    return true;
  }

  /** Gives a place back. */
  leave(): void {
    if (this.held > 0) this.held -= 1;
  }
}
