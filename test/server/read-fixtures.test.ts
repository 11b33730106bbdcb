import { mkdtemp, mkdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFixtures } from '../../src/server/read-fixtures.js';

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iwkit-read-fixtures-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

describe('readFixtures', () => {
  it('reads JSON envelopes and builder modules per operation, skipping plain files such as scenarios.yaml', async () => {
    const dir = await folder({
      'scenarios.yaml': 'rules: []',
      'login/default.json': JSON.stringify({ summary: 'ok', status: 201, headers: { 'x-a': '1' }, body: { a: 1 } }),
      'login/built.mjs': 'export const status = 202; export default () => ({ b: 2 });',
    });
    const fixtures = (await readFixtures(dir, ['login'])).get('login')!;
    expect(fixtures.map((f) => f.name)).toEqual(['built', 'default']);
    expect(fixtures[1]).toMatchObject({ status: 201, summary: 'ok', headers: { 'x-a': '1' }, body: { a: 1 } });
    expect(fixtures[0].status).toBe(202);
    expect(fixtures[0].build?.({} as never)).toEqual({ b: 2 });
  });

  it('imports an edited builder module again, so a hot reload sees the edit', async () => {
    const dir = await folder({ 'login/built.mjs': 'export default () => ({ version: 1 });' });
    const first = (await readFixtures(dir, ['login'])).get('login')![0];
    await writeFile(join(dir, 'login/built.mjs'), 'export default () => ({ version: 2 });');
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'login/built.mjs'), later, later);
    const second = (await readFixtures(dir, ['login'])).get('login')![0];
    expect(first.build?.({} as never)).toEqual({ version: 1 });
    expect(second.build?.({} as never)).toEqual({ version: 2 });
  });

  it('refuses a fixture header that could not be sent, naming the file', async () => {
    const dir = await folder({ 'login/bad.json': JSON.stringify({ headers: { 'x-note': 'a\nb' } }) });
    await expect(readFixtures(dir, ['login'])).rejects.toMatchObject({ code: 'IWKIT_ERR_FIXTURE_READ', message: expect.stringMatching(/bad\.json.*x-note/) });
  });

  it('refuses a JSON fixture with keys outside the envelope, naming the file', async () => {
    const dir = await folder({ 'login/bad.json': JSON.stringify({ valid: true }) });
    await expect(readFixtures(dir, ['login'])).rejects.toMatchObject({ code: 'IWKIT_ERR_FIXTURE_READ', message: expect.stringMatching(/bad\.json.*put the response body under "body"/) });
  });
});
