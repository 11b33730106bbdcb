import type { Api } from '../../openapi/api-model.js';
import type { ContractCase } from '../contract-types.js';
import type { PlannedFlow } from './flow-types.js';

/** Options of {@link planFlows}. */
export interface FlowPlanOptions {
  /** Flows per resource group. */
  perGroup: number;
  /** Flows in all. */
  max: number;
  /** The login operation (--auth-from), never a step of a flow. */
  authFrom?: string | undefined;
}

/** Builds the flows of a spec from its links and the links iwkit infers. */
export function planFlows(_api: Api, _cases: ContractCase[][], _options: FlowPlanOptions): PlannedFlow[] {
  return [];
}
