import { describe, expect, it } from 'vitest';
import { problem } from '../../src/mock/problem.js';
import { scenarioProblem } from '../../src/mock/scenario-problem.js';

describe('status titles', () => {
  it('names a scripted status by its HTTP name and the mock’s own problem by what it found', () => {
    expect(scenarioProblem(400, 'rule "x"')).toMatchObject({ type: 'urn:iwkit:scenario:bad-request', title: 'Bad request', status: 400 });
    expect(problem(400, 'broken')).toMatchObject({ type: 'urn:iwkit:problem:invalid-request', title: 'Invalid request', status: 400 });
  });

  it('falls back to a generic name for statuses the table does not know', () => {
    expect(scenarioProblem(418, 'rule "x"')).toMatchObject({ type: 'urn:iwkit:scenario:status-418', title: 'HTTP 418' });
    expect(problem(418, 'teapot').title).toBe('Client error');
    expect(problem(599, 'odd').title).toBe('Internal mock error');
  });
});
