// Regenerates the parts of package.json that come from the rule metadata.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const built = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['server/src/configurationSchema.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
});
const module = { exports: {} };
new Function('module', 'exports', 'require', built.outputFiles[0].text)(module, module.exports, createRequire(join(root, 'package.json')));

const path = join(root, 'package.json');
const pkg = JSON.parse(readFileSync(path, 'utf8'));
pkg.contributes.configuration = module.exports.configurationSchema();
writeFileSync(path, JSON.stringify(pkg, null, 2) + '\n');
console.log('package.json: contributes.configuration regenerated');
