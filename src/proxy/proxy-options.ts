import { Type } from '@sinclair/typebox';
import { checkOptions, optionError } from '../options/check-options.js';
import { anyOption, integerOption, oneOf, textOption, type SameOptions } from '../options/option-schemas.js';
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

/** The options of createProxyServer as one schema: what each may be, checked once at start. */
export const proxyOptionsSchema = Type.Object({
  upstream: Type.String({ minLength: 1, expected: 'the URL of the server to forward to', missing: 'is required: the URL of the server to forward to' }),
  spec: Type.Optional(anyOption()),
  mode: Type.Optional(oneOf(['report', 'enforce'])),
  record: Type.Optional(textOption({ expected: 'a folder path' })),
  redact: Type.Optional(Type.Array(Type.String({ pattern: '\\S', expected: 'a name or a JSON pointer' }))),
  fallback: Type.Optional(oneOf(['mock'])),
  fallbackFixturesDir: Type.Optional(Type.Union([Type.String(), Type.Literal(false)], { expected: 'a folder path or false' })),
  admin: Type.Optional(Type.Boolean()),
  host: Type.Optional(Type.String()),
  adminToken: Type.Optional(textOption({ secret: true })),
  ca: Type.Optional(anyOption()),
  logger: Type.Optional(Type.Union([Type.Boolean(), Type.String()], { expected: 'true, false or a level such as "info"' })),
  onViolation: Type.Optional(anyOption()),
  onRecord: Type.Optional(anyOption()),
  bodyLimit: Type.Optional(integerOption(1, 2 ** 31)),
  responseLimit: Type.Optional(integerOption(1, 2 ** 31)),
  upstreamTimeout: Type.Optional(integerOption(1, 3_600_000)),
  connections: Type.Optional(integerOption(1, 4096)),
  maxInFlight: Type.Optional(integerOption(1, 1_000_000)),
  journalSize: Type.Optional(integerOption(1, 1_000_000)),
  maxRecordings: Type.Optional(integerOption(1, 1_000_000)),
});

// The schema and the interface name the same options: adding one to only one of them is a compile error.
const sameOptions: SameOptions<typeof proxyOptionsSchema, ProxyServerOptions> = true;
void sameOptions;

/** The upstream as a URL: http(s) only, no credentials, query or fragment. */
export function parseUpstream(raw: string): URL {
  if (!URL.canParse(raw)) throw optionError('upstream', `"${raw}" is not a URL`);
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw optionError('upstream', `expected an http:// or https:// URL, got ${url.protocol}`);
  if (url.username || url.password) throw optionError('upstream', 'must not carry credentials; send them from the client');
  if (url.search || url.hash) throw optionError('upstream', 'must not have a query or fragment');
  return url;
}

/** Checks every option and fills in the bounds; a bad value is a coded toolkit error. */
export function checkProxyOptions(options: ProxyServerOptions): ProxyBounds {
  checkOptions(proxyOptionsSchema, options);
  const bounds = { ...proxyDefaults };
  for (const name of Object.keys(proxyDefaults) as (keyof ProxyBounds)[]) {
    if (options[name] !== undefined) bounds[name] = options[name];
  }
  return bounds;
}
