import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AutocannonRequest } from 'autocannon';
import { combineRounds, runLoad, type LoadFigures } from './load.js';
import { repoRoot, spawnServer, type ServerProcess } from './spawn-server.js';

// Prism, the best-known OpenAPI mock, on the same request as iwkit. It is not a dependency: `npm run
// bench:prism-install` puts it under bench/.prism (its engines ask for a newer Node than the project's,
// and it only ever runs here), or IWKIT_BENCH_PRISM names a prism binary.

/** Where Prism is installed for the bench, if it is. */
export function findPrism(): string | undefined {
  const candidates = [process.env.IWKIT_BENCH_PRISM, join(repoRoot, 'bench', '.prism', 'node_modules', '.bin', 'prism')];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

/** What Prism achieved next to the mock in the same rounds. */
export interface PrismFigures {
  prism: LoadFigures;
  mock: LoadFigures;
  /** The mock's throughput over Prism's. */
  ratio: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `prism mock` on the project's spec; Prism logs every request, so its output is drained, not kept. */
export async function spawnPrism(binary: string): Promise<ServerProcess> {
  const port = await freePort();
  return spawnServer({ name: 'prism', script: binary, args: ['mock', '--host', '127.0.0.1', '--port', String(port), join(repoRoot, 'schema', 'openapi.yaml')] }, 60_000);
}

/** Prism and the mock take turns on the same request for `rounds` rounds. */
export async function comparePrism(prism: ServerProcess, mock: ServerProcess, load: { rounds: number; durationS: number; connections: number; requests: AutocannonRequest[] }): Promise<PrismFigures> {
  const figures = { prism: [] as LoadFigures[], mock: [] as LoadFigures[] };
  await runLoad({ url: prism.url, durationS: 1, connections: load.connections, requests: load.requests });
  for (let round = 0; round < load.rounds; round++) {
    const order = round % 2 === 0 ? [prism, mock] : [mock, prism];
    for (const server of order) {
      const f = await runLoad({ url: server.url, durationS: load.durationS, connections: load.connections, requests: load.requests });
      (server === prism ? figures.prism : figures.mock).push(f);
    }
  }
  const p = combineRounds(figures.prism);
  const m = combineRounds(figures.mock);
  return { prism: p, mock: m, ratio: m.requestsPerSecond / Math.max(p.requestsPerSecond, 1) };
}
