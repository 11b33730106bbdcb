import { request } from 'node:http';
import { median } from './load.js';
import { spawnServer, type SpawnSpec } from './spawn-server.js';

/** A single HTTP exchange: status and body text. */
export interface SimpleResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request without keep-alive and reads the whole answer. */
export function sendOnce(url: string, options: { method: string; headers: Record<string, string>; body?: string }): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Time from spawn to the first 200 of one start, in ms. */
export async function timeToFirst200(spec: SpawnSpec, path: string, init: { headers: Record<string, string>; body: string }): Promise<number> {
  const server = await spawnServer(spec);
  try {
    // The server printed its address after binding; a refused connection still gets a few retries.
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        const res = await sendOnce(server.url + path, { method: 'POST', ...init });
        if (res.status === 200) return performance.now() - server.spawnedAt;
        throw new Error(`${spec.name} answered ${res.status} to its first login: ${res.body.slice(0, 200)}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw error;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    throw new Error(`${spec.name} refused every connection`);
  } finally {
    await server.stop();
  }
}

/** Alternates starts of the given servers `runs` times; returns each one's median time to first 200 and all samples. */
export async function compareStartTimes(
  specs: SpawnSpec[],
  runs: number,
  path: string,
  init: { headers: Record<string, string>; body: string },
): Promise<Record<string, { medianMs: number; samplesMs: number[] }>> {
  const samples = new Map<string, number[]>(specs.map((s) => [s.name, []]));
  for (let run = 0; run < runs; run++) {
    // Alternate who goes first so file-cache warmth favours neither.
    const order = run % 2 === 0 ? specs : [...specs].reverse();
    for (const spec of order) samples.get(spec.name)!.push(await timeToFirst200(spec, path, init));
  }
  const out: Record<string, { medianMs: number; samplesMs: number[] }> = {};
  for (const [name, list] of samples) out[name] = { medianMs: Math.round(median(list)), samplesMs: list.map((v) => Math.round(v)) };
  return out;
}
