import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/provide-json-schema-engine.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The JSON report lets .ci/run print its plain "N passed, M failed" line.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
