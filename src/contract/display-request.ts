import { mediaEssence } from '../openapi/media-type.js';
import type { BuiltRequest } from './build-http-request.js';
import type { DisplayRequest } from './contract-types.js';
import { hasControls, textExcerpt } from './excerpt.js';
import { isSecretHeader, isSecretKey, REDACTED, scrubSecrets } from './redact.js';
import { INVALID_CREDENTIAL } from './security-credentials.js';

// Reports show the configured credential as $IWKIT_TOKEN, so a curl line reproduces the request
// once the variable is exported, and the value itself never appears.

const MARK = '\u0000IWKIT_TOKEN\u0000';

function single(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function quote(text: string): string {
  if (!text.includes(MARK)) return single(text);
  return `"${text
    .split(MARK)
    .map((piece) => piece.replace(/[\\"$`]/g, (c) => `\\${c}`))
    .join('$IWKIT_TOKEN')}"`;
}

function markToken(value: string, token: string | undefined): string {
  if (token && value.includes(token)) return value.split(token).join(MARK);
  // A basic credential is sent base64-encoded; show it as the variable too.
  if (/^basic /i.test(value)) return `Basic ${MARK}`;
  return MARK;
}

/** The URL with the credential's query values marked and other secret-named values redacted. */
function markedQuery(url: URL, credential: BuiltRequest['credential']): URL {
  const credentialQuery = new Set(credential.query);
  for (const [name, value] of [...url.searchParams.entries()]) {
    if (credentialQuery.has(name)) url.searchParams.set(name, MARK);
    else if (isSecretKey(name) && value !== INVALID_CREDENTIAL) url.searchParams.set(name, REDACTED);
  }
  return url;
}

/** A Cookie header with the credential's cookies marked and other secret-named ones redacted. */
function markedCookies(value: string, credentialCookies: ReadonlySet<string>): string {
  return value
    .split(/;\s*/)
    .map((pair) => {
      const [cookie] = pair.split('=', 1);
      if (credentialCookies.has(cookie)) return `${cookie}=${MARK}`;
      return isSecretKey(cookie) && !pair.endsWith(encodeURIComponent(INVALID_CREDENTIAL)) ? `${cookie}=${REDACTED}` : pair;
    })
    .join('; ');
}

/** The headers with the credential marked (the token inside it, or all of it) and other secret headers redacted. */
function markedHeaders(built: BuiltRequest, token: string | undefined): Record<string, string> {
  const credentialHeaders = new Set(built.credential.headers.map((h) => h.toLowerCase()));
  const credentialCookies = new Set(built.credential.cookies);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(built.request.headers)) {
    const lower = name.toLowerCase();
    if (credentialHeaders.has(lower)) headers[name] = markToken(value, token);
    else if (lower === 'cookie') headers[name] = markedCookies(value, credentialCookies);
    else if (isSecretHeader(name) && !value.includes(INVALID_CREDENTIAL)) headers[name] = REDACTED;
    else headers[name] = value;
  }
  return headers;
}

/** The body scrubbed of secrets: as text when it is UTF-8, else as bytes. */
function scrubbedBody(body: Buffer | undefined, scrub: (text: string) => string): { bodyText?: string; bodyBytes?: Buffer } {
  if (!body) return {};
  if (isUtf8Text(body)) return { bodyText: scrub(body.toString('utf8')) };
  // Bytes are scrubbed as Latin-1, which maps every byte to one character and back unchanged.
  return { bodyBytes: Buffer.from(scrub(body.toString('latin1')), 'latin1') };
}

/** Rewrites a built request for reports; `secrets` are extra values (e.g. from --header) to hide anywhere. */
export function redactRequest(built: BuiltRequest, token: string | undefined, secrets: readonly string[]): { display: DisplayRequest; marked: DisplayRequest } {
  const { request } = built;
  const url = markedQuery(new URL(request.url), built.credential);
  const headers = markedHeaders(built, token);
  const all = token ? [token, ...secrets] : [...secrets];
  // The marker stays out of scrubbing: a token such as `TOKEN` must not eat the placeholder's name.
  const scrub = (text: string): string =>
    text
      .split(MARK)
      .map((piece) => scrubSecrets(piece, all))
      .join(MARK);
  // URLSearchParams percent-encodes the marker; restore it.
  const markedUrl = scrub(url.toString().split(encodeURIComponent(MARK)).join(MARK));
  const { bodyText, bodyBytes } = scrubbedBody(request.body, scrub);
  const contentType = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? 'binary data';
  const bodyExcerpt = bodyText ?? (bodyBytes ? `[${bodyBytes.length} bytes of ${mediaEssence(contentType)}]` : undefined);
  // printf also carries C1 and bidi controls as escapes, so the curl line never holds a byte a terminal acts on.
  const needsPrintf = bodyBytes !== undefined || (bodyText !== undefined && (/[\u0000-\u001f]/.test(bodyText) || hasControls(bodyText)));
  const marked: DisplayRequest = {
    method: request.method,
    url: markedUrl,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, scrub(v)])),
    ...(bodyExcerpt !== undefined ? { bodyExcerpt } : {}),
    ...(needsPrintf ? { bodyPrintf: printfFormat(bodyBytes ?? Buffer.from(bodyText!, 'utf8')) } : {}),
  };
  const unmark = (text: string): string => text.split(MARK).join('$IWKIT_TOKEN');
  const display: DisplayRequest = {
    method: marked.method,
    url: unmark(marked.url),
    headers: Object.fromEntries(Object.entries(marked.headers).map(([k, v]) => [k, unmark(v)])),
    ...(bodyExcerpt !== undefined ? { bodyExcerpt: textExcerpt(bodyExcerpt, 500) } : {}),
  };
  return { display, marked };
}

function isUtf8Text(bytes: Buffer): boolean {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}

// printf(1) reads octal escapes in its format on every shell: bytes curl then receives unchanged.
function printfFormat(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    const c = String.fromCharCode(byte);
    if (c === '%') out += '%%';
    else if (c === '\\' || c === "'" || byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += c;
  }
  return out;
}

/** A one-line curl command for a marked request; the credential stays `$IWKIT_TOKEN`. */
export function curlCommand(marked: DisplayRequest): string {
  const parts = ['curl', '--request', marked.method, quote(marked.url)];
  for (const [name, value] of Object.entries(marked.headers)) parts.push('--header', quote(`${name}: ${value}`));
  // Bytes and multi-line text reach curl through printf, so the command stays one line and exact.
  if (marked.bodyPrintf !== undefined) parts.push('--data-binary', `@<(printf -- '${marked.bodyPrintf}')`);
  else if (marked.bodyExcerpt !== undefined) parts.push('--data-raw', quote(marked.bodyExcerpt));
  return parts.join(' ');
}

/**
 * Adds `request` and `curl` to `target` as enumerable properties worked out on first read (reports,
 * failures), not for every case as it runs; the token and secrets are the ones of the moment of the call.
 * After the first read both are plain data properties, and the built request is let go.
 */
export function defineShownRequest<T extends object>(target: T, built: () => BuiltRequest, token: string | undefined, secrets: readonly string[]): T & { request: DisplayRequest; curl: string } {
  const hidden = [...secrets];
  let show = (): void => {
    const { display, marked } = redactRequest(built(), token, hidden);
    const curl = curlCommand(marked);
    show = () => {};
    Object.defineProperty(target, 'request', { value: display, enumerable: true, configurable: true, writable: true });
    Object.defineProperty(target, 'curl', { value: curl, enumerable: true, configurable: true, writable: true });
  };
  const lazy = (key: 'request' | 'curl'): PropertyDescriptor => ({
    enumerable: true,
    configurable: true,
    get(this: T) {
      show();
      return (target as Record<string, unknown>)[key];
    },
    set(value: unknown) {
      show();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
    },
  });
  // Defined in this order, at this point, so a serialised outcome keeps its key order.
  Object.defineProperty(target, 'request', lazy('request'));
  Object.defineProperty(target, 'curl', lazy('curl'));
  return target as T & { request: DisplayRequest; curl: string };
}
