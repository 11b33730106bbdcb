import type { RulePath } from './compile-rules.js';

/** Renders a path the way a JS reader writes it: `rules[2].respond.delay`. */
export function formatRulePath(path: RulePath): string {
  let out = '';
  for (const token of path) {
    if (typeof token === 'number') out += `[${token}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(token)) out += out ? `.${token}` : token;
    else out += `[${JSON.stringify(token)}]`;
  }
  return out;
}

/** `where (rules[2].respond)`, or just `where` for the top level. */
export function withRulePath(where: string, path: RulePath): string {
  const text = formatRulePath(path);
  return text ? `${where} (${text})` : where;
}

