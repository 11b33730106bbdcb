import { compileOverride, type RuleContext } from './compile-rules.js';
import type { OverrideInfo, OverrideStore } from './overrides.js';

/** Checks an override against the spec and sets it; throws IWKIT_ERR_SCENARIO_INVALID when it is not valid, IWKIT_ERR_OVERRIDE_LIMIT when the store is full. */
export function addOverride(controls: { overrides: OverrideStore; overrideContext: RuleContext }, input: unknown, client?: string): OverrideInfo {
  const id = controls.overrides.nextId();
  // The walk stops just past the byte bound: a 1 MB override costs no more to refuse than a small one.
  const { bytes, ...rule } = compileOverride(input, controls.overrideContext, id, controls.overrides.limits.maxOverrideBytes + 1);
  return controls.overrides.add({ id, client: client ?? rule.client, rule, created: new Date().toISOString(), bytes });
}
