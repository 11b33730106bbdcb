import type { DisplayRequest } from '../contract/contract-types.js';
import { curlCommand } from '../contract/display-request.js';
import { textExcerpt } from '../contract/excerpt.js';
import { isSecretHeader, isSecretKey, REDACTED, redactBodyText, scrubSecrets } from '../contract/redact.js';

/** A proxied request as reports show it: credential headers, secret query values and body properties redacted. */
export function displayRequest(
  method: string,
  url: URL,
  headers: Record<string, string | string[]>,
  body: Buffer | undefined,
  secrets: { headers: Iterable<string>; query: ReadonlySet<string>; values: readonly string[] },
): DisplayRequest {
  const shown = new URL(url);
  for (const name of [...new Set(shown.searchParams.keys())]) {
    if (secrets.query.has(name) || isSecretKey(name)) shown.searchParams.set(name, REDACTED);
  }
  const out: Record<string, string> = {};
  const secretHeaders = [...secrets.headers];
  for (const [name, value] of Object.entries(headers)) {
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = isSecretHeader(name, secretHeaders) ? REDACTED : scrubSecrets(text, secrets.values);
  }
  const text = body && body.length > 0 ? body.toString('utf8') : undefined;
  const printable = text !== undefined && Buffer.from(text, 'utf8').equals(body!) && !/[\u0000-\u001f\u007f]/.test(text);
  const bodyExcerpt = text === undefined ? undefined : printable ? textExcerpt(redactBodyText(text, secrets.values), 2000) : `[${body!.length} bytes]`;
  return { method, url: scrubSecrets(shown.toString(), secrets.values), headers: out, ...(bodyExcerpt !== undefined ? { bodyExcerpt } : {}) };
}

/** The curl line for a display request (the contract runner's own). */
export function curlLine(display: DisplayRequest): string {
  return curlCommand(display);
}
