import type { JournalEntry } from './journal.js';
import { maxJournalBodyChars } from './limits.js';
import type { RequestRedactor } from './redact-request.js';

/** What the journal keeps of one request, before its answer is known. */
export type JournalSubject = Pick<JournalEntry, 'client' | 'operationId' | 'method' | 'path' | 'query' | 'headers' | 'body'>;

/** The body as the journal counts it: any body over the cap (by raw text, text length or Content-Length) becomes a note. */
export function journalBodyValue(body: unknown, rawText: string | undefined, contentLength: string | string[] | undefined): unknown {
  const size = rawText?.length ?? (typeof body === 'string' ? body.length : Number(contentLength ?? 0));
  return size > maxJournalBodyChars ? `[${size} characters not kept]` : body;
}

/** One journal entry: secrets redacted, the time the request arrived, the status sent (null: the connection was dropped). */
export function journalRecord(redactor: RequestRedactor, subject: JournalSubject, status: number | null, scenario: string | undefined, durationMs: number, now = Date.now()): Omit<JournalEntry, 'id'> {
  const { client, operationId, body } = subject;
  return {
    time: new Date(now - durationMs).toISOString(),
    ...(client !== undefined ? { client } : {}),
    ...(operationId !== undefined ? { operationId } : {}),
    method: subject.method,
    path: subject.path,
    query: redactor.query(subject.query),
    headers: redactor.headers(subject.headers),
    ...(body !== undefined ? { body } : {}),
    scenario,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
  };
}
