// Corpus throughput side by side: the bare parse (the floor), dockwise, and the incumbent validator.
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { forgetMemos } from '../server/src/language/memo';
import { percentile, row, section } from './table';
import { lint } from '../server/src/linter';

/** Rounds of the three contestants in turn; each round runs each over the corpus for at least this long. */
const ROUNDS = 9;
const ROUND_MS = 200;

/** ms per file over the corpus, repeated for at least `ms`. */
function perFile(texts: readonly string[], run: (text: string) => unknown, ms: number): number {
  let rounds = 0;
  const started = performance.now();
  while (performance.now() - started < ms || rounds < 1) {
    for (const t of texts) run(t);
    rounds++;
  }
  return (performance.now() - started) / (rounds * texts.length);
}

export function throughput(texts: readonly string[]): void {
  section(`1. Corpus throughput (${texts.length} files; ${ROUNDS} rounds of the three in turn, ≥ ${ROUND_MS} ms each, after a warm-up pass; medians)`);
  const contestants = {
    parse: (t: string) => DockerfileParser.parse(t),
    // Every file as if seen for the first time: the corpus repeats, an editor's first open does not.
    ours: (t: string) => {
      forgetMemos();
      return lint(t);
    },
    incumbent: (t: string) => validate(t),
  };
  for (const run of Object.values(contestants)) for (const t of texts) run(t);
  // Taken in turn, so that the machine's speed drifting over seconds moves all three alike; each
  // ratio is one round's, and the median of the rounds is reported.
  const rounds = Array.from({ length: ROUNDS }, () => ({
    parse: perFile(texts, contestants.parse, ROUND_MS),
    ours: perFile(texts, contestants.ours, ROUND_MS),
    incumbent: perFile(texts, contestants.incumbent, ROUND_MS),
  }));
  const median = (values: number[]) => percentile(values, 50);
  const overParse = median(rounds.map((r) => r.ours / r.parse));
  const overIncumbent = median(rounds.map((r) => r.ours / r.incumbent));
  row({ name: 'bare dockerfile-ast parse (floor)', value: median(rounds.map((r) => r.parse)), unit: 'ms/file' });
  row({ name: 'dockwise full analysis (all offline rules)', value: median(rounds.map((r) => r.ours)), unit: 'ms/file' });
  row({ name: 'dockerfile-utils validate (incumbent)', value: median(rounds.map((r) => r.incumbent)), unit: 'ms/file' });
  row({ name: 'dockwise / bare parse', value: overParse, unit: 'x', target: '≤ 2.0', pass: overParse <= 2 });
  row({ name: 'dockwise / dockerfile-utils', value: overIncumbent, unit: 'x', target: '< 1.0', pass: overIncumbent < 1 });
}
