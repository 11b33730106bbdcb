import type { StateBounds, StateStore } from './state-store.js';

/** Opens a Redis-backed state store (filled in below). */
export async function createRedisStore(_url: string, _bounds: StateBounds): Promise<StateStore> {
  throw new Error('not yet');
}
