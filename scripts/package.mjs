// Builds and packs dockwise-<version>.vsix without touching the network, then reports its size.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = `dockwise-${version}.vsix`;
// 500 KB until the rule pages shipped in the package (docs in the box: about 65 KB compressed);
// 600 KB until the web build (vscode.dev, github.dev) shipped its own extension and language server
// bundles: about 325 KB compressed (browserServer.js ~225 KB, browserExtension.js 98 KB), taking
// the package from 590 KB to about 860 KB (after dropping undici saved 90 KB). Every rule now
// counts twice, since both servers carry it; the budget still catches an accidental dependency.
const BUDGET_BYTES = 900 * 1024;

// --no-dependencies: both bundles are self-contained, so node_modules stays out.
execFileSync(join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--skip-license', '-o', vsix], {
  cwd: root,
  stdio: 'inherit',
});
const size = statSync(join(root, vsix)).size;
console.log(`${vsix}: ${(size / 1024).toFixed(1)} KB (budget ${BUDGET_BYTES / 1024} KB)`);
if (size > BUDGET_BYTES) {
  console.error(`${vsix} is over the size budget`);
  process.exit(1);
}
