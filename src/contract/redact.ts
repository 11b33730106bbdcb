// Secrets must never reach a report: credentials we send, and session tokens a real server sends back.

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-session-token',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
]);

const SECRET_KEY = /(token|secret|passw(or)?d|session|^sid$|jwt|api_?key|apikey|authorization|cookie|credential|private_?key)/i;

/** The text that replaces a secret in reports. */
export const REDACTED = '[redacted]';

/** True for a header whose value is a credential. */
export function isSecretHeader(name: string, extra: Iterable<string> = []): boolean {
  const lower = name.toLowerCase();
  if (SECRET_HEADERS.has(lower)) return true;
  for (const e of extra) if (e.toLowerCase() === lower) return true;
  return SECRET_KEY.test(lower);
}

/** True for a property, query or cookie name that usually holds a secret (token, sessionid, api_key, …). */
export function isSecretKey(name: string): boolean {
  return SECRET_KEY.test(name);
}

/** A deep copy of a JSON value with every secret-looking string property replaced (flags like `is_api_key: true` stay). */
export function redactJson(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSecretKey(key) && typeof v === 'string' ? REDACTED : redactJson(v, depth + 1);
  }
  return out;
}

/** Replaces every occurrence of the given secret values in a text; short values are skipped to keep reports readable. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** A body text for reports: JSON with secret properties redacted, anything else scrubbed of known secrets. */
export function redactBodyText(text: string, secrets: readonly string[]): string {
  try {
    return scrubSecrets(JSON.stringify(redactJson(JSON.parse(text))), secrets);
  } catch {
    // Not JSON (or truncated): hide `"token": "…"`-like fragments by key name.
    const hidden = text.replace(
      /("[^"]*(?:token|secret|passw(?:or)?d|session_?id|api_?key)[^"]*"\s*:\s*)"[^"]*"/gi,
      `$1"${REDACTED}"`,
    );
    return scrubSecrets(hidden, secrets);
  }
}
