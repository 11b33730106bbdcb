import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { redacted, type RequestRedactor } from '../mock/redact-request.js';

// The mock's console: one readable line per request for people watching a terminal (the default), or
// pino's JSON lines for machines (`logFormat: 'json'`, `iwkit mock --log-format json`). Both are fed
// by the same pino records; the text form is a stream that renders each record as it is written.

/** How the log reads: `text` (one readable line per request) or `json` (pino's JSON lines). */
export type LogFormat = 'text' | 'json';

/** The log formats, for option checks and help text. */
export const logFormats: readonly LogFormat[] = ['text', 'json'];

/** Where log lines go: anything with `write`; `isTTY` turns colour on (unless NO_COLOR is set). */
export interface LogStream {
  write(line: string): unknown;
  isTTY?: boolean;
}

/** Writes the request-log record of one answer (null status: the connection was dropped without one). */
export function logRequest(request: FastifyRequest, status: number | null, scenario: string | undefined, ms?: number): void {
  logAnswer(request.log, { method: request.method, url: request.url }, status, scenario, ms);
}

/** As logRequest, also for a request Fastify never saw (a replayed answer), which names its own `reqId`. */
export function logAnswer(log: FastifyBaseLogger, request: { method?: string; url?: string }, status: number | null, scenario: string | undefined, ms?: number, reqId?: string): void {
  const record = { method: request.method, path: request.url, status, scenario, ...(ms !== undefined ? { ms: Math.round(ms * 10) / 10 } : {}) };
  // `path` is the URL with its query; the logger's `path` serializer redacts secret query values.
  log.info(reqId === undefined ? record : { reqId, ...record }, 'request');
}

function queryName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** The URL with every secret query value (by the redactor's rule, as in the journal) replaced by `[redacted]`. */
export function redactUrl(url: string, redactor: RequestRedactor): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const pairs = url.slice(mark + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const key = queryName(name);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    return redactor.query({ [key]: value })[key] === redacted ? `${name}=${redacted}` : pair;
  });
  return `${url.slice(0, mark)}?${pairs.join('&')}`;
}

/** True when lines for this stream should carry colour: a terminal, and NO_COLOR unset or empty (no-color.org). */
export function wantsColour(stream: LogStream, env: Record<string, string | undefined> = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

const levelNames: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

// Log text may quote client input or spec text: control bytes are shown escaped, never sent to the terminal.
// eslint-disable-next-line no-control-regex
const controlBytes = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const printable = (text: string): string => text.replace(controlBytes, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

type Paint = (code: string, text: string) => string;

function statusColour(status: number | null): string {
  if (status === null) return '35';
  if (status >= 500) return '31';
  if (status >= 400) return '33';
  if (status >= 300) return '36';
  return '32';
}

function clock(epochMs: unknown): string {
  const d = new Date(typeof epochMs === 'number' ? epochMs : Date.now());
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

interface LogRecord {
  level?: number;
  time?: number;
  msg?: string;
  method?: string;
  path?: string;
  status?: number | null;
  scenario?: string;
  ms?: number;
  err?: { type?: string; message?: string; stack?: string };
}

function requestLine(r: LogRecord, paint: Paint): string {
  const status = r.status === null || r.status === undefined ? 'drop' : String(r.status);
  const parts = [
    paint('2', clock(r.time)),
    paint('1', printable(String(r.method)).padEnd(6)),
    printable(String(r.path)),
    paint(statusColour(r.status ?? null), status),
    r.scenario !== undefined ? paint('36', printable(String(r.scenario))) : paint('2', '-'),
  ];
  if (r.ms !== undefined) parts.push(paint('2', `${r.ms} ms`));
  return parts.join(' ');
}

function otherLine(r: LogRecord, paint: Paint): string {
  const level = levelNames[r.level ?? 30] ?? 'LOG';
  const colour = (r.level ?? 30) >= 50 ? '31' : (r.level ?? 30) >= 40 ? '33' : '2';
  let line = `${paint('2', clock(r.time))} ${paint(colour, level)} ${printable(String(r.msg ?? ''))}`;
  if (r.err) {
    line += `: ${printable(`${r.err.type ?? 'Error'}: ${r.err.message ?? ''}`)}`;
    const frames = (r.err.stack ?? '').split('\n').slice(1).map((f) => paint('2', `    ${printable(f.trim())}`));
    if (frames.length > 0) line += `\n${frames.join('\n')}`;
  }
  return line;
}

/** Renders one pino JSON record as a readable line, or nothing for a record the banner already says. */
export function textLine(json: string, colour: boolean): string | undefined {
  let record: LogRecord;
  try {
    record = JSON.parse(json) as LogRecord;
  } catch {
    return printable(json.trimEnd());
  }
  // Fastify's own "Server listening at" line: the CLI prints its banner with the address instead.
  if (typeof record.msg === 'string' && record.msg.startsWith('Server listening at ')) return undefined;
  const paint: Paint = colour ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
  return record.msg === 'request' && record.method !== undefined ? requestLine(record, paint) : otherLine(record, paint);
}

/** A pino destination that writes each record to `out` as a readable line. */
export function textLogStream(out: LogStream, colour = wantsColour(out)): LogStream {
  return {
    write(chunk: string) {
      for (const json of chunk.split('\n')) {
        if (json === '') continue;
        const line = textLine(json, colour);
        if (line !== undefined) out.write(`${line}\n`);
      }
    },
  };
}
