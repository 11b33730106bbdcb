import type { TSchema } from '@sinclair/typebox';

// One recording replaces every secret by a stand-in, the same one wherever the secret turns up (a token sent
// in a header and echoed in a body becomes one stand-in in both), so a replayed session stays coherent.

/** Secrets shorter than this are replaced where they are a whole value, but not searched for inside other text. */
const minSearchLength = 4;

/** The ways a secret can be written in a file: raw, JSON-escaped, base64, base64url, percent- and form-encoded. */
export function secretEncodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, JSON.stringify(secret).slice(1, -1), bytes.toString('base64'), bytes.toString('base64url'), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
  return [...new Set(forms.filter((f) => f.length > 0))];
}

/** Makes a schema-valid stand-in for a secret (the n-th of the recording), or undefined when it cannot. */
export type StandInMaker = (schema: TSchema | undefined, n: number) => string | undefined;

/** The secrets of one recording and their stand-ins. */
export class SecretStandIns {
  private readonly standIns = new Map<string, string>();

  constructor(private readonly make: StandInMaker) {}

  /** The stand-in for a secret, made on first sight (schema-valid when a schema is given). */
  standIn(secret: string, schema?: TSchema): string {
    let standIn = this.standIns.get(secret);
    if (standIn !== undefined) return standIn;
    const n = this.standIns.size + 1;
    const made = this.make(schema, n);
    standIn = made !== undefined && !this.leaks(made, [secret]) ? made : `iwkit-stand-in-${n}`;
    this.standIns.set(secret, standIn);
    return standIn;
  }

  /** Notes a secret (so it is searched for in every text written) without needing its stand-in yet. */
  note(secret: string): void {
    if (secret.length > 0) this.standIn(secret);
  }

  /** Replaces every known secret inside a text (any encoding) by its stand-in. */
  scrub(text: string): string {
    let out = text;
    for (const [secret, standIn] of this.standIns) {
      if (out === secret) return standIn;
      if (secret.length < minSearchLength) continue;
      for (const form of secretEncodings(secret)) if (out.includes(form)) out = out.split(form).join(standIn);
    }
    return out;
  }

  /** The first secret found in a text in any encoding; undefined when it holds none. */
  leaks(text: string, secrets: Iterable<string> = this.standIns.keys()): string | undefined {
    for (const secret of secrets) {
      if (secret.length < minSearchLength) continue;
      if (secretEncodings(secret).some((form) => text.includes(form))) return secret;
    }
    return undefined;
  }
}
