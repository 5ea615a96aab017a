// `npm test`: type-check, bundle and package dockwise and the tests, then run the unit, LSP and
// end-to-end layers in that order with Node's own runner, so the closing summary is the runner's.
// `node scripts/test.mjs unit lsp` (or `npm run test:e2e`) runs only the layers named.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
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
run(process.execPath, ['--test', '--test-concurrency=1', ...runnerArgs, ...layers.map((layer) => `out/test/${layer}/`)]);
