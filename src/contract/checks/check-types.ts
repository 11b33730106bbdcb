import type { Operation } from '../../openapi/api-model.js';
import type { CheckResult, ContractCase, FlowRole, ParsedResponse, Severity, TransportFailure } from '../contract-types.js';
import type { SchemaValidation } from '../schema-validation.js';

/** What a check sees of one case after it ran. */
export interface CheckContext {
  case: ContractCase;
  operation: Operation;
  response?: ParsedResponse;
  transportError?: TransportFailure;
  elapsedMs: number;
  /** True when the case carried a configured credential (or the operation needs none). */
  hasCredential: boolean;
  maxResponseTimeMs?: number;
  timeoutMs: number;
  schemas: SchemaValidation;
  /** `--strict`: what the contract leaves open by default (e.g. a body in an undocumented media type) is held to the letter. */
  strict?: boolean;
  /** With --auth-from, on cases that sent the token obtained by the login: whether this case was the first to use a fresh token. */
  session?: { from: string; firstUse: boolean };
  /** On a flow step: its role and the steps before it, with their answers. */
  flow?: FlowView;
}

/** What a flow check sees of the flow a step belongs to. */
export interface FlowView {
  role: FlowRole;
  previous: { role: FlowRole; case: ContractCase; response?: ParsedResponse }[];
}

/** A check's verdict on one case; `undefined` when the check does not apply to it. A verdict may lower or raise the check's severity for this case. */
export type CheckVerdict = (Omit<CheckResult, 'check' | 'severity'> & { severity?: Severity }) | undefined;

/** A named contract check: a small pure function over one case's response. */
export interface Check {
  name: string;
  /** One sentence for `--help` and the check table in docs/contract.md. */
  description: string;
  severity: Severity;
  run(context: CheckContext): CheckVerdict;
}

/** A passing verdict, optionally with a note. */
export function passed(note?: string): CheckVerdict {
  return note ? { status: 'passed', note, problems: [] } : { status: 'passed', problems: [] };
}

/** A skipped verdict with its reason. */
export function skipped(note: string): CheckVerdict {
  return { status: 'skipped', note, problems: [] };
}

/** A failing verdict with its problems. */
export function failed(problems: CheckResult['problems'], note?: string): CheckVerdict {
  return note ? { status: 'failed', problems, note } : { status: 'failed', problems };
}
