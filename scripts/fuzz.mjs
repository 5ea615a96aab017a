// Bundles the fuzzer (TypeScript, sharing the engine, the registry client and the workspace readers)
// and runs it with the arguments given: Dockerfiles from the corpus, then registry answers
// (`--registry-runs`), then compose, bake, .dockerignore and .hadolint.yaml files (`--config-runs`).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
await esbuild.build({ absWorkingDir: root, entryPoints: ['test/fuzz/cli.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: 'out/fuzz/cli.js', logLevel: 'warning' });
const { status } = spawnSync(process.execPath, [join(root, 'out/fuzz/cli.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(status ?? 1);
