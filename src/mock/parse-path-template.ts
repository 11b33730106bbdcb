// An OpenAPI path key, read the way real documents write them: `{param}` anywhere in a segment, dotted names,
// `{name=projects/*}` variables spanning segments, a `?query` or `#fragment` tail that only tells operations apart.

/**
 * One piece of a path segment; `capture` names the parameter whose value the piece's text belongs to, and
 * `spans` marks the pieces of a `{name=pattern}` variable, whose value is all its pieces joined by slashes.
 */
export type TemplatePiece =
  | { kind: 'literal'; text: string; capture?: string; spans?: true }
  | { kind: 'param'; capture: string; spans?: true }
  | { kind: 'rest'; capture: string; spans?: true };

/** A path key split into segments (the text between slashes, outside braces) and its query and fragment tails. */
export interface PathTemplate {
  key: string;
  /** One entry per segment; an empty list is an empty segment (a trailing slash). */
  segments: TemplatePiece[][];
  /** `?name=value` pairs of the key (value undefined for a bare `?name`), decoded. */
  query: [string, string | undefined][];
  fragment?: string;
  /** For each `{name=pattern}` variable, its whole text: a document may name the parameter either way. */
  patterns: Map<string, string>;
}

/** Percent-decodes text, keeping it as written when it is not valid percent-encoding. */
export function decodeText(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function decodeQueryText(text: string): string {
  return decodeText(text.replace(/\+/g, ' '));
}

function indexOutsideBraces(text: string, char: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === char && depth === 0) return i;
  }
  return -1;
}

function parseQuery(text: string): [string, string | undefined][] {
  return text
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [decodeQueryText(pair), undefined] : [decodeQueryText(pair.slice(0, eq)), decodeQueryText(pair.slice(eq + 1))];
    });
}

class SegmentBuilder {
  readonly segments: TemplatePiece[][] = [[]];
  readonly patterns = new Map<string, string>();

  get current(): TemplatePiece[] {
    return this.segments[this.segments.length - 1];
  }

  literal(text: string, capture?: string): void {
    if (text === '') return;
    const last = this.current[this.current.length - 1];
    if (last?.kind === 'literal' && last.capture === capture) last.text += text;
    else this.current.push(capture === undefined ? { kind: 'literal', text } : { kind: 'literal', text, capture, spans: true });
  }

  split(): void {
    this.segments.push([]);
  }

  /** `{name}` or `{name=pattern}`: the pattern's `*` is one segment's text, `**` the rest of the path. */
  variable(content: string): void {
    const eq = content.indexOf('=');
    if (eq < 0) {
      this.current.push({ kind: 'param', capture: content });
      return;
    }
    const capture = content.slice(0, eq);
    this.patterns.set(capture, content);
    content.slice(eq + 1).split('/').forEach((part, index) => {
      if (index > 0) this.split();
      if (part === '*') this.current.push({ kind: 'param', capture, spans: true });
      else if (part === '**') this.current.push({ kind: 'rest', capture, spans: true });
      else this.literal(part, capture);
    });
  }
}

/** Parses an OpenAPI path key into segments of literal text and parameters. */
export function parsePathTemplate(key: string): PathTemplate {
  const hash = indexOutsideBraces(key, '#');
  const beforeHash = hash < 0 ? key : key.slice(0, hash);
  const question = indexOutsideBraces(beforeHash, '?');
  const path = question < 0 ? beforeHash : beforeHash.slice(0, question);
  const builder = new SegmentBuilder();
  let text = '';
  const flush = () => {
    builder.literal(decodeText(text));
    text = '';
  };
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    const close = c === '{' ? path.indexOf('}', i + 1) : -1;
    if (close > i) {
      flush();
      builder.variable(path.slice(i + 1, close));
      i = close;
    } else if (c === '/') {
      flush();
      builder.split();
    } else {
      text += c;
    }
  }
  flush();
  // A key starts with "/": the empty text before it is no segment.
  const segments = path.startsWith('/') ? builder.segments.slice(1) : builder.segments;
  return {
    key,
    segments,
    patterns: builder.patterns,
    query: question < 0 ? [] : parseQuery(beforeHash.slice(question + 1)),
    ...(hash < 0 ? {} : { fragment: key.slice(hash + 1) }),
  };
}
