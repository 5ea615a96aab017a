/**
 * Remembered results. `boundedMemo` remembers by input text, across versions of a document: a
 * keystroke changes one instruction, and every other one reads and parses as it did before. Each
 * memo holds at most `limit` entries and keys of at most `MAX_KEY_CHARS` in all (typing in one huge
 * instruction makes a new key per keystroke), and starts afresh when either is reached: cheaper than
 * an LRU, and a keystroke's working set is small. `weakMemo` remembers per object (below).
 */
const MAX_KEY_CHARS = 4_000_000;

interface Memo {
  readonly entries: Map<string, unknown>;
  chars: number;
}
const memos: Memo[] = [];

export function boundedMemo<V>(limit: number): (key: string, compute: () => V) => V {
  const memo: Memo = { entries: new Map(), chars: 0 };
  memos.push(memo);
  return (key, compute) => {
    // `has`, not a check for undefined: undefined is a result too (an invalid image reference).
    if (memo.entries.has(key)) return memo.entries.get(key) as V;
    if (memo.entries.size >= limit || memo.chars + key.length > MAX_KEY_CHARS) clear(memo);
    const value = compute();
    memo.entries.set(key, value);
    memo.chars += key.length;
    return value;
  };
}

function clear(memo: Memo): void {
  memo.entries.clear();
  memo.chars = 0;
}

/**
 * Values per object, gone with the object: a WeakMap's `get`, `has` and `set`, with the values held
 * on the object itself (one map per object for every `HeldOn`). Not a WeakMap: V8's minor
 * collections keep alive the value of each young key of a long-lived WeakMap, and the values here
 * lead back to their whole model, so every lint's models were copied and promoted (in the corpus
 * bench, scavenges of ~8 ms each, the lint running at ~1.4 cores for one thread of work).
 * Make one per module, never one per model: a `HeldOn` made per model and keyed by something that
 * outlives the model would leave one entry per model on it (use `strongMemo` inside a model's memo).
 */
export class HeldOn<K extends object, V> {
  private readonly slot = nextSlot++;
  /** Frozen objects take no field: theirs stay in a WeakMap (none of the engine's keys is frozen). */
  private readonly frozen = new WeakMap<K, V>();

  get(key: K): V | undefined {
    const held = heldBy(key);
    return held ? (held.get(this.slot) as V | undefined) : this.frozen.get(key);
  }

  has(key: K): boolean {
    const held = heldBy(key);
    return held ? held.has(this.slot) : this.frozen.has(key);
  }

  set(key: K, value: V): this {
    const held = heldBy(key) ?? holder(key);
    if (held) held.set(this.slot, value);
    else this.frozen.set(key, value);
    return this;
  }
}

const HELD = Symbol('held values');
let nextSlot = 0;

function heldBy(key: object): Map<number, unknown> | undefined {
  return (key as { [HELD]?: Map<number, unknown> })[HELD];
}

function holder(key: object): Map<number, unknown> | undefined {
  if (!Object.isExtensible(key)) return undefined;
  const held = new Map<number, unknown>();
  // Not enumerable: a model or instruction compared or copied field by field does not show it.
  Object.defineProperty(key, HELD, { value: held });
  return held;
}

/**
 * A result per object, gone with the object: what several rules ask of the same model, node or
 * instruction in one analysis, or of an object the next version reuses.
 */
export function weakMemo<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  return memoIn(new HeldOn<K, V>(), compute);
}

/** A result per key, held as long as the memo: inside a model's memo, per context or per instruction. */
export function strongMemo<K, V>(compute: (key: K) => V): (key: K) => V {
  return memoIn(new Map<K, V>(), compute);
}

function memoIn<K, V>(results: { has(key: K): boolean; get(key: K): V | undefined; set(key: K, value: V): unknown }, compute: (key: K) => V): (key: K) => V {
  return (key) => {
    // `has`, not a check for undefined: undefined is a result too.
    if (results.has(key)) return results.get(key) as V;
    const value = compute(key);
    results.set(key, value);
    return value;
  };
}

/** Forgets every remembered result, so that a benchmark of first opens measures the work, not the memory. */
export function forgetMemos(): void {
  memos.forEach(clear);
}
