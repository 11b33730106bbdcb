// One rule, for the mock's journal and the contract runner's reports alike: which names hold secrets,
// and how a known secret value is hidden in whatever encoding it reaches output. Environment-free
// (no Node built-in): the mock core, which runs in browsers too, imports it.

/** The text that replaces a secret. */
export const REDACTED = '[redacted]';

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
  'iwkit-admin-token',
]);

const SECRET_KEY = /(token|secret|passw(or)?d|session|^sid$|jwt|api_?key|apikey|authorization|cookie|credential|private_?key)/i;

/** True for a header whose value is a credential (the well-known ones, any secret-looking name, and `extra`). */
export function isSecretHeader(name: string, extra: Iterable<string> = []): boolean {
  const lower = name.toLowerCase();
  if (SECRET_HEADERS.has(lower)) return true;
  for (const e of extra) if (e.toLowerCase() === lower) return true;
  return SECRET_KEY.test(lower);
}

/** True for a property, query or cookie name that usually holds a secret (token, access_token, sessionid, api_key, …). */
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

function toBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A Basic credential's `user:password`, when `value` is base64 of printable UTF-8 holding a colon. */
function fromBasic(value: string): string | undefined {
  if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  try {
    const bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.includes(':') && !/[\u0000-\u001f\u007f]/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

// The values a secret implies: the bare credential after a scheme word (`Bearer x`), a Basic credential
// both encoded and decoded, and the password of `user:password`.
function secretValues(secret: string): string[] {
  const values = new Set([secret]);
  const bare = /^[A-Za-z][\w.-]*\s+(\S+)$/.exec(secret)?.[1];
  if (bare) values.add(bare);
  for (const value of [...values]) {
    const decoded = fromBasic(value);
    if (decoded) values.add(decoded);
  }
  for (const value of [...values]) {
    if (!value.includes(':')) continue;
    values.add(toBase64(value));
    const password = value.slice(value.indexOf(':') + 1);
    if (password) values.add(password);
  }
  values.add(toBase64(secret));
  return [...values];
}

function jsonForms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  // Some serialisers also escape `/` (PHP) or every non-ASCII character (Python's default).
  const ascii = escaped.replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [escaped, escaped.replace(/\//g, '\\/'), ascii];
}

/** Every text form a secret can take in output: raw, JSON-escaped, percent-encoded (component and form `+` style), base64 for Basic. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  for (const value of secretValues(secret)) {
    forms.add(value);
    for (const json of jsonForms(value)) forms.add(json);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams([['', value]]).toString().slice(1));
  }
  forms.delete('');
  return [...forms];
}

// Below this length a form is only scrubbed where it stands alone (not inside a longer word), so a
// one-letter token hides `"a"` and `Bearer a` without turning every "a" of a report into a placeholder.
const SHORT = 4;

function pattern(form: string): string {
  // Percent-escapes match in either case: %2F and %2f are the same byte.
  const escaped = form
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%([0-9A-F])([0-9A-F])/g, (_, a: string, b: string) => `%[${a}${a.toLowerCase()}][${b}${b.toLowerCase()}]`);
  return form.length < SHORT ? `(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])` : escaped;
}

interface Matcher {
  all: RegExp;
  forms: string[];
}

const matchers = new Map<string, Matcher | null>();

// The list of the call before, copied: a runner scrubs every header and excerpt of a case with the same list.
let last: { secrets: string[]; matcher: Matcher | null } | undefined;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function matcherFor(secrets: readonly string[]): Matcher | null {
  if (last && sameList(last.secrets, secrets)) return last.matcher;
  const matcher = keyedMatcher(secrets);
  last = { secrets: [...secrets], matcher };
  return matcher;
}

function keyedMatcher(secrets: readonly string[]): Matcher | null {
  const key = secrets.join('\u0000');
  let matcher = matchers.get(key);
  if (matcher !== undefined) return matcher;
  const forms = [...new Set(secrets.filter((s) => s !== '').flatMap(secretForms))].sort((a, b) => b.length - a.length);
  matcher = forms.length === 0 ? null : { all: new RegExp(forms.map(pattern).join('|'), 'g'), forms };
  // A run uses a handful of secret lists; the bound only keeps a misuse from growing without end.
  if (matchers.size >= 64) matchers.clear();
  matchers.set(key, matcher);
  return matcher;
}

// An excerpt cut off inside a secret would still show its start: a cut (`…`) right after the first
// characters of a secret hides them too.
function scrubCutTail(text: string, forms: readonly string[]): string {
  if (!text.endsWith('…')) return text;
  const head = text.slice(0, -1);
  for (const form of forms) {
    if (form.length < SHORT) continue;
    for (let n = Math.min(form.length - 1, head.length); n >= 3; n--) {
      if (head.endsWith(form.slice(0, n))) return `${head.slice(0, head.length - n)}${REDACTED}…`;
    }
  }
  return text;
}

/** Replaces every occurrence of the given secrets, in every form {@link secretForms} lists, whatever their length. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const matcher = matcherFor(secrets);
  if (!matcher) return text;
  return scrubCutTail(text.replace(matcher.all, REDACTED), matcher.forms);
}

/** Hides `"token": "…"`-like fragments by key name in a text that may not parse as JSON (cut off, or not JSON at all). */
export function redactSecretFragments(text: string): string {
  return text.replace(/("[^"]*(?:token|secret|passw(?:or)?d|session_?id|api_?key)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${REDACTED}"`);
}

/** A body text for reports: JSON with secret properties redacted, anything else scrubbed of known secrets. */
export function redactBodyText(text: string, secrets: readonly string[]): string {
  try {
    return scrubSecrets(JSON.stringify(redactJson(JSON.parse(text))), secrets);
  } catch {
    return scrubSecrets(redactSecretFragments(text), secrets);
  }
}
