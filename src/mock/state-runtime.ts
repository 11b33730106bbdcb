import type { TSchema } from '@sinclair/typebox';
import type { StateStore } from '../state/state-store.js';
import type { CompiledOperation } from './compile-operation.js';
import { compileInitialState, type InitialState } from './initial-state.js';
import { planState, type StatePlan } from './plan-state.js';

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
  /** A starting data set every client scope begins with (`--state-file`), written on a scope's first stateful request. */
  initial?: InitialState;
}

/** The default session lifetime: 30 minutes. */
export const defaultSessionTtlMs = 30 * 60 * 1000;

/** What both adapters pass to build the state runtime. */
export interface StateRuntimeOptions {
  store: StateStore;
  sessionTtlMs?: number;
  seeded: boolean;
  /** A starting data set and where it came from (a file name, or `initialState option`), checked against the plan now. */
  initialState?: { data: unknown; source: string };
}

/** The state runtime for a spec's compiled operations: the plan decided from the spec, the store, the clocks. */
export function createStateRuntime(compiled: CompiledOperation[], references: readonly TSchema[], options: StateRuntimeOptions): StateRuntime {
  const plan = planState(compiled, references);
  const initial = options.initialState && compileInitialState(options.initialState.data, options.initialState.source, plan, options.store.bounds);
  return {
    store: options.store,
    plan,
    sessionTtlMs: options.sessionTtlMs ?? defaultSessionTtlMs,
    clock: Date.now,
    fixedTime: options.seeded,
    ...(initial ? { initial } : {}),
  };
}
