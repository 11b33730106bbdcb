// A vitest setup file, not a test. iwkit's entry points (the package root, loadApi) provide the full
// JSON Schema engine; tests that use the schema layer's modules directly get it the same way.
import '../src/openapi/ajv-engine.js';
