/**
 * `.dockerignore` matching without backtracking. Docker compiles each pattern to a Go regular
 * expression, which runs in linear time; the same expressions in JavaScript backtrack, so a
 * repository could stall the server with one line (`**` repeated, or `*a*a*a…b`, against a deep or
 * long path: 22 s for one path with @balena/dockerignore). Here each pattern is a small automaton
 * (its states as bits) run over the path once, which also finds whether the pattern matches a folder
 * above the path on the way (Docker's "or a parent", at the depths @balena/dockerignore tries). The
 * states after each folder are kept, so a path costs its last segment, and a pattern that cannot
 * match below a folder costs nothing there. A budget of steps bounds what one context can cost.
 *
 * The reading follows @balena/dockerignore, which follows Docker's: `#` comments, `!` exceptions,
 * paths cleaned, a leading `/` dropped, `*` and `?` inside one path segment, `**` across segments,
 * `[…]` classes, `\` escaping the next character, the last matching pattern deciding, matching
 * without regard to case (as that package does); other characters are literal.
 */
import { posix } from 'node:path';

/** Patterns kept at most, and characters per pattern: real files have tens of short lines. */
export const MAX_PATTERNS = 2000;
export const MAX_PATTERN_LENGTH = 1024;
/** Automaton steps one matcher may take over its life (a few hundred ms); past it, nothing more is matched. */
export const MAX_STEPS = 25_000_000;

type Node =
  | { readonly kind: 'char'; readonly ch: string }
  | { readonly kind: 'one' } // [^/]
  | { readonly kind: 'class'; readonly test: (c: string) => boolean }
  | { readonly kind: 'star' } // [^/]*
  | { readonly kind: 'all' } // .*
  | { readonly kind: 'globstar' } // (.*/)? entry: on to the next node, or into the loop that follows
  | { readonly kind: 'loop' }; // the .*/ of a globstar: any character stays, `/` also moves on

const enum Kind {
  Char,
  One,
  Class,
  Star,
  All,
  Globstar,
  Loop,
}
const SLASH = 47;

/** A pattern's automaton as flat tables: states 0…n (n accepts), sets of them as bits in `words` 32-bit words. */
interface Automaton {
  readonly n: number;
  readonly words: number;
  readonly kind: Uint8Array;
  /** The character code a Char state consumes. */
  readonly code: Int32Array;
  readonly classes: readonly (((c: string) => boolean) | undefined)[];
  /** For each state, the states it reaches without consuming a character (itself included), `words` words each. */
  readonly closure: Uint32Array;
  /** Scratch sets for `run` and `feed` (`feed` leaves its result in `current`). */
  readonly current: Uint32Array;
  readonly next: Uint32Array;
  readonly scratch: Uint32Array;
}

interface Rule {
  readonly negative: boolean;
  readonly automaton: Automaton;
  /**
   * Which folders above a path the pattern is tried on, as @balena/dockerignore (and Docker 19.03)
   * do: the one as many segments deep as the pattern, or for a pattern with a `**` segment, any at
   * least as deep as its other segments.
   */
  readonly parents: { readonly globstar: boolean; readonly depth: number };
}

export interface DockerignoreMatcher {
  /** Whether Docker leaves the context path (relative, with `/`) out of the build context. */
  ignores(path: string): boolean;
  /** Patterns kept. */
  readonly size: number;
  /** Why some patterns, or some answers, were given up on (read when the answers are used). */
  readonly problems: readonly string[];
}

export function dockerignoreMatcher(text: string): DockerignoreMatcher {
  const rules: Rule[] = [];
  const problems: string[] = [];
  let tooLong = 0;
  let dropped = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#') || line.trim() === '') continue;
    if (rules.length >= MAX_PATTERNS) {
      dropped++;
      continue;
    }
    if (line.length > MAX_PATTERN_LENGTH) {
      tooLong++;
      continue;
    }
    const rule = createRule(line.trim());
    if (rule) rules.push(rule);
  }
  if (dropped) problems.push(`more than ${MAX_PATTERNS} patterns: the last ${dropped} are not applied`);
  if (tooLong) problems.push(`${tooLong} pattern(s) longer than ${MAX_PATTERN_LENGTH} characters are not applied`);
  const cache = new Map<string, boolean>();
  const meter: Meter = { steps: 0, budget: MAX_STEPS };
  const folders = new FolderStates(rules, meter);
  let exhausted = false;
  return {
    size: rules.length,
    problems,
    ignores(path) {
      if (!path || exhausted) return false;
      const known = cache.get(path);
      if (known !== undefined) return known;
      const lowered = path.toLowerCase();
      const outcome = CLEAN.test(lowered) ? folders.decide(lowered) : decideAlone(rules, lowered, meter);
      if (outcome === EXHAUSTED_RULE) {
        exhausted = true;
        problems.push(`matching its ${rules.length} patterns against this context took more than ${MAX_STEPS.toLocaleString('en')} steps; the rest of the context counts as not excluded`);
        return false;
      }
      const ignored = outcome >= 0 && !rules[outcome]!.negative;
      if (cache.size < 200_000) cache.set(path, ignored);
      return ignored;
    },
  };
}

/** A path made of plain segments (no empty, `.` or `..` one, no leading or trailing `/`): the folder states apply. */
const CLEAN = /^(?!\.{1,2}(?:\/|$))(?:[^/]+)(?:\/(?!\.{1,2}(?:\/|$))[^/]+)*$/;

/** The last rule matching a path or a folder above it (or EXHAUSTED, or -1), each rule run over the whole path. */
function decideAlone(rules: readonly Rule[], path: string, meter: Meter): number {
  for (let i = rules.length - 1; i >= 0; i--) {
    const outcome = run(rules[i]!, path, meter);
    if (outcome === EXHAUSTED) return EXHAUSTED_RULE;
    if (outcome === YES) return i;
  }
  return -1;
}
const EXHAUSTED_RULE = -2;

/** Words of automaton state kept for folders at most (4 bytes each); past it, folders are worked out again each time. */
const MAX_KEPT_WORDS = 4_000_000;

interface FolderState {
  /** Segments in the folder's path. */
  readonly depth: number;
  /** The last rule that matches the folder or one above it, at a depth it is tried at; -1 for none. */
  readonly matched: number;
  /** Rules still able to match something below (higher than `matched`), in order, with their states after `folder/`. */
  readonly live: Int32Array;
  readonly states: Uint32Array;
  /** Where each live rule's state starts in `states`. */
  readonly at: Int32Array;
}

/**
 * The automata's states after each folder of the context, worked out once per folder from its
 * parent's, so that a path costs its last segment rather than its whole length, and rules that
 * died in a folder (most of them, after a character or two) cost nothing below it.
 */
class FolderStates {
  private readonly byFolder = new Map<string, FolderState>();
  private readonly root: FolderState;
  /** For folders at the top: rules (a lone `**`) that match through the empty folder above everything. */
  private readonly rootMatched: number;
  private kept = 0;

  constructor(
    private readonly rules: readonly Rule[],
    private readonly meter: Meter,
  ) {
    const live: number[] = [];
    const at: number[] = [];
    let size = 0;
    let rootMatched = -1;
    rules.forEach((rule, i) => {
      live.push(i);
      at.push(size);
      size += rule.automaton.words;
      const { n, closure } = rule.automaton;
      if (rule.parents.globstar && rule.parents.depth === 0 && (closure[n >>> 5]! & (1 << (n & 31))) !== 0) rootMatched = i;
    });
    const states = new Uint32Array(size);
    rules.forEach((rule, i) => states.set(rule.automaton.closure.subarray(0, rule.automaton.words), at[i]!));
    this.root = { depth: 0, matched: -1, live: Int32Array.from(live), states, at: Int32Array.from(at) };
    this.rootMatched = rootMatched;
  }

  /** The last rule matching the path or a folder above it; -1 for none, EXHAUSTED_RULE past the budget. */
  decide(path: string): number {
    const cut = path.lastIndexOf('/');
    const folder = cut < 0 ? this.root : this.folder(path.slice(0, cut));
    if (!folder) return EXHAUSTED_RULE;
    const base = cut < 0 ? path : path.slice(cut + 1);
    let best = folder.matched;
    // From the last rule down: the first that matches the whole path decides.
    for (let k = folder.live.length - 1; k >= 0; k--) {
      const r = folder.live[k]!;
      if (r <= best) break;
      const rule = this.rules[r]!;
      const outcome = feed(rule, folder.states.subarray(folder.at[k]!, folder.at[k]! + rule.automaton.words), base, this.meter);
      if (outcome === EXHAUSTED) return EXHAUSTED_RULE;
      if (outcome === YES && accepting(rule)) {
        best = r;
        break;
      }
    }
    return best;
  }

  /** A folder's state, from the nearest folder above it already known; undefined past the budget. */
  private folder(path: string): FolderState | undefined {
    const known = this.byFolder.get(path);
    if (known) return known;
    const cut = path.lastIndexOf('/');
    const parent = cut < 0 ? this.root : this.folder(path.slice(0, cut));
    if (!parent) return undefined;
    const segment = cut < 0 ? path : path.slice(cut + 1);
    const depth = parent.depth + 1;
    let matched = parent === this.root ? Math.max(parent.matched, this.rootMatched) : parent.matched;
    const live: number[] = [];
    const chunks: Uint32Array[] = [];
    let size = 0;
    for (let k = 0; k < parent.live.length; k++) {
      const r = parent.live[k]!;
      if (r <= matched) continue;
      const rule = this.rules[r]!;
      const words = rule.automaton.words;
      const outcome = feed(rule, parent.states.subarray(parent.at[k]!, parent.at[k]! + words), segment, this.meter, true);
      if (outcome === EXHAUSTED) return undefined;
      const { globstar, depth: wanted } = rule.parents;
      if (accepted && (globstar ? depth >= wanted : depth === wanted)) {
        // It matches this folder, so everything below: no need to follow it further.
        matched = r;
        continue;
      }
      if (outcome === NO) continue;
      live.push(r);
      chunks.push(rule.automaton.current.slice(0, words));
      size += words;
    }
    // Rules at or below the last one matching here cannot change what is decided below.
    let first = 0;
    while (first < live.length && live[first]! <= matched) size -= chunks[first++]!.length;
    const count = live.length - first;
    const states = new Uint32Array(size);
    const at = new Int32Array(count);
    const kept = new Int32Array(count);
    for (let k = 0, offset = 0; k < count; k++) {
      kept[k] = live[first + k]!;
      at[k] = offset;
      states.set(chunks[first + k]!, offset);
      offset += chunks[first + k]!.length;
    }
    const state: FolderState = { depth, matched, live: kept, states, at };
    if (this.kept + size + count < MAX_KEPT_WORDS) {
      this.kept += size + count;
      this.byFolder.set(path, state);
    }
    return state;
  }
}

/** Whether the state `feed` left in the rule's `current` set accepts. */
function accepting(rule: Rule): boolean {
  const { n, current } = rule.automaton;
  return (current[n >>> 5]! & (1 << (n & 31))) !== 0;
}

/**
 * Runs a rule's automaton from `from` over `text` (then over a `/`, with `thenSlash`), leaving the
 * set it reaches in the rule's `current` set: YES if any state is still live, NO if none, EXHAUSTED
 * past the budget. With `thenSlash`, `accepted` says whether the set before the `/` accepted.
 */
function feed(rule: Rule, from: Uint32Array, text: string, meter: Meter, thenSlash = false): typeof NO | typeof YES | typeof EXHAUSTED {
  const a = rule.automaton;
  accepted = false;
  if (a.words === 1) return feedOne(rule, from[0]!, text, meter, thenSlash);
  const { words, kind, code, classes, closure } = a;
  let current = a.next;
  let next = a.scratch;
  current.set(from);
  let steps = meter.steps + CALL_COST;
  const budget = meter.budget;
  let live = false;
  for (let w = 0; w < words; w++) if (current[w] !== 0) live = true;
  const length = text.length + (thenSlash ? 1 : 0);
  for (let i = 0; i < length && live; i++) {
    const c = i < text.length ? text.charCodeAt(i) : SLASH;
    if (i === text.length) accepted = (current[a.n >>> 5]! & (1 << (a.n & 31))) !== 0;
    next.fill(0);
    live = false;
    steps += 1;
    for (let w = 0; w < words; w++) {
      let bits = current[w]! | 0;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const s = (w << 5) + 31 - Math.clz32(low);
        if (s >= a.n) continue;
        steps += words;
        if (steps > budget) {
          meter.steps = steps;
          return EXHAUSTED;
        }
        const to = step(kind[s]!, s, c, code, classes, text, i);
        if (to >= 0) {
          for (let x = 0, at = to * words; x < words; x++) next[x]! |= closure[at + x]!;
          live = true;
        }
        if (to === -2 || (to >= 0 && kind[s] === Kind.Loop)) {
          for (let x = 0, at = s * words; x < words; x++) next[x]! |= closure[at + x]!;
          live = true;
        }
      }
    }
    [current, next] = [next, current];
  }
  if (thenSlash && text.length === 0) accepted = (from[a.n >>> 5]! & (1 << (a.n & 31))) !== 0;
  meter.steps = steps;
  a.current.set(current);
  return live ? YES : NO;
}

/** Whether the set before the `/` of the last `feed(…, thenSlash)` accepted. */
let accepted = false;

/** Where a state goes on `c`: a state index, -1 nowhere, -2 it stays (a loop on `/` stays and moves on: the index). */
function step(kind: number, s: number, c: number, code: Int32Array, classes: readonly (((c: string) => boolean) | undefined)[], text: string, i: number): number {
  switch (kind) {
    case Kind.Char:
      return code[s] === c ? s + 1 : -1;
    case Kind.One:
      return c !== SLASH ? s + 1 : -1;
    case Kind.Class:
      return classes[s]!(i < text.length ? text[i]! : '/') ? s + 1 : -1;
    case Kind.Star:
      return c !== SLASH ? -2 : -1;
    case Kind.All:
      return -2;
    case Kind.Loop:
      return c === SLASH ? s + 1 : -2;
    default:
      return -1;
  }
}

/** `feed` for automata of at most 31 states, on one integer. */
function feedOne(rule: Rule, from: number, text: string, meter: Meter, thenSlash: boolean): typeof NO | typeof YES | typeof EXHAUSTED {
  const a = rule.automaton;
  const { n, kind, code, classes, closure } = a;
  const acceptBit = 1 << n;
  let current = from | 0;
  let steps = meter.steps + CALL_COST;
  const budget = meter.budget;
  const length = text.length + (thenSlash ? 1 : 0);
  for (let i = 0; i < length && current !== 0; i++) {
    const c = i < text.length ? text.charCodeAt(i) : SLASH;
    if (i === text.length) accepted = (current & acceptBit) !== 0;
    let bits = current & ~acceptBit;
    let next = 0;
    steps += 1;
    while (bits !== 0) {
      const low = bits & -bits;
      bits ^= low;
      const s = 31 - Math.clz32(low);
      if (++steps > budget) {
        meter.steps = steps;
        return EXHAUSTED;
      }
      const to = step(kind[s]!, s, c, code, classes, text, i);
      if (to >= 0) next |= closure[to]!;
      if (to === -2 || (to >= 0 && kind[s] === Kind.Loop)) next |= closure[s]!;
    }
    current = next;
  }
  if (thenSlash && text.length === 0) accepted = (from & acceptBit) !== 0;
  meter.steps = steps;
  a.current[0] = current;
  return current !== 0 ? YES : NO;
}

/** As Docker (and @balena/dockerignore) read a line: `!`, cleaned, leading `/` dropped. */
function createRule(line: string): Rule | undefined {
  let pattern = line;
  let negative = false;
  if (pattern.startsWith('!')) {
    negative = true;
    pattern = pattern.slice(1).trim();
  }
  if (pattern.length > 0) {
    pattern = clean(pattern);
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
  }
  if (negative) pattern = `!${pattern}`;
  pattern = pattern.trim();
  if (pattern === '') return undefined;
  pattern = clean(pattern);
  if (pattern.startsWith('!')) {
    if (pattern.length === 1) return undefined;
    negative = true;
    pattern = pattern.slice(1);
  } else {
    negative = false;
  }
  const dirs = pattern.split('/');
  const globstar = dirs.includes('**');
  const parents = { globstar, depth: globstar ? dirs.filter((d) => d !== '**').length : dirs.length };
  return { negative, automaton: automaton(compile(pattern.toLowerCase())), parents };
}

function automaton(nodes: readonly Node[]): Automaton {
  const n = nodes.length;
  const words = (n >>> 5) + 1;
  const kind = new Uint8Array(n);
  const code = new Int32Array(n);
  const classes: (((c: string) => boolean) | undefined)[] = [];
  nodes.forEach((node, i) => {
    kind[i] = { char: Kind.Char, one: Kind.One, class: Kind.Class, star: Kind.Star, all: Kind.All, globstar: Kind.Globstar, loop: Kind.Loop }[node.kind];
    code[i] = node.kind === 'char' ? node.ch.charCodeAt(0) : -1;
    classes[i] = node.kind === 'class' ? node.test : undefined;
  });
  const closure = new Uint32Array((n + 1) * words);
  // From the end, so that each state's closure can take its successors'.
  for (let s = n; s >= 0; s--) {
    const at = s * words;
    closure[at + (s >>> 5)]! |= 1 << (s & 31);
    const k = s < n ? kind[s] : undefined;
    const also = k === Kind.Star || k === Kind.All ? [s + 1] : k === Kind.Globstar ? [s + 1, s + 2] : [];
    for (const t of also) for (let w = 0; w < words; w++) closure[at + w]! |= closure[t * words + w]!;
  }
  return { n, words, kind, code, classes, closure, current: new Uint32Array(words), next: new Uint32Array(words), scratch: new Uint32Array(words) };
}

/** Go's filepath.Clean as the package does it: normalised, no trailing slash. */
function clean(path: string): string {
  return posix.normalize(path).replace(/(?<=.)\/$/, '');
}

function compile(pattern: string): Node[] {
  const nodes: Node[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        if (pattern[i + 1] === undefined) nodes.push({ kind: 'all' });
        else nodes.push({ kind: 'globstar' }, { kind: 'loop' });
      } else if (nodes.at(-1)?.kind !== 'star') {
        // `**` aside, stars in a row match what one star does.
        nodes.push({ kind: 'star' });
      }
    } else if (ch === '?') {
      nodes.push({ kind: 'one' });
    } else if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) nodes.push(literal('\\'));
      else {
        nodes.push(literal(next));
        i++;
      }
    } else if (ch === '[') {
      const parsed = charClass(pattern, i);
      if (parsed) {
        nodes.push({ kind: 'class', test: parsed.test });
        i = parsed.end;
      } else {
        nodes.push(literal('['));
      }
    } else {
      nodes.push(literal(ch));
    }
  }
  return nodes;
}

const literal = (ch: string): Node => ({ kind: 'char', ch });

/** `[abc]`, `[a-z]`, `[^…]` from `start` (the `[`); undefined when it never closes. */
function charClass(pattern: string, start: number): { test: (c: string) => boolean; end: number } | undefined {
  let i = start + 1;
  const negated = pattern[i] === '^';
  if (negated) i++;
  const singles = new Set<string>();
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < pattern.length; i++) {
    let ch = pattern[i]!;
    if (ch === ']' && !first) {
      const test = (c: string) => {
        const hit = singles.has(c) || ranges.some(([lo, hi]) => c >= lo && c <= hi);
        return negated ? !hit : hit;
      };
      return { test, end: i };
    }
    first = false;
    if (ch === '\\' && i + 1 < pattern.length) ch = pattern[++i]!;
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      let hi = pattern[i + 2]!;
      i += 2;
      if (hi === '\\' && i + 1 < pattern.length) hi = pattern[++i]!;
      ranges.push([ch, hi]);
    } else {
      singles.add(ch);
    }
  }
  return undefined;
}

/** Steps taken so far by a matcher, against its budget. */
interface Meter {
  steps: number;
  readonly budget: number;
}

/** What setting up one run costs, in steps. */
const CALL_COST = 8;
const NO = 0;
const YES = 1;
const EXHAUSTED = 2;

/**
 * Runs the automaton over `path`: whether it matches the whole path or the part before one of its
 * `/` (a folder above it, at the depths `parents` allows). Counts on `meter` what it costs (one per
 * run, one per character, and per live state the words of its sets), stopping at the budget.
 */
function run(rule: Rule, path: string, meter: Meter): typeof NO | typeof YES | typeof EXHAUSTED {
  const { n, words, kind, code, classes, closure } = rule.automaton;
  let current = rule.automaton.current;
  let next = rule.automaton.next;
  const acceptWord = n >>> 5;
  const acceptBit = 1 << (n & 31);
  for (let w = 0; w < words; w++) current[w] = closure[w]!;
  const { globstar, depth } = rule.parents;
  let steps = meter.steps + CALL_COST;
  const budget = meter.budget;
  // The folders above: the empty one first (only a `**` pattern with nothing else tries it).
  if (globstar && depth === 0 && (current[acceptWord]! & acceptBit) !== 0 && path.includes('/')) {
    meter.steps = steps;
    return YES;
  }
  let segments = 0;
  let result: typeof NO | typeof YES | typeof EXHAUSTED = NO;
  characters: for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === SLASH) {
      segments++;
      if (i > 0 && (current[acceptWord]! & acceptBit) !== 0 && (globstar ? segments >= depth : segments === depth)) {
        result = YES;
        break;
      }
    }
    next.fill(0);
    let live = false;
    steps += 1;
    for (let w = 0; w < words; w++) {
      let bits = current[w]! | 0;
      if (w === acceptWord) bits &= ~acceptBit;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const s = (w << 5) + 31 - Math.clz32(low);
        steps += words;
        if (steps > budget) {
          result = EXHAUSTED;
          break characters;
        }
        let to = -1;
        let stay = false;
        switch (kind[s]) {
          case Kind.Char:
            if (code[s] === c) to = s + 1;
            break;
          case Kind.One:
            if (c !== SLASH) to = s + 1;
            break;
          case Kind.Class:
            if (classes[s]!(path[i]!)) to = s + 1;
            break;
          case Kind.Star:
            stay = c !== SLASH;
            break;
          case Kind.All:
            stay = true;
            break;
          case Kind.Loop:
            stay = true;
            if (c === SLASH) to = s + 1;
            break;
        }
        if (stay) {
          for (let x = 0, at = s * words; x < words; x++) next[x]! |= closure[at + x]!;
          live = true;
        }
        if (to >= 0) {
          for (let x = 0, at = to * words; x < words; x++) next[x]! |= closure[at + x]!;
          live = true;
        }
      }
    }
    if (!live) break;
    [current, next] = [next, current];
    if (i === path.length - 1 && (current[acceptWord]! & acceptBit) !== 0) result = YES;
  }
  meter.steps = steps;
  return result;
}
