import type { OptionNames } from '../options/check-options.js';

// Flags arrive as text. They are turned into the option values the library takes and checked by the
// library's own option schema, with the flag names, so the rules live in one place.

/**
 * A flag's text as a number when it reads as one. Any other text is handed on unchanged (typed as a number)
 * so that the option schema refuses it with the flag's name and the text as given.
 */
export function numberFlag(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  return (/^-?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : raw) as number;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Option paths named as flags: the last name in kebab case (`limits.maxDelayed` → `--max-delayed`, `edge.0` → `--edge`), unless `renamed` says otherwise. */
export function flagNames(renamed: Record<string, string> = {}): OptionNames {
  return (path) => {
    const parts = path.split('.');
    while (parts.length > 1 && /^\d+$/.test(parts[parts.length - 1])) parts.pop();
    const option = parts.join('.');
    return renamed[option] ?? `--${kebab(parts[parts.length - 1])}`;
  };
}

/** Commander collector for repeatable options (`--token a --token b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

