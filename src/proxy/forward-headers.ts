// Hop-by-hop headers belong to one connection (RFC 9110 §7.6.1) and never cross the proxy; neither does
// the client's Host (the upstream's own is sent) nor Expect (the proxy reads the body itself).

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization']);

const noTokens: ReadonlySet<string> = new Set();

function connectionTokens(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined) return noTokens;
  const text = Array.isArray(value) ? value.join(',') : value;
  return new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

// Node and undici hand over lower-case names already; a for-in loop avoids an entries array per request.
function copyEndToEnd(headers: Record<string, string | string[] | undefined>, drop: ReadonlySet<string>): Record<string, string | string[]> {
  const named = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (value === undefined || hopByHop.has(lower) || named.has(lower) || drop.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

const requestDrop = new Set(['host', 'expect']);
const bufferedResponseDrop = new Set(['content-length']);
const none = new Set<string>();

/** The client's headers as the upstream gets them. */
export function upstreamRequestHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  return copyEndToEnd(headers, requestDrop);
}

/** The upstream's headers as the client gets them; a buffered body gets its own Content-Length. */
export function clientResponseHeaders(headers: Record<string, string | string[] | undefined>, buffered: boolean): Record<string, string | string[]> {
  return copyEndToEnd(headers, buffered ? bufferedResponseDrop : none);
}
