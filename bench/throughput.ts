// Corpus throughput side by side: the bare parse (the floor), dockwise, and the incumbent validator.
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { forgetMemos } from '../server/src/language/memo';
import { percentile, row, section } from './table';
import { lint } from '../server/src/linter';

/** Passes over the corpus; in each, the three contestants take each slice of it in turn. */
const PASSES = 15;
/**
 * Passes made before any is measured. V8 goes on optimising dockwise's many rarely-run functions
 * for pass after pass (in a loop over the corpus, each pass took less time up to about the tenth,
 * and 20-46 functions a pass were still being optimised at the fifteenth, `--trace-opt`). After a
 * single warm-up pass the median pass was still on that curve, and with the machine loaded, where
 * V8's compiler thread gets less of the CPU, it measured that thread more than the work: two busy
 * processes on both cores, one warm-up pass, 2.25x and 2.35x the bare parse; six, 1.74x and 1.77x.
 * The first pass, all three cold, is printed beside the figures.
 */
const WARM_UP_PASSES = 6;
/** Files per slice: a slice takes each contestant a few milliseconds. */
const SLICE = 32;

type Contestant = (text: string) => unknown;

/**
 * One pass: per contestant, ms per file over the whole corpus. The corpus is cut into slices of a
 * few files and the contestants run each slice one after the other, starting with a different one
 * each time, so that the machine's speed drifting (within seconds here, by a third and more) moves
 * all three alike instead of whichever ran alone through a slow second.
 */
function pass(slices: readonly (readonly string[])[], contestants: readonly Contestant[], files: number): number[] {
  const spent = contestants.map(() => 0);
  slices.forEach((slice, index) => {
    for (let turn = 0; turn < contestants.length; turn++) {
      const which = (index + turn) % contestants.length;
      const run = contestants[which]!;
      const started = performance.now();
      for (const text of slice) run(text);
      spent[which]! += performance.now() - started;
    }
  });
  return spent.map((ms) => ms / files);
}

export function throughput(texts: readonly string[]): void {
  section(`1. Corpus throughput (${texts.length} files; ${PASSES} passes, each taking the three in turn on slices of ${SLICE} files, after ${WARM_UP_PASSES} warm-up passes; medians)`);
  const contestants: Contestant[] = [
    (t) => DockerfileParser.parse(t),
    // Every file as if seen for the first time: the corpus repeats, an editor's first open does not.
    (t) => {
      forgetMemos();
      return lint(t);
    },
    (t) => validate(t),
  ];
  const slices = Array.from({ length: Math.ceil(texts.length / SLICE) }, (_, i) => texts.slice(i * SLICE, (i + 1) * SLICE));
  const warmUps = Array.from({ length: WARM_UP_PASSES }, () => pass(slices, contestants, texts.length));
  const passes = Array.from({ length: PASSES }, () => pass(slices, contestants, texts.length));
  const median = (values: number[]) => percentile(values, 50);
  const [parse, ours, incumbent] = [0, 1, 2].map((i) => median(passes.map((p) => p[i]!)));
  const overParse = median(passes.map((p) => p[1]! / p[0]!));
  const overIncumbent = median(passes.map((p) => p[1]! / p[2]!));
  row({ name: 'bare dockerfile-ast parse (floor)', value: parse!, unit: 'ms/file' });
  row({ name: 'dockwise full analysis (all offline rules)', value: ours!, unit: 'ms/file' });
  row({ name: 'dockerfile-utils validate (incumbent)', value: incumbent!, unit: 'ms/file' });
  const [coldParse, coldOurs, coldIncumbent] = warmUps[0]!;
  row({ name: 'first pass, all cold: dockwise / bare parse', value: coldOurs! / coldParse!, unit: 'x' });
  row({ name: 'first pass, all cold: dockwise / dockerfile-utils', value: coldOurs! / coldIncumbent!, unit: 'x' });
  row({ name: 'dockwise / bare parse', value: overParse, unit: 'x', target: '≤ 2.0', pass: overParse <= 2 });
  row({ name: 'dockwise / dockerfile-utils', value: overIncumbent, unit: 'x', target: '< 1.0', pass: overIncumbent < 1 });
}
