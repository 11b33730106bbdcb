import type { ContractCase, FlowRole } from '../contract-types.js';

/** Where a step takes a value from an earlier step: an OpenAPI runtime expression (`$response.body#/id`, `$response.header.Location`, `$request.path.id`). */
export interface FlowBinding {
  /** The path parameter of this step that takes the value. */
  parameter: string;
  /** The index of the earlier step read. */
  step: number;
  expression: string;
  /** Where the binding came from: an OpenAPI link of the spec, or inferred. */
  source: 'link' | 'location' | 'id';
}

/** One step of a flow: its case (path parameters still to bind) and where its parameters come from. */
export interface FlowStep {
  role: FlowRole;
  case: ContractCase;
  bindings: FlowBinding[];
}

/** A sequence of calls on one resource: create → read → update → read → delete → read (the steps the spec has). */
export interface PlannedFlow {
  id: string;
  /** The collection path, e.g. `/things`. */
  group: string;
  steps: FlowStep[];
}
