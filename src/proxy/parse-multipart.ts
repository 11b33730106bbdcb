import type { FormPart } from '../mock/decode-form.js';
import { multipartLimits } from '../server/register-body-parsers.js';

// The proxy holds a multipart body as bytes (it forwards them unchanged), so it splits the parts itself
// (RFC 7578 over RFC 2046) and hands them to the mock's own form decoder. The mock's limits on parts,
// files, fields and name sizes apply; the body as a whole is already within bodyLimit.

/** The parts of a multipart body, or why they could not be read (worded as the mock words it). */
export type MultipartParts = { parts: FormPart[] } | { malformed: string };

const crlf = Buffer.from('\r\n');
const headerEnd = Buffer.from('\r\n\r\n');

/** The `boundary` parameter of a multipart Content-Type; undefined when it has none. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match ? (match[1]?.replace(/\\(.)/g, '$1') ?? match[2]) : undefined;
  return boundary && boundary.length <= 200 ? boundary : undefined;
}

/** One parameter of a Content-Disposition header (`name="a"`, `filename*=UTF-8''b`). */
function dispositionParam(header: string, name: string): string | undefined {
  const extended = new RegExp(`;\\s*${name}\\*\\s*=\\s*([\\w!#$%&+^\`{}~-]+)'[^']*'([^;\\s]*)`, 'i').exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2]);
    } catch {
      return extended[2];
    }
  }
  const plain = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(header);
  if (!plain) return undefined;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2];
}

function readHeaders(block: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits a multipart/form-data body into the mock's form parts: a part is a file when it has a file name or carries bytes (not text, not JSON), as in the mock. */
export function parseMultipart(body: Buffer, contentType: string | undefined, bodyLimit: number): MultipartParts {
  const boundary = boundaryOf(contentType);
  if (!boundary) return { malformed: 'the Content-Type names no boundary' };
  const limits = multipartLimits(bodyLimit);
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter opens the body, or ends a preamble on its own line.
  const afterPreamble = body.indexOf(between);
  let at = body.subarray(0, delimiter.length).equals(delimiter) ? 0 : afterPreamble === -1 ? -1 : afterPreamble + 2;
  if (at === -1) return { malformed: 'the body holds no part delimited by the boundary' };
  const parts: FormPart[] = [];
  let files = 0;
  for (;;) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return { parts };
    // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (!body.subarray(at, at + 2).equals(crlf)) return { malformed: 'a boundary is not followed by CRLF' };
    const headersAt = at + 2;
    const blank = body.indexOf(headerEnd, headersAt - 2);
    if (blank === -1) return { malformed: 'a part has no end of headers' };
    const next = body.indexOf(between, blank + 4);
    if (next === -1) return { malformed: 'the body ends before its closing boundary' };
    const block = blank < headersAt ? '' : body.toString('latin1', headersAt, blank);
    const headers = readHeaders(block);
    if (!headers) return { malformed: 'a part header line has no colon' };
    if (Object.keys(headers).length > limits.headerPairs) return { malformed: `a part has more than ${limits.headerPairs} header lines` };
    const disposition = headers['content-disposition'] ?? '';
    if (!/^form-data\b/i.test(disposition)) return { malformed: 'a part is not Content-Disposition: form-data' };
    // Header parameters are UTF-8 on the wire today; latin1 read them byte for byte.
    const name = Buffer.from(dispositionParam(disposition, 'name') ?? '', 'latin1').toString('utf8');
    if (name.length > limits.fieldNameSize) return { malformed: `a field name is longer than ${limits.fieldNameSize} characters` };
    const rawFilename = dispositionParam(disposition, 'filename');
    const filename = rawFilename === undefined ? undefined : Buffer.from(rawFilename, 'latin1').toString('utf8');
    const type = headers['content-type'];
    const content = body.subarray(blank + 4, next);
    const isFile = filename !== undefined || (type !== undefined && !/^text\/|json/i.test(type));
    if (parts.length >= limits.parts) return { malformed: `the multipart body has more than ${limits.parts} parts` };
    if (isFile) {
      if (++files > limits.files) return { malformed: `the multipart body has more than ${limits.files} files` };
      parts.push({ name, bytes: content, ...(filename !== undefined ? { filename } : {}), contentType: type ?? 'application/octet-stream' });
    } else {
      if (parts.length - files >= limits.fields) return { malformed: `the multipart body has more than ${limits.fields} fields` };
      parts.push({ name, text: content.toString('utf8'), contentType: type ?? 'text/plain' });
    }
    at = next + 2;
  }
}
