import { watch, type FSWatcher } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import type { MockServer } from './mock-server.js';
import { toolkitError } from '../errors.js';
import { isSpecUrl } from '../openapi/fetch-spec-text.js';
import { defaultJournalCapacity, Journal } from '../mock/journal.js';
import { defaultLimits, limitsWith } from '../mock/limits.js';
import { OverrideStore } from '../mock/overrides.js';
import { answerClientError } from './answer-client-error.js';
import { limitConnections } from './connection-limits.js';
import { createMockServer, type MockServerOptions } from './create-mock-server.js';
import { resolveMockSources } from './mock-sources.js';

// One long-lived node:http server keeps every connection; each reload builds a new Fastify app and
// swaps the request handler behind it. A broken edit never replaces the last good app.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The outcome of one reload attempt. */
export type ReloadOutcome = { ok: true } | { ok: false; error: Error };

/** Where to listen and how to report reloads. */
export interface WatchOptions {
  port: number;
  host: string;
  /** Quiet time after the last file event before reloading (default 150 ms). */
  debounceMs?: number;
  /** Told about every reload attempt (the CLI prints them). */
  onReload?: (outcome: ReloadOutcome) => void;
}

/** A mock that reloads its spec, fixtures and rules when they change. */
export interface WatchedMockServer {
  /** The base URL it listens on, e.g. `http://127.0.0.1:4010`. */
  address: string;
  server: Server;
  /** The app answering right now (the last good build). */
  current(): MockServer;
  /** Stops watching, closes every connection and the app. */
  close(): Promise<void>;
}

function baseUrl(info: AddressInfo): string {
  return `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`;
}

function within(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

/** The folders to watch and which file names in them matter. */
function watchPlan(options: MockServerOptions): { dir: string; recursive: boolean; accepts: (name: string) => boolean }[] {
  const sources = resolveMockSources(options);
  const plan: { dir: string; recursive: boolean; accepts: (name: string) => boolean }[] = [];
  if (sources.fixturesDir) plan.push({ dir: sources.fixturesDir, recursive: true, accepts: () => true });
  if (sources.specPath && !isSpecUrl(sources.specPath) && !(sources.fixturesDir && within(sources.specPath, sources.fixturesDir))) {
    // The spec's folder, not the file: editors replace files on save, which ends a watch on the file itself.
    plan.push({ dir: dirname(sources.specPath), recursive: false, accepts: (name) => ['.yaml', '.yml', '.json'].includes(extname(name).toLowerCase()) });
  }
  if (sources.scenariosFile && !(sources.fixturesDir && within(sources.scenariosFile, sources.fixturesDir))) {
    const dir = dirname(sources.scenariosFile);
    const name = basename(sources.scenariosFile);
    const existing = plan.find((p) => resolve(p.dir) === resolve(dir) && !p.recursive);
    if (existing) {
      const before = existing.accepts;
      existing.accepts = (n) => before(n) || n === name;
    } else {
      plan.push({ dir, recursive: false, accepts: (n) => n === name });
    }
  }
  return plan;
}

type CarryOver = NonNullable<MockServerOptions['carryOver']>;
type BuiltApp = { app: MockServer; handler: Handler };

/** One build of the mock behind the long-lived server: its handler is taken, its own server never listens. */
async function buildApp(options: MockServerOptions, watchOptions: WatchOptions, carryOver: CarryOver): Promise<BuiltApp> {
  let handler: Handler | undefined;
  const app = await createMockServer({
    ...options,
    // The admin API's loopback guard needs the address this server really binds.
    host: options.host ?? watchOptions.host,
    carryOver,
    serverFactory: (h) => {
      handler = h as Handler;
      // Never listened on: the long-lived server takes the connections.
      return createServer();
    },
  });
  await app.ready();
  return { app, handler: handler! };
}

function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
}

/** Rebuilds after a quiet spell, one at a time; a change during a rebuild runs one more after it. */
function debounced(run: () => Promise<void>, debounceMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) {
        again = true;
        return;
      }
      running = run().finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule();
        }
      });
    }, debounceMs);
  };
  const stop = async (): Promise<void> => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
  return { schedule, stop };
}

/** Watches what the plan names; a folder that cannot be watched (gone, no permission) just gets no reloads. */
function watchSources(options: MockServerOptions, onChange: () => void): FSWatcher[] {
  const watchers: FSWatcher[] = [];
  for (const item of watchPlan(options)) {
    try {
      const watcher = watch(item.dir, { recursive: item.recursive }, (_event, name) => {
        if (name === null || item.accepts(basename(String(name)))) onChange();
      });
      watcher.on('error', () => undefined);
      watchers.push(watcher);
    } catch {
      // Left unwatched.
    }
  }
  return watchers;
}

/**
 * Starts the mock on `host:port` and rebuilds it whenever the spec, a fixture or the rules file changes.
 * Overrides and the journal carry over; a failed rebuild is reported and the previous app keeps answering.
 */
export async function watchMockServer(options: MockServerOptions, watchOptions: WatchOptions): Promise<WatchedMockServer> {
  const carryOver: CarryOver = {
    overrides: new OverrideStore(),
    journal: options.journal === false ? undefined : new Journal(typeof options.journal === 'number' ? options.journal : defaultJournalCapacity, options.limits?.maxJournalBytes ?? defaultLimits.maxJournalBytes),
  };
  let active = await buildApp(options, watchOptions, carryOver);
  // The options Fastify would give its own server go on this long-lived one: problem+json for bytes that are
  // not HTTP, and Host-less requests left to the mock's hook.
  const server = createServer({ requireHostHeader: false }, (req, res) => active.handler(req, res));
  server.on('clientError', answerClientError);
  // The same time-outs, connection cap and CONNECT answer as a server Fastify owns (createMockServer validates the values).
  limitConnections(server, limitsWith(options.limits));
  try {
    await listenOn(server, watchOptions.port, watchOptions.host);
  } catch (error) {
    await active.app.close();
    throw toolkitError('IWKIT_ERR_SERVER_LISTEN', `${watchOptions.host}:${watchOptions.port}`, error instanceof Error ? error.message : String(error));
  }
  let closed = false;
  const reloads = debounced(async () => {
    try {
      const next = await buildApp(options, watchOptions, carryOver);
      if (closed) return void (await next.app.close());
      const previous = active;
      active = next;
      watchOptions.onReload?.({ ok: true });
      await previous.app.close();
    } catch (error) {
      watchOptions.onReload?.({ ok: false, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }, watchOptions.debounceMs ?? 150);
  const watchers = watchSources(options, reloads.schedule);
  return {
    address: baseUrl(server.address() as AddressInfo),
    server,
    current: () => active.app,
    async close() {
      closed = true;
      for (const w of watchers) w.close();
      await reloads.stop();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await active.app.close();
    },
  };
}
