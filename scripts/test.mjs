// `npm test`: type-check, bundle and package dockwise and the tests, then run the unit, LSP and
// end-to-end layers in that order with Node's own runner, so the closing summary is the runner's.
// `node scripts/test.mjs unit lsp` (or `npm run test:e2e`) runs only the layers named.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, ensureCodeServer } from './code-server.mjs';

const LAYERS = ['unit', 'cli', 'registry', 'lsp', 'e2e'];
const asked = process.argv.slice(2).filter((a) => LAYERS.includes(a));
const runnerArgs = process.argv.slice(2).filter((a) => !LAYERS.includes(a));
const layers = asked.length ? asked : LAYERS;

const run = (command, args) => {
  const { status } = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};

// The e2e types (playwright-core) and runs need the project-local VS Code.
ensureCodeServer();
run(join(ROOT, 'node_modules/.bin/tsc'), ['-b']);
run(process.execPath, ['scripts/package.mjs']);
run(process.execPath, ['scripts/build.mjs', '--tests']);
// No test may run longer than 5 minutes, and a file whose process lingers after its tests is ended
// by test/watchdog.mjs with a line naming what held it: a hang fails or ends, it never stalls CI.
// test/failures.mjs writes the failing tests' names to a file, printed after the runner's summary
// because CI keeps only the tail of the output.
const failuresFile = join(ROOT, 'out/test-failures.txt');
rmSync(failuresFile, { force: true });
const { status } = spawnSync(process.execPath, [
  '--import', pathToFileURL(join(ROOT, 'test/watchdog.mjs')).href,
  '--test', '--test-concurrency=1', '--test-timeout=300000',
  '--test-reporter=tap', '--test-reporter-destination=stdout',
  `--test-reporter=${pathToFileURL(join(ROOT, 'test/failures.mjs')).href}`, `--test-reporter-destination=${failuresFile}`,
  ...runnerArgs, ...layers.map((layer) => `out/test/${layer}/`),
], { cwd: ROOT, stdio: 'inherit' });
if (existsSync(failuresFile)) process.stdout.write(readFileSync(failuresFile, 'utf8'));
process.exit(status ?? 1);
