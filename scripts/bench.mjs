// `npm run bench`: builds and packages, bundles the benchmark, and runs it (not a test: figures, not verdicts on CI).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const step = (args) => {
  const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};
step([join(root, 'scripts/package.mjs')]);
await esbuild.build({ absWorkingDir: root, entryPoints: ['bench/bench.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: 'out/bench/bench.mjs', logLevel: 'warning', banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); const __dirname = new URL('.', import.meta.url).pathname;" } });
step([join(root, 'out/bench/bench.mjs'), ...process.argv.slice(2)]);
