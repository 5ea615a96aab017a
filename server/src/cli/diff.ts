/**
 * Unified diffs, as `diff -u` and git print them, for `--fix-dry-run`: `--- a/path` and
 * `+++ b/path` (so `git apply` takes them from the working folder), a hunk per change with
 * three lines of context (changes closer than that share a hunk), and
 * `\ No newline at end of file` where a side ends without one.
 */

const CONTEXT = 3;

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const ops = diffLines(split(before), split(after));
  const changed = ops.flatMap((op, i) => (op.kind === ' ' ? [] : [i]));
  // Hunks as [first op, end op) ranges, merged where their context would meet.
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const start = Math.max(0, i - CONTEXT);
    const end = Math.min(ops.length, i + 1 + CONTEXT);
    const last = hunks.at(-1);
    if (last && start <= last[1]) last[1] = end;
    else hunks.push([start, end]);
  }
  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const [start, end] of hunks) {
    const oldBefore = ops.slice(0, start).filter((op) => op.kind !== '+').length;
    const newBefore = ops.slice(0, start).filter((op) => op.kind !== '-').length;
    const body = ops.slice(start, end);
    const oldCount = body.filter((op) => op.kind !== '+').length;
    const newCount = body.filter((op) => op.kind !== '-').length;
    out += `@@ -${range(oldBefore, oldCount)} +${range(newBefore, newCount)} @@\n`;
    for (const op of body) out += op.line.endsWith('\n') ? `${op.kind}${op.line}` : `${op.kind}${op.line}\n\\ No newline at end of file\n`;
  }
  return out;
}

/** `start,count`, 1-based; one line is just its number, and an empty side names the line before it. */
const range = (linesBefore: number, count: number) => (count === 1 ? `${linesBefore + 1}` : `${count === 0 ? linesBefore : linesBefore + 1},${count}`);

/** Lines with their line ends, so a changed line end is a changed line. */
const split = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** Myers' O(ND) shortest edit script, after the common start and end are set aside. */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  // Within a run of changes, the old lines read first, as a replacement does.
  for (let i = 0; i < middle.length; ) {
    let j = i;
    while (j < middle.length && middle[j]!.kind !== ' ') j++;
    middle.splice(i, j - i, ...middle.slice(i, j).filter((op) => op.kind === '-'), ...middle.slice(i, j).filter((op) => op.kind === '+'));
    i = j + 1;
  }
  const same = (lines: readonly string[]) => lines.map((line): Op => ({ kind: ' ', line }));
  return [...same(a.slice(0, head)), ...middle, ...same(a.slice(a.length - tail))];
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    // Only the diagonals step d can reach, so the trace stays O(D²) however long the file.
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let end = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      while (end < n && end - k < m && a[end] === b[end - k]) end++;
      v[offset + k] = end;
      if (end >= n && end - k >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from the end: each step one edit, after the equal lines (a diagonal) that followed it.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const at = (diagonal: number) => vd[diagonal + d + 1]!;
    const k = x - y;
    const inserted = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = inserted ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x]! });
    }
    if (d > 0) ops.push(inserted ? { kind: '+', line: b[prevY]! } : { kind: '-', line: a[prevX]! });
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}
