import { isSecretKey, REDACTED, redactSecretFragments } from './redact.js';

// Excerpts show a target's bytes in a terminal, a CI log and reports: they are bounded in length
// whatever the value's size, and carry no control character a terminal would act on.

// C0 and C1 controls, DEL, and the invisible characters that reorder or split lines in a terminal.
const CONTROLS = '[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const CONTROL = new RegExp(CONTROLS, 'g');
const ANY_CONTROL = new RegExp(CONTROLS);

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character (newline too; tab stays) written as visible escapes such as `\x1b` or `\u009b`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, visible);
}

/** True when the text holds a character {@link escapeControls} would escape. */
export function hasControls(text: string): boolean {
  return ANY_CONTROL.test(text);
}

/** Like {@link escapeControls} but keeps newlines, for text made of several lines. */
export function escapeControlsKeepLines(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
}

/**
 * Compact JSON of a value, at most about `max` characters (then ending in `…`), secret-looking string
 * properties redacted. Walks only as far as it writes, so a 10 MiB value costs what its excerpt costs.
 */
export function boundedJson(value: unknown, max: number): string {
  let out = '';
  let full = false;
  const write = (text: string): void => {
    if (full) return;
    if (out.length + text.length > max) {
      out += text.slice(0, Math.max(0, max - out.length));
      full = true;
    } else out += text;
  };
  const scalar = (v: unknown): string => {
    if (typeof v === 'string') return JSON.stringify(v.length > max ? v.slice(0, max + 1) : v);
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
    if (typeof v === 'boolean' || v === null) return String(v);
    if (typeof v === 'bigint') return v.toString();
    return 'null';
  };
  const walk = (v: unknown, depth: number): void => {
    if (full) return;
    if (v === null || typeof v !== 'object') return write(scalar(v));
    if (depth > 64) return write('…');
    if (Array.isArray(v)) {
      write('[');
      for (let i = 0; i < v.length && !full; i++) {
        if (i > 0) write(',');
        walk(v[i] === undefined || typeof v[i] === 'function' ? null : v[i], depth + 1);
      }
      return write(']');
    }
    write('{');
    let first = true;
    for (const key in v as Record<string, unknown>) {
      if (full) break;
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
      const item = (v as Record<string, unknown>)[key];
      if (item === undefined || typeof item === 'function') continue;
      write(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      walk(isSecretKey(key) && typeof item === 'string' ? REDACTED : item, depth + 1);
    }
    write('}');
  };
  walk(value, 0);
  return full ? `${out}…` : out;
}

/** A one-line excerpt of a value for reports (JSON, secret properties redacted, controls escaped), cut at `max` characters. */
export function excerpt(value: unknown, max = 120): string {
  const text = value === undefined ? 'undefined' : typeof value === 'function' || typeof value === 'symbol' ? String(value) : boundedJson(value, max + 16);
  return cut(escapeControls(text.replace(/\s+/g, ' ')), max);
}

/** The first `max` characters of a text on one line, controls escaped, for body excerpts. */
export function textExcerpt(text: string, max = 200): string {
  // Only the head can be shown: collapsing whitespace in a whole 10 MiB body would copy it for nothing.
  const head = text.length > max * 8 + 4096 ? text.slice(0, max * 8 + 4096) : text;
  return cut(escapeControls(head.replace(/\s+/g, ' ').trim()), max);
}

/** An excerpt of a body that may not parse (cut off, not JSON): `"token": "…"`-like fragments hidden, read from its head only. */
export function bodyTextExcerpt(text: string, max = 200): string {
  const head = text.length > max * 8 + 4096 ? text.slice(0, max * 8 + 4096) : text;
  return textExcerpt(redactSecretFragments(head), max);
}

// A slice of a string keeps the whole string alive: an excerpt of a 10 MiB body, kept in a report,
// would keep the body. Prepending a character and slicing it off again copies the excerpt's own
// characters into a fresh string, detached from the body.
function detach(text: string): string {
  return ` ${text}`.slice(1);
}

function cut(text: string, max: number): string {
  return detach(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}
