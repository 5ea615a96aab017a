// Corpus throughput side by side: the bare parse (the floor), dockwise, and the incumbent validator.
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { forgetMemos } from '../server/src/language/memo';
import { row, section } from './table';
import { lint } from '../server/src/linter';

/** ms per file over the corpus, repeated for at least a second after a warm-up pass. */
function perFile(texts: readonly string[], run: (text: string) => unknown): number {
  for (const t of texts) run(t);
  let rounds = 0;
  const started = performance.now();
  while (performance.now() - started < 1000 || rounds < 3) {
    for (const t of texts) run(t);
    rounds++;
  }
  return (performance.now() - started) / (rounds * texts.length);
}

export function throughput(texts: readonly string[]): void {
  section(`1. Corpus throughput (${texts.length} files, each contestant ≥ 1 s after a warm-up pass)`);
  const parse = perFile(texts, (t) => DockerfileParser.parse(t));
  // Every file as if seen for the first time: the corpus repeats, an editor's first open does not.
  const ours = perFile(texts, (t) => {
    forgetMemos();
    return lint(t);
  });
  const incumbent = perFile(texts, (t) => validate(t));
  row({ name: 'bare dockerfile-ast parse (floor)', value: parse, unit: 'ms/file' });
  row({ name: 'dockwise full analysis (all offline rules)', value: ours, unit: 'ms/file' });
  row({ name: 'dockerfile-utils validate (incumbent)', value: incumbent, unit: 'ms/file' });
  row({ name: 'dockwise / bare parse', value: ours / parse, unit: 'x', target: '≤ 2.0', pass: ours / parse <= 2 });
  row({ name: 'dockwise / dockerfile-utils', value: ours / incumbent, unit: 'x', target: '< 1.0', pass: ours < incumbent });
}
