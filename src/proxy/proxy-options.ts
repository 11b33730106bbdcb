import { toolkitError } from '../errors.js';
import type { Api } from '../openapi/api-model.js';

/** Options of {@link createProxyServer}; only `upstream` is required. */
export interface ProxyServerOptions {
  /** The one server requests are forwarded to (`http://` or `https://`, with an optional base path). */
  upstream: string;
  /** A spec path, a raw OpenAPI object or an already loaded Api. Default: iwkit's schema/openapi.yaml. */
  spec?: string | Api | Record<string, unknown>;
  /** `report` (default) forwards invalid requests and flags them; `enforce` answers them with the mock's problem. */
  mode?: 'report' | 'enforce';
  /** Write each valid upstream answer as a mock fixture under this folder, with a rules file that selects it. */
  record?: string;
  /** More names (property, header, query or cookie) or JSON pointers (`/data/code`) whose values are secrets. */
  redact?: string[];
  /** `mock`: answer from the mock when the upstream is unreachable, times out or answers 501. */
  fallback?: 'mock';
  /** Fixture folder for the fallback mock (default: the mock's own default). */
  fallbackFixturesDir?: string | false;
  /** Serve `GET /__iwkit/violations` (default false), guarded like the mock's admin API. */
  admin?: boolean;
  /** The address the proxy binds: on a non-loopback one the admin route needs `adminToken`. */
  host?: string;
  /** Token the admin route requires (`Authorization: Bearer …` or `iwkit-admin-token`). */
  adminToken?: string;
  /** PEM certificate(s) trusted for an HTTPS upstream, besides Node's own (and NODE_EXTRA_CA_CERTS). */
  ca?: string | Buffer;
  /** Fastify logger: false (default), true, or a level such as "info". One line per violation at `warn`. */
  logger?: boolean | string;
  /** A callback for each violation as it is seen (the CLI prints them). */
  onViolation?: (violation: import('./violation.js').Violation) => void;
  /** A callback for each recording outcome (the CLI prints them). */
  onRecord?: (outcome: { operationId: string; recorded?: string; skipped?: string }) => void;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Largest upstream answer body checked and recorded, in bytes (default 8 MiB); larger bodies pass through unchecked. */
  responseLimit?: number;
  /** Milliseconds to wait for the upstream's headers, and between body bytes (default 30 000). */
  upstreamTimeout?: number;
  /** Keep-alive connections to the upstream (default 64). */
  connections?: number;
  /** Requests in flight to the upstream at once; past it a 503 problem (default 1024). */
  maxInFlight?: number;
  /** Violations kept in the journal (default 1000; the oldest go first). */
  journalSize?: number;
  /** Fixtures written by one recording (default 1000). */
  maxRecordings?: number;
}

/** The bounds with their defaults, every one documented. */
export interface ProxyBounds {
  bodyLimit: number;
  responseLimit: number;
  upstreamTimeout: number;
  connections: number;
  maxInFlight: number;
  journalSize: number;
  maxRecordings: number;
}

/** The default of every bound. */
export const proxyDefaults: ProxyBounds = {
  bodyLimit: 1024 * 1024,
  responseLimit: 8 * 1024 * 1024,
  upstreamTimeout: 30_000,
  connections: 64,
  maxInFlight: 1024,
  journalSize: 1000,
  maxRecordings: 1000,
};

function positive(name: keyof ProxyBounds, value: unknown): number {
  if (value === undefined) return proxyDefaults[name];
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', name, `must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** The upstream as a URL: http(s) only, no credentials, query or fragment. */
export function parseUpstream(raw: unknown): URL {
  if (typeof raw !== 'string' || raw.length === 0) throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'upstream', 'is required: the URL of the server to forward to');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'upstream', `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'upstream', `expected an http:// or https:// URL, got ${url.protocol}`);
  if (url.username || url.password) throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'upstream', 'must not carry credentials; send them from the client');
  if (url.search || url.hash) throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'upstream', 'must not have a query or fragment');
  return url;
}

/** Checks every option and fills in the bounds; a bad value is a coded toolkit error. */
export function checkProxyOptions(options: ProxyServerOptions): ProxyBounds {
  if (options.mode !== undefined && options.mode !== 'report' && options.mode !== 'enforce') {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'mode', `expected report or enforce, got ${String(options.mode)}`);
  }
  if (options.fallback !== undefined && options.fallback !== 'mock') {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'fallback', `expected mock, got ${String(options.fallback)}`);
  }
  if (options.record !== undefined && !(typeof options.record === 'string' && options.record.length > 0)) {
    throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'record', 'must be a folder path');
  }
  for (const name of options.redact ?? []) {
    if (typeof name !== 'string' || name.trim() === '') throw toolkitError('IWKIT_ERR_OPTION_INVALID', 'redact', 'each entry is a name or a JSON pointer');
  }
  return {
    bodyLimit: positive('bodyLimit', options.bodyLimit),
    responseLimit: positive('responseLimit', options.responseLimit),
    upstreamTimeout: positive('upstreamTimeout', options.upstreamTimeout),
    connections: positive('connections', options.connections),
    maxInFlight: positive('maxInFlight', options.maxInFlight),
    journalSize: positive('journalSize', options.journalSize),
    maxRecordings: positive('maxRecordings', options.maxRecordings),
  };
}
