import type { SeededRandomizer } from './seeded-randomizer.js';

// Faker's helpers.fromRegExp knows neither anchors, \d, nor alternation groups, which covers most
// patterns real specs use, so iwkit parses the common ECMA-262 subset itself. Lookarounds and
// back-references are not generated; callers verify every result against the real RegExp anyway.

type PatternNode =
  | { kind: 'chars'; chars: string }
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
        } else if (this.src[this.i] === '?') throw new Unsupported('lookaround');
        const options = this.alternatives();
        if (this.src[this.i++] !== ')') throw new Unsupported('unclosed group');
        return { kind: 'alt', options };
      }
      case '\\':
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
      case undefined:
        throw new Unsupported('trailing backslash');
      default:
        if (/[1-9kpPcB]/.test(c)) throw new Unsupported(`\\${c}`);
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

/** Parses `pattern` once; returns undefined when it uses a construct iwkit does not generate (lookarounds, back-references). */
export function compilePattern(pattern: string): PatternGenerator | undefined {
  let options: PatternNode[][];
  try {
    options = new Parser(pattern).parse();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const root: PatternNode = { kind: 'alt', options };
  return (rng, span) => {
    const out: string[] = [];
    emitNode(root, rng, span, out);
    return out.join('');
  };
}
