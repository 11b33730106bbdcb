import { toolkitError } from '../errors.js';

// Specs from http(s) URLs: one fetcher per load, so the root document and every document its $refs name
// share one byte budget, one document count and one origin. Node's global fetch (undici), no dependency.

/** Bounds on reading one spec over HTTP, the root document and the documents its `$ref`s name together. */
export interface SpecFetchLimits {
  /** Bytes read in all, after content decoding. */
  maxBytes: number;
  /** Deadline of each request, from sending it to the last byte of its body. */
  timeoutMs: number;
  /** Documents fetched in all (the root included). */
  maxDocuments: number;
}

/** The default bounds: 64 MiB, 30 s per request, 100 documents (the largest public spec in the test corpus is 3 MB). */
export const specFetchDefaults: Readonly<SpecFetchLimits> = { maxBytes: 64 * 1024 * 1024, timeoutMs: 30_000, maxDocuments: 100 };

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True when a spec source names a URL (it has a scheme); http(s) ones are fetched, any other scheme is refused. */
export function isSpecUrl(source: string): boolean {
  return SCHEME.test(source);
}

/** How a spec source is named in messages: a path as is, a URL without the password it may carry. */
export function specLabel(source: string): string {
  if (!isSpecUrl(source)) return source;
  try {
    const url = new URL(source);
    if (!url.password) return source;
    url.password = '***';
    return url.href;
  } catch {
    return source;
  }
}

/** Why a document could not be fetched; the caller wraps the reason in its own coded error. */
export class SpecFetchError extends Error {}

/** Reads http(s) documents within one load's bounds, each URL once. */
export interface SpecFetcher {
  /** The text at `url` (no fragment); refuses other schemes, other origins than the first document's, and anything past a bound. */
  fetchText(url: string): Promise<string>;
  /** The URL the first document was read from, after redirects: relative `$ref`s resolve against it, and its origin is the only one read after it. */
  baseUrl(): string | undefined;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const { name, cause } = error as { name?: string; cause?: { code?: string; message?: string; name?: string } };
  if (name === 'TimeoutError' || cause?.name === 'TimeoutError') return `no complete answer within ${timeoutMs} ms`;
  if (cause?.code) return `${cause.code}${cause.message ? ` ${cause.message}` : ''}`;
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

async function readCapped(response: Response, budget: { left: number }, maxBytes: number): Promise<Buffer> {
  const tooLarge = (): SpecFetchError => new SpecFetchError(`larger than the spec size cap (${maxBytes} bytes in all)`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > budget.left) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      budget.left -= chunk.byteLength;
      // Breaking out of the loop cancels the stream, so a body without end stops here.
      if (budget.left < 0) throw tooLarge();
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

/** Why a URL is not fetched at all: not http(s), credentials in it, or another origin than the first document's. */
function refusal(url: URL, origin: string | undefined): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs are read, not ${url.protocol}`;
  if (url.username || url.password) return 'credentials in the URL would be printed in messages; serve the spec without them';
  // A spec may name documents on its own origin only: it must not make the runner fetch from any host it likes.
  if (origin !== undefined && url.origin !== origin) return `another origin than the spec's (${origin}): iwkit follows $refs within the spec's origin only`;
  return undefined;
}

/** One load's fetcher: a shared byte budget and document count, the first document's origin, each URL read once. */
class BoundedSpecFetcher implements SpecFetcher {
  private readonly limits: SpecFetchLimits;
  private readonly budget: { left: number };
  private readonly texts = new Map<string, Promise<string>>();
  private origin: string | undefined;
  private base: string | undefined;

  constructor(limits: Partial<SpecFetchLimits>) {
    this.limits = { ...specFetchDefaults, ...limits };
    this.budget = { left: this.limits.maxBytes };
  }

  baseUrl(): string | undefined {
    return this.base;
  }

  fetchText(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return Promise.reject(new SpecFetchError('not a valid URL'));
    }
    const refused = refusal(url, this.origin);
    if (refused) return Promise.reject(new SpecFetchError(refused));
    url.hash = '';
    const known = this.texts.get(url.href);
    if (known) return known;
    const text = this.get(url);
    this.texts.set(url.href, text);
    return text;
  }

  private async get(url: URL): Promise<string> {
    const { maxDocuments, timeoutMs, maxBytes } = this.limits;
    if (this.texts.size >= maxDocuments) throw new SpecFetchError(`more than ${maxDocuments} documents to fetch`);
    const response = await this.request(url);
    try {
      return (await readCapped(response, this.budget, maxBytes)).toString('utf8');
    } catch (error) {
      throw error instanceof SpecFetchError ? error : new SpecFetchError(describeNetworkError(error, timeoutMs));
    }
  }

  /** The response with its body unread, once it is a success from the spec's origin; the first one sets the origin. */
  private async request(url: URL): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        redirect: 'follow',
        signal: AbortSignal.timeout(this.limits.timeoutMs),
        headers: { accept: 'application/vnd.oai.openapi+json, application/json, application/yaml, text/yaml, */*;q=0.5' },
      });
    } catch (error) {
      throw new SpecFetchError(describeNetworkError(error, this.limits.timeoutMs));
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SpecFetchError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    if (this.base === undefined) {
      this.base = response.url || url.href;
      this.origin = new URL(this.base).origin;
    } else if (response.url && new URL(response.url).origin !== this.origin) {
      await response.body?.cancel();
      throw new SpecFetchError(`redirected to another origin than the spec's (${this.origin})`);
    }
    return response;
  }
}

/** A fetcher with its own budget; one per `loadApi` call. */
export function createSpecFetcher(limits: Partial<SpecFetchLimits> = {}): SpecFetcher {
  return new BoundedSpecFetcher(limits);
}

/** The text of one spec URL on its own, within the default bounds; a failure is `IWKIT_ERR_SPEC_READ`. */
export async function fetchSpecText(url: string): Promise<string> {
  try {
    return await createSpecFetcher().fetchText(url);
  } catch (error) {
    throw toolkitError('IWKIT_ERR_SPEC_READ', specLabel(url), (error as Error).message);
  }
}

/** The location a `$ref` names, resolved against the URL of the document that holds it (fragment split off). */
export function resolveUrlRef(ref: string, documentUrl: string): { file: string; fragment: string } {
  const hash = ref.indexOf('#');
  const fragment = hash < 0 ? '' : ref.slice(hash + 1);
  let target: URL;
  try {
    target = new URL(hash < 0 ? ref : ref.slice(0, hash), documentUrl);
  } catch {
    // Left as written: fetching it then fails as "not a valid URL", with the ref's place named.
    return { file: ref, fragment };
  }
  return { file: target.href, fragment };
}

/** A resolver for the bundler (json-schema-ref-parser) that reads http(s) `$ref`s through `fetcher`, so its bounds and origin rule hold there too. */
export function bundlerUrlResolver(fetcher: SpecFetcher): { order: number; canRead: (file: { url: string }) => boolean; read: (file: { url: string }) => Promise<string> } {
  return {
    order: 1,
    canRead: (file) => /^https?:\/\//i.test(file.url),
    read: async (file) => {
      try {
        return await fetcher.fetchText(file.url);
      } catch (error) {
        throw new Error(`cannot read "${file.url}": ${(error as Error).message}`);
      }
    },
  };
}
