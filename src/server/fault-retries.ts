import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { rawBodyKey } from './handle-operation.js';

// Why this exists: Chromium (and Firefox) silently re-send a request whose *reused* keep-alive connection
// closes before any byte of the answer arrives (Chromium's HttpNetworkTransaction::ShouldResendRequest,
// at most kMaxRetryAttempts = 2 times). A `times: 1` reset or empty fault was then spent on the first
// try and the re-sent request got the normal answer: the page saw 200, never the fault. So when a
// connection fault lands on a connection that carried an earlier answer, the mock remembers that
// request for a moment, and the browser's re-send gets the same fault again instead of using up a
// rule or reaching the normal answer. Once the fault reaches a fresh connection (or the browser's
// retries are used up) the browser reports it (`TypeError: Failed to fetch`), and nothing is left over
// to catch the page's next request.

/** A dropped-connection fault waiting for the browser's silent re-send of the request it dropped. */
export interface PendingRetry {
  fault: 'reset' | 'empty';
  /** The rule's label, for the journal and the request log. */
  label: string;
  /** How many more re-sends get the fault again. */
  left: number;
  expires: number;
}

/** Re-sends a browser may still make after a drop: Chromium's kMaxRetryAttempts. */
export const browserRetries = 2;

/** How long a dropped request waits for its re-send; browsers re-send at once. */
const retryWindowMs = 2000;

/** Dropped requests remembered at once; the oldest goes first. */
const maxPending = 256;

/** The identity of a request across connections: same client address, method, URL, client header and body. */
export function retryKey(request: FastifyRequest): string {
  const raw = (request as unknown as Record<symbol, string | undefined>)[rawBodyKey] ?? '';
  const client = request.headers['iwkit-client'] ?? '';
  // Hashed: a remembered request costs a few bytes whatever its body size.
  return createHash('sha1').update(`${request.ip}\u0000${request.method}\u0000${request.url}\u0000${String(client)}\u0000`).update(raw).digest('base64');
}

/** The dropped requests whose browser re-send must get the same fault (bounded by count and time). */
export class FaultRetries {
  private readonly pending = new Map<string, PendingRetry>();

  /** Remembers a request dropped on a reused connection; `left` re-sends will get the same fault. */
  remember(key: string, fault: PendingRetry['fault'], label: string, left: number, now = Date.now()): void {
    if (left <= 0) return;
    this.pending.delete(key);
    if (this.pending.size >= maxPending) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(key, { fault, label, left, expires: now + retryWindowMs });
  }

  /** The fault a re-sent request gets again, if it is one (each re-send used once). */
  take(key: string, now = Date.now()): PendingRetry | undefined {
    if (this.pending.size === 0) return undefined;
    const hit = this.pending.get(key);
    if (!hit) return undefined;
    this.pending.delete(key);
    return hit.expires >= now ? hit : undefined;
  }

  /** How many dropped requests are remembered. */
  get size(): number {
    return this.pending.size;
  }

  /** True while a re-send could still be due; forgets the expired ones (the oldest expire first). */
  anyPending(now = Date.now()): boolean {
    for (const [key, retry] of this.pending) {
      if (retry.expires >= now) return true;
      this.pending.delete(key);
    }
    return false;
  }
}
