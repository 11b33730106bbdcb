import type { SeededRandomizer } from './seeded-randomizer.js';

// Faker's helpers.fromRegExp knows neither anchors, \d, nor alternation groups, which covers most
// patterns real specs use, so iwkit parses the common ECMA-262 subset itself. Lookarounds and word
// boundaries are read as matching the empty string (the candidate may then miss them), back-references
// are not generated; callers verify every result against the real RegExp anyway.

type PatternNode =
  | { kind: 'chars'; chars: string; source?: string; wide?: string }
  | { kind: 'alt'; options: PatternNode[][] }
  | { kind: 'repeat'; node: PatternNode; min: number; max: number };

/** Generates a candidate string for a pattern; `span` caps how far unbounded quantifiers (`*`, `+`, `{n,}`) go. */
export type PatternGenerator = (rng: SeededRandomizer, span: number) => string;

const PRINTABLE = range(32, 126);
const DIGITS = '0123456789';
const WORD = `${range(97, 122)}${range(65, 90)}${DIGITS}_`;
const SPACE = ' ';

function range(from: number, to: number): string {
  let out = '';
  for (let c = from; c <= to; c++) out += String.fromCharCode(c);
  return out;
}

function complement(chars: string): string {
  let out = '';
  for (const c of PRINTABLE) if (!chars.includes(c)) out += c;
  return out;
}

class Unsupported extends Error {}

// A few members of each Unicode general category, enough to build values for `\p{...}` (checked with the `u` flag).
const UNICODE_CATEGORIES: Record<string, string> = {
  Lu: `${range(65, 90)}\u00c0\u00c9\u00d6\u00c5\u0416`,
  Ll: `${range(97, 122)}\u00e9\u00fc\u00f1\u00f8\u00df\u044f`,
  Lt: '\u01c5\u01c8',
  Lm: '\u02b0\u02b2',
  Lo: '\u05d0\u05d1\u4e2d\u65e5\u0627',
  Nd: DIGITS,
  Nl: '\u216b\u2160',
  No: '\u00b2\u00bd',
  Pc: '_',
  Pd: '-',
  Ps: '([{',
  Pe: ')]}',
  Po: '!"#%&\'*,./:;?@\\',
  Sm: '+<=>|~',
  Sc: '$\u20ac\u00a3',
  Sk: '^`',
  So: '\u00a9\u00ae',
  Zs: ' ',
};
const CATEGORY_ALIASES: Record<string, string[]> = {
  L: ['Lu', 'Ll', 'Lt', 'Lm', 'Lo'], Letter: ['Lu', 'Ll', 'Lt', 'Lm', 'Lo'], Lowercase_Letter: ['Ll'], Uppercase_Letter: ['Lu'],
  N: ['Nd', 'Nl', 'No'], Number: ['Nd', 'Nl', 'No'], Decimal_Number: ['Nd'], digit: ['Nd'],
  P: ['Pc', 'Pd', 'Ps', 'Pe', 'Po'], Punctuation: ['Pc', 'Pd', 'Ps', 'Pe', 'Po'],
  S: ['Sm', 'Sc', 'Sk', 'So'], Symbol: ['Sm', 'Sc', 'Sk', 'So'], Z: ['Zs'], Separator: ['Zs'], Space_Separator: ['Zs'],
  Alphabetic: ['Lu', 'Ll', 'Lo'], White_Space: ['Zs'],
};

function unicodeCategory(name: string): string | undefined {
  const key = name.replace(/^(General_Category|gc)=/, '');
  if (key in UNICODE_CATEGORIES) return UNICODE_CATEGORIES[key];
  const parts = CATEGORY_ALIASES[key];
  return parts ? parts.map((part) => UNICODE_CATEGORIES[part]).join('') : undefined;
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): PatternNode[][] {
    const alt = this.alternatives();
    if (this.i < this.src.length) throw new Unsupported(`unexpected ${this.src[this.i]}`);
    return alt;
  }

  private alternatives(): PatternNode[][] {
    const options: PatternNode[][] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options;
  }

  private sequence(): PatternNode[] {
    const seq: PatternNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      if (atom) seq.push(this.quantified(atom));
    }
    return seq;
  }

  private quantified(node: PatternNode): PatternNode {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return node;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return node;
    this.i++;
    if (this.src[this.i] === '?' || this.src[this.i] === '+') this.i++;
    return { kind: 'repeat', node, min, max };
  }

  private atom(): PatternNode | undefined {
    const start = this.i;
    const node = this.atomAt();
    // Remember the atom's own text so edge profiles can ask the real RegExp which non-ASCII characters it admits.
    if (node?.kind === 'chars') node.source = this.src.slice(start, this.i);
    return node;
  }

  private atomAt(): PatternNode | undefined {
    const c = this.src[this.i++];
    switch (c) {
      case '^':
      case '$':
        return undefined;
      case '.':
        // Any character matches; readable ones make readable values.
        return { kind: 'chars', chars: WORD };
      case '[':
        return { kind: 'chars', chars: this.charClass() };
      case '(': {
        if (this.src.startsWith('?:', this.i)) this.i += 2;
        else if (this.src.startsWith('?<', this.i) && !/^\?<[=!]/.test(this.src.slice(this.i))) {
          this.i = this.src.indexOf('>', this.i) + 1;
        } else if (/^\?<?[=!]/.test(this.src.slice(this.i))) {
          // A lookaround consumes nothing: parsed (to skip it) and generated as the empty string.
          this.i += this.src[this.i + 1] === '<' ? 3 : 2;
          this.alternatives();
          if (this.src[this.i++] !== ')') throw new Unsupported('unclosed group');
          return undefined;
        } else if (this.src[this.i] === '?') throw new Unsupported('group modifier');
        const options = this.alternatives();
        if (this.src[this.i++] !== ')') throw new Unsupported('unclosed group');
        return { kind: 'alt', options };
      }
      case '\\':
        // A word boundary consumes nothing either.
        if (this.src[this.i] === 'b' || this.src[this.i] === 'B') {
          this.i++;
          return undefined;
        }
        return this.escape(false);
      default:
        return { kind: 'chars', chars: c };
    }
  }

  private escape(inClass: boolean): { kind: 'chars'; chars: string } {
    const c = this.src[this.i++];
    switch (c) {
      case 'd':
        return { kind: 'chars', chars: DIGITS };
      case 'D':
        return { kind: 'chars', chars: complement(DIGITS) };
      case 'w':
        return { kind: 'chars', chars: WORD };
      case 'W':
        return { kind: 'chars', chars: complement(WORD) };
      case 's':
        return { kind: 'chars', chars: SPACE };
      case 'S':
        return { kind: 'chars', chars: complement(' \t\n\r\f\v') };
      case 't':
        return { kind: 'chars', chars: '\t' };
      case 'n':
        return { kind: 'chars', chars: '\n' };
      case 'r':
        return { kind: 'chars', chars: '\r' };
      case 'f':
        return { kind: 'chars', chars: '\f' };
      case 'v':
        return { kind: 'chars', chars: '\v' };
      case '0':
        return { kind: 'chars', chars: '\0' };
      case 'x':
      case 'u': {
        const len = c === 'x' ? 2 : 4;
        const hex = this.src.slice(this.i, this.i + len);
        if (!/^[0-9a-f]+$/i.test(hex) || hex.length !== len) throw new Unsupported('escape');
        this.i += len;
        return { kind: 'chars', chars: String.fromCharCode(parseInt(hex, 16)) };
      }
      case 'b':
        if (inClass) return { kind: 'chars', chars: '\b' };
        throw new Unsupported('word boundary');
      case 'p':
      case 'P': {
        const m = /^\{([A-Za-z_=]+)\}/.exec(this.src.slice(this.i));
        const chars = m ? unicodeCategory(m[1]) : undefined;
        if (!m || chars === undefined) throw new Unsupported(`\\${c}`);
        this.i += m[0].length;
        return { kind: 'chars', chars: c === 'p' ? chars : complement(chars) };
      }
      case undefined:
        throw new Unsupported('trailing backslash');
      default:
        if (/[1-9kcB]/.test(c)) throw new Unsupported(`\\${c}`);
        return { kind: 'chars', chars: c };
    }
  }

  private charClass(): string {
    let negate = false;
    if (this.src[this.i] === '^') {
      negate = true;
      this.i++;
    }
    let chars = '';
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false;
      let lo: string;
      if (this.src[this.i] === '\\') {
        this.i++;
        const set = this.escape(true).chars;
        if (set.length !== 1) {
          chars += set;
          continue;
        }
        lo = set;
      } else lo = this.src[this.i++];
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        let hi: string;
        if (this.src[this.i] === '\\') {
          this.i++;
          hi = this.escape(true).chars;
          if (hi.length !== 1) throw new Unsupported('range');
        } else hi = this.src[this.i++];
        chars += range(lo.charCodeAt(0), hi.charCodeAt(0));
      } else chars += lo;
    }
    if (this.src[this.i++] !== ']') throw new Unsupported('unclosed class');
    const set = negate ? complement(chars) : chars;
    if (set.length === 0) throw new Unsupported('empty class');
    return set;
  }
}

function emit(seq: PatternNode[], rng: SeededRandomizer, span: number, out: string[]): void {
  for (const node of seq) emitNode(node, rng, span, out);
}

function emitNode(node: PatternNode, rng: SeededRandomizer, span: number, out: string[]): void {
  if (node.kind === 'chars') out.push(node.chars[Math.floor(rng.next() * node.chars.length)]);
  else if (node.kind === 'alt') emit(rng.pick(node.options), rng, span, out);
  else {
    const max = node.max === Infinity ? node.min + span : node.max;
    const count = rng.int(node.min, Math.max(node.min, max));
    for (let k = 0; k < count; k++) emitNode(node.node, rng, span, out);
  }
}

function parse(pattern: string): PatternNode | undefined {
  try {
    return { kind: 'alt', options: new Parser(pattern).parse() };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Parses `pattern` once; returns undefined when it uses a construct iwkit does not generate (lookarounds, back-references). */
export function compilePattern(pattern: string): PatternGenerator | undefined {
  const root = parse(pattern);
  if (root === undefined) return undefined;
  return (rng, span) => {
    const out: string[] = [];
    emitNode(root, rng, span, out);
    return out.join('');
  };
}

// Single UTF-16 code units only: a pattern without the `u` flag counts a surrogate pair as two characters.
const WIDE_POOL =
  '\u05e9\u05dc\u05d5\u05dd\u0645\u0631\u062d\u0628\u0627\u00e9\u00fc\u00f1\u00f8\u00df\u00c5\u0416\u044f' +
  '\u65e5\u672c\u8a9e\u2603\u2605\u2665\u2713\u0301\u0308\u0336\u200b\u200c\u200d\u2060\u200f\u202e\u00a0\uff26';

/** Lengths a node can produce: [shortest, longest] (longest may be Infinity). */
type Span = [number, number];

function spanOf(node: PatternNode, cache: Map<PatternNode, Span>): Span {
  const known = cache.get(node);
  if (known) return known;
  let span: Span;
  if (node.kind === 'chars') span = [1, 1];
  else if (node.kind === 'alt') {
    const spans = node.options.map((seq) => seqSpan(seq, cache));
    span = [Math.min(...spans.map((s) => s[0])), Math.max(...spans.map((s) => s[1]))];
  } else {
    const [a, b] = spanOf(node.node, cache);
    span = [node.min * a, b === 0 || node.max === 0 ? 0 : node.max * b];
  }
  cache.set(node, span);
  return span;
}

function seqSpan(seq: PatternNode[], cache: Map<PatternNode, Span>): Span {
  let lo = 0;
  let hi = 0;
  for (const node of seq) {
    const [a, b] = spanOf(node, cache);
    lo += a;
    hi += b;
  }
  return [lo, hi];
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(Math.max(value, lo), hi);
}

/** Finds, once per chars node, the pool characters the node's own RegExp admits. */
function wideOf(node: Extract<PatternNode, { kind: 'chars' }>): string {
  if (node.wide !== undefined) return node.wide;
  let wide = '';
  for (const c of node.chars) if (c.charCodeAt(0) > 126 && !wide.includes(c)) wide += c;
  if (node.source !== undefined) {
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(`^(?:${node.source})$`);
    } catch {
      regex = undefined;
    }
    if (regex) for (const c of WIDE_POOL) if (!wide.includes(c) && regex.test(c)) wide += c;
  }
  node.wide = wide;
  return wide;
}

interface SizedContext {
  rng: SeededRandomizer;
  unicode: boolean;
  cache: Map<PatternNode, Span>;
  out: string[];
}

function emitSized(node: PatternNode, target: number, ctx: SizedContext): void {
  if (node.kind === 'chars') {
    const wide = ctx.unicode ? wideOf(node) : '';
    const set = wide.length > 0 && ctx.rng.chance(0.75) ? wide : node.chars;
    ctx.out.push(set[Math.floor(ctx.rng.next() * set.length)]);
    return;
  }
  if (node.kind === 'alt') {
    const fitting = node.options.filter((seq) => {
      const [lo, hi] = seqSpan(seq, ctx.cache);
      return lo <= target && target <= hi;
    });
    if (fitting.length > 0) {
      emitSeqSized(ctx.rng.pick(fitting), target, ctx);
      return;
    }
    // Nothing fits exactly: the option whose range comes closest.
    let best = node.options[0];
    let distance = Infinity;
    for (const seq of node.options) {
      const [lo, hi] = seqSpan(seq, ctx.cache);
      const d = target < lo ? lo - target : target - hi;
      if (d < distance) [best, distance] = [seq, d];
    }
    emitSeqSized(best, target, ctx);
    return;
  }
  const [a, b] = spanOf(node.node, ctx.cache);
  let count: number;
  if (b === 0) count = node.min;
  else {
    // As few repetitions as reach the target, each as long as it may be.
    count = clamp(b === Infinity ? Math.min(1, target) : Math.ceil(target / b), node.min, node.max);
  }
  let left = target;
  for (let k = 0; k < count; k++) {
    const share = clamp(Math.ceil(left / (count - k)), a, b);
    emitSized(node.node, share, ctx);
    left -= share;
  }
}

function emitSeqSized(seq: PatternNode[], target: number, ctx: SizedContext): void {
  const spans = seq.map((node) => spanOf(node, ctx.cache));
  let extra = target - spans.reduce((sum, s) => sum + s[0], 0);
  seq.forEach((node, i) => {
    const [lo, hi] = spans[i];
    const give = clamp(extra, 0, hi - lo);
    extra -= give;
    emitSized(node, lo + give, ctx);
  });
}

/** A pattern prepared for edge profiles: its length range and strings of a chosen length. */
export interface PatternPlan {
  /** The shortest and longest match the generator can build (longest may be Infinity). */
  minLength: number;
  maxLength: number;
  /**
   * A string as close to `length` characters as the pattern allows; with `unicode`, characters the pattern admits
   * beyond ASCII (for `.`, negated classes, `\S`, explicit non-ASCII ranges) are preferred.
   */
  sized(rng: SeededRandomizer, length: number, unicode: boolean): string;
}

/** Parses `pattern` for length-targeted generation; undefined when the pattern uses a construct iwkit does not generate. */
export function compilePatternPlan(pattern: string): PatternPlan | undefined {
  const root = parse(pattern);
  if (root === undefined) return undefined;
  const cache = new Map<PatternNode, Span>();
  const [minLength, maxLength] = spanOf(root, cache);
  return {
    minLength,
    maxLength,
    sized: (rng, length, unicode) => {
      const ctx: SizedContext = { rng, unicode, cache, out: [] };
      emitSized(root, clamp(length, minLength, maxLength), ctx);
      return ctx.out.join('');
    },
  };
}
