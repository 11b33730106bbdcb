import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorTable, isToolkitError, toolkitError } from '../src/errors.js';

describe('toolkit errors', () => {
  it('keeps the error-code table of docs/errors.md equal to src/errors.ts', () => {
    const section = readFileSync('docs/errors.md', 'utf8');
    const documented = [...section.matchAll(/^\| `(IWKIT_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(errorTable));
  });

  it('builds coded errors whose message fills the template', () => {
    const error = toolkitError('IWKIT_ERR_SPEC_READ', 'missing.yaml', 'ENOENT');
    expect(error.code).toBe('IWKIT_ERR_SPEC_READ');
    expect(error.message).toBe('cannot read spec missing.yaml: ENOENT');
    expect(isToolkitError(error)).toBe(true);
    expect(isToolkitError(new Error('plain'))).toBe(false);
  });

  it('names the code where test runners and stack traces print an error', () => {
    const error = toolkitError('IWKIT_ERR_SPEC_READ', 'missing.yaml', 'ENOENT');
    expect(String(error)).toBe('IwkitError [IWKIT_ERR_SPEC_READ]: cannot read spec missing.yaml: ENOENT');
    expect(error.stack?.split('\n')[0]).toBe('IwkitError [IWKIT_ERR_SPEC_READ]: cannot read spec missing.yaml: ENOENT');
    expect(error).toBeInstanceOf(Error);
  });
});
