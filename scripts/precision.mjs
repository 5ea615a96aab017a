// `npm run precision`: bundles the precision review (test/precision) and runs it; see its header for the flags.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
await esbuild.build({ absWorkingDir: root, entryPoints: ['test/precision/precision.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: 'out/precision/precision.js', logLevel: 'warning', define: { DOCKWISE_VERSION: '"precision"', 'import.meta.url': '__import_meta_url' }, banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" } });
const { status } = spawnSync(process.execPath, [join(root, 'out/precision/precision.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(status ?? 1);
