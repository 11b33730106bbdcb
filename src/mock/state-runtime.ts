import type { StateStore } from '../state/state-store.js';
import type { StatePlan } from './plan-state.js';

/** What the stateful answers share: the store, the plan, session lifetime and the clocks. */
export interface StateRuntime {
  store: StateStore;
  plan: StatePlan;
  /** How long a session lives after its login (ms). */
  sessionTtlMs: number;
  /** Real time, for expiry (ms since the epoch). */
  clock: () => number;
  /** With a seed, written timestamps start at the run's anchor and step forward, so answers repeat across restarts. */
  fixedTime: boolean;
}

/** The default session lifetime: 30 minutes. */
export const defaultSessionTtlMs = 30 * 60 * 1000;
