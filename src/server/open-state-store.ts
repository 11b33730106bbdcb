import { optionError } from '../options/check-options.js';
import { MemoryStore } from '../state/memory-store.js';
import type { StateBounds, StateStore } from '../state/state-store.js';

/** Opens the store `state` names: `memory` (or nothing), a `redis://` URL (each command bounded by `timeoutMs`), or a store given as is. */
export async function openStateStore(state: string | StateStore | undefined, bounds: StateBounds, timeoutMs?: number): Promise<StateStore> {
  if (typeof state === 'object') return state;
  if (state === undefined || state === 'memory') return new MemoryStore(bounds);
  if (/^rediss?:\/\//i.test(state)) {
    // Node-only, and loaded only when asked for: the core and the browser bundle never see it.
    const { createRedisStore } = await import('../state/redis-store.js');
    return createRedisStore(state, bounds, { timeoutMs });
  }
  throw optionError('state', `expected "memory" or a redis:// URL, got ${JSON.stringify(state.replace(/\/\/[^@/]*@/, '//***@'))}`);
}
