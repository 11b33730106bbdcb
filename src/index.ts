// The public API of iwkit: explicit named exports only.
export { errorTable, isToolkitError, toolkitError } from './errors.js';
export type { ErrorCode, ToolkitError } from './errors.js';
export type * from './openapi/api-model.js';
export { registerFormats } from './openapi/formats.js';
