import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { provideJsonSchemaEngine } from './json-schema-engine.js';

// Imported for its effect: provides ajv 2020 with every format as the engine of ajv-backed schema nodes.

provideJsonSchemaEngine(({ explain, regExp }) => {
  const ajv = new Ajv2020.default({ strict: false, allErrors: explain, verbose: explain, validateSchema: false, logger: false, code: { regExp } });
  addFormats.default(ajv);
  return ajv;
});
