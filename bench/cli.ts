// The CLI as CI runs it: one process over the whole corpus.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CORPUS, ROOT } from '../test/paths';
import { row, section } from './table';

export function cli(fileCount: number): void {
  section('5. CLI');
  const started = performance.now();
  try {
    execFileSync(process.execPath, [join(ROOT, 'server/out/cli.js'), 'lint', CORPUS, '--fail-level', 'none'], { stdio: 'ignore' });
  } catch {
    // The figure is the time, whatever the findings.
  }
  row({ name: `dockwise lint over the corpus (${fileCount} files, whole process)`, value: performance.now() - started, unit: 'ms' });
}
