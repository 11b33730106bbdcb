// The public API of iwkit: explicit named exports only.
// On Node the schema layer uses the full JSON Schema engine (ajv); iwkit/msw in a browser may go without it.
import './openapi/ajv-engine.js';
export { errorTable, isToolkitError, toolkitError } from './errors.js';
export type { ErrorCode, ToolkitError } from './errors.js';

// The contract: load once, then everything reads the normalised model.
export type * from './openapi/api-model.js';
export { loadApi } from './openapi/load-api.js';
export { compileValidator } from './openapi/compile-validator.js';
export type { ValidationIssue, Validator } from './openapi/compile-validator.js';
export { createSchemaConverter, schemaToTypeBox } from './openapi/schema-to-typebox.js';
export type { Direction, SchemaConverter } from './openapi/schema-to-typebox.js';
export { renderTypeBoxModule } from './openapi/render-typebox-module.js';
export { registerFormats } from './openapi/formats.js';

// Fake data.
export { createGenerator } from './fake/create-generator.js';
export type { GenerateContext, GeneratorOptions, ValueGenerator } from './fake/create-generator.js';
export { realisticStrategy } from './fake/generation-strategy.js';
export type { GenerationStrategy } from './fake/generation-strategy.js';
export { edgeProfiles, isEdgeProfile, parseEdgeProfiles } from './fake/edge-profiles.js';
export type { EdgeProfile } from './fake/edge-profiles.js';
export { edgeStrategy } from './fake/edge-strategy.js';
export type { EdgeOptions } from './fake/edge-strategy.js';

// The mock server.
export { createMockServer } from './server/create-mock-server.js';
export type { JournalEntry, JournalFilter, MockServer, MockServerOptions, OverrideInfo, OverrideInput, ScenarioRule, ScenarioRules } from './server/create-mock-server.js';
export { watchMockServer } from './server/watch-reload.js';
export type { ReloadOutcome, WatchedMockServer } from './server/watch-reload.js';
export type { Fixture, FixtureBuilder, FixtureRequest } from './mock/fixture.js';
export type { Problem as MockProblem, ProblemFieldError } from './mock/problem.js';

// The contract runner.
export { contractDefaults, runContract } from './contract/run-contract.js';
export type { ContractEvent, ContractOptions } from './contract/run-contract.js';
export type { ContractResult, OperationSummary, Totals } from './contract/contract-result.js';
export type { Transport, TransportLimits } from './contract/transport.js';
export { createHttpTransport } from './contract/http-transport.js';
export { createInjectTransport } from './contract/inject-transport.js';
export { allChecks, selectChecks } from './contract/checks/all-checks.js';
export { matchResponse } from './contract/match-response.js';
export { createProxyServer } from './proxy/create-proxy-server.js';
export type { ProxyBounds, ProxyServer, ProxyServerOptions, Violation } from './proxy/create-proxy-server.js';
export type { MatchOptions, PlainResponse, ResponseMatch } from './contract/match-response.js';
export { formatConsoleReport } from './contract/reporters/console-reporter.js';
export { renderJunit } from './contract/reporters/junit-reporter.js';
export { renderJson } from './contract/reporters/json-reporter.js';
