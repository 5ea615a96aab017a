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
 * A result per object, gone with the object: what several rules ask of the same model, node or
 * instruction in one analysis, or of an object the next version reuses.
 */
export function weakMemo<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const results = new WeakMap<K, V>();
  return (key) => {
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
