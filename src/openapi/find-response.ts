import type { Operation, ResponseSpec } from './api-model.js';

// Which declared response answers a status: one answer for the mock, the contract checks and the proxy.

/** True when a declared response key (`200`, `2XX`, `default`) covers `status`. */
export function statusMatches(declared: string, status: number): boolean {
  if (declared === 'default') return true;
  if (/^[1-5]XX$/i.test(declared)) return declared[0] === String(status)[0];
  return Number(declared) === status;
}

/** The item declared for `status`: exact code first, then its range (`4XX`), then `default`; `keyOf` reads an item's response key. */
export function findByStatus<T>(items: readonly T[], status: number, keyOf: (item: T) => string): T | undefined {
  return (
    items.find((item) => keyOf(item) === String(status)) ??
    items.find((item) => /XX$/i.test(keyOf(item)) && statusMatches(keyOf(item), status)) ??
    items.find((item) => keyOf(item) === 'default')
  );
}

/** The response an operation declares for `status` (exact code, then range, then `default`). */
export function findResponseSpec(operation: Operation, status: number): ResponseSpec | undefined {
  return findByStatus(operation.responses, status, (r) => r.status);
}
