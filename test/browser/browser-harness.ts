// Shared plumbing for the browser tests: Debian's Chromium through playwright-core (never a downloaded
// browser), a mock listening on loopback, and a frontend page served from another origin.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockServer } from '../../src/server/mock-server.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createMockServer, type MockServerOptions } from '../../src/server/create-mock-server.js';

/** The system browser the tests drive; `IWKIT_CHROMIUM` overrides it (e.g. to check the skip path). */
export const chromiumPath = process.env.IWKIT_CHROMIUM ?? '/usr/bin/chromium';

/** How to get the browser on Debian/Ubuntu. */
export const installCommand = 'sudo apt-get update && sudo apt-get install -y chromium';

/** Whether the browser tests can run here. Under CI a missing browser is a failure, not a skip. */
export const browserAvailability = (() => {
  const present = existsSync(chromiumPath);
  const ci = Boolean(process.env.CI);
  return {
    present,
    skip: !present && !ci,
    reason: present ? '' : `${chromiumPath} is missing; install it with: ${installCommand}`,
  };
})();

/** How long a launch may take: a cold Chromium start on a busy 2-core machine has passed 15 s. */
export const launchTimeoutMs = 60_000;

/** Launches headless Chromium with everything that could phone home switched off. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`the browser tests need Chromium (CI is set, so they fail instead of skipping): ${browserAvailability.reason}`);
  }
  const args = [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  // Chromium refuses to start its sandbox as root (containers, CI).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args, timeout: launchTimeoutMs });
}

/** A running mock with its base URL and every request it answered (method, path, status, CORS request headers). */
export interface RunningMock {
  app: MockServer;
  url: string;
  seen: { method: string; path: string; status: number; requestHeaders?: string }[];
  close: () => Promise<void>;
}

/** Starts the mock on 127.0.0.1 at a free port. */
export async function startMock(options: MockServerOptions = {}): Promise<RunningMock> {
  const app = await createMockServer({ seed: 1, ...options });
  const seen: RunningMock['seen'] = [];
  // onResponse, not onRequest: the CORS plugin answers preflights in its own onRequest hook, before ours would run.
  app.addHook('onResponse', async (request, reply) => {
    const acrh = request.headers['access-control-request-headers'];
    seen.push({ method: request.method, path: request.url.split('?')[0], status: reply.statusCode, requestHeaders: typeof acrh === 'string' ? acrh : undefined });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, seen, close: () => app.close() };
}

/** A plain node:http server on another port that serves one HTML page; another origin than the mock. */
export async function servePage(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.url === '/' || request.url?.startsWith('/?')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Saves a full-page screenshot under test-results/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir('test-results', { recursive: true });
  const path = `test-results/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Closes everything a test opened, last opened first, even when some closing fails. */
export class Closers {
  private readonly all: (() => Promise<unknown>)[] = [];

  /** Registers a resource's close function and returns the resource. */
  add<T extends { close: () => Promise<unknown> }>(resource: T): T {
    this.all.push(() => resource.close());
    return resource;
  }

  /** Closes every registered resource. */
  async closeAll(): Promise<void> {
    for (const close of this.all.splice(0).reverse()) {
      await close().catch(() => undefined);
    }
  }
}
