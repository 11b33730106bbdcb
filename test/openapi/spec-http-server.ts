import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

// A test helper, not a test: serves spec files over real HTTP on 127.0.0.1, with routes that misbehave.

/** What a route answers; a function may write anything, or nothing at all. */
export type Route = { status?: number; body: string; headers?: Record<string, string> } | ((req: http.IncomingMessage, res: http.ServerResponse) => void);

/** A running spec server: its origin, the paths it was asked for, and `close`. */
export interface SpecServer {
  origin: string;
  requested: string[];
  close(): Promise<void>;
}

/** Serves `routes` first, then files under `root` (when given) as text; anything else is a 404. */
export async function startSpecServer(routes: Record<string, Route> = {}, root?: string): Promise<SpecServer> {
  const requested: string[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requested.push(path);
    const route = routes[path];
    if (typeof route === 'function') return route(req, res);
    if (route) {
      res.writeHead(route.status ?? 200, { 'content-type': 'application/yaml', ...route.headers });
      res.end(route.body);
      return;
    }
    const file = root ? join(root, normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '')) : undefined;
    if (!file || !file.startsWith(root!)) {
      res.writeHead(404).end('not found');
      return;
    }
    readFile(file, 'utf8').then(
      (text) => {
        res.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'application/yaml' });
        res.end(text);
      },
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
