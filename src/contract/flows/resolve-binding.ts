import type { ContractCase, ParsedResponse } from '../contract-types.js';
import { valueAtPointer } from '../json-pointer.js';
import type { FlowBinding } from './flow-types.js';

/** What an earlier step left: the case it sent and the answer it got. */
export interface StepAnswer {
  case: ContractCase;
  response?: ParsedResponse;
}

function header(response: ParsedResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

// A Location names the created resource: its last path segment is the id the item path takes.
function lastSegment(location: string): string | undefined {
  let path: string;
  try {
    path = new URL(location, 'http://relative.invalid').pathname;
  } catch {
    return undefined;
  }
  const segment = path.split('/').filter(Boolean).pop();
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The value a binding reads from the earlier steps, or undefined when that step gave none. */
export function resolveBinding(binding: FlowBinding, answers: readonly StepAnswer[]): unknown {
  const answer = answers[binding.step];
  if (!answer) return undefined;
  const { expression } = binding;
  if (!expression.startsWith('$')) return expression;
  const response = answer.response;
  if (expression.startsWith('$response.body')) {
    if (response?.json?.ok !== true) return undefined;
    const found = valueAtPointer(response.json.value, expression.slice('$response.body'.length).replace(/^#/, ''));
    return found.found ? found.value : undefined;
  }
  if (expression.startsWith('$response.header.')) {
    const value = response ? header(response, expression.slice('$response.header.'.length)) : undefined;
    return value !== undefined && binding.source === 'location' ? lastSegment(value) : value;
  }
  const request = answer.case.request;
  if (expression.startsWith('$request.path.')) return request.path[expression.slice('$request.path.'.length)];
  if (expression.startsWith('$request.query.')) return request.query[expression.slice('$request.query.'.length)];
  if (expression.startsWith('$request.body')) {
    const body = request.body && 'value' in request.body ? request.body.value : undefined;
    const found = valueAtPointer(body, expression.slice('$request.body'.length).replace(/^#/, ''));
    return found.found ? found.value : undefined;
  }
  return undefined;
}
