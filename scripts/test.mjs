// `npm test`: type-check, bundle the extension, the server and the tests, then run
// every test file with Node's own runner, so the closing summary is the runner's.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (command, args) => {
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};

run(join(root, 'node_modules/.bin/tsc'), ['-b']);
run(process.execPath, ['scripts/build.mjs', '--tests']);
run(process.execPath, ['--test', ...process.argv.slice(2), 'out/test/']);
