// Regenerates what comes from the rule metadata (the settings schema in package.json, the
// .dockwise.yaml schema in schemas/, docs/rules/) and the TextMate grammar from its source, syntaxes/grammar.ts.
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const built = await esbuild.build({
  absWorkingDir: root,
  stdin: {
    contents: "export { configurationSchema } from './server/src/configurationSchema';\nexport { configFileSchema, CONFIG_SCHEMA_PATH } from './server/src/config/schema';\nexport { rulePage, indexPage } from './server/src/rules/catalogue/docsPage';\nexport { rules } from './server/src/rules';\nexport { grammar } from './syntaxes/grammar';\n",
    resolveDir: root,
    loader: 'ts',
  },
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

writeFileSync(join(root, module.exports.CONFIG_SCHEMA_PATH), JSON.stringify(module.exports.configFileSchema(), null, 2) + '\n');
console.log(`${module.exports.CONFIG_SCHEMA_PATH} regenerated`);

const { rules, rulePage, indexPage } = module.exports;
const docs = join(root, 'docs/rules');
const pages = new Set(rules.map((r) => `${r.meta.id}.md`));
for (const name of readdirSync(docs)) if (name !== 'README.md' && !pages.has(name)) rmSync(join(docs, name));
for (const rule of rules) writeFileSync(join(docs, `${rule.meta.id}.md`), rulePage(rule));
writeFileSync(join(docs, 'README.md'), indexPage(rules));
console.log(`docs/rules: ${rules.length} rule pages and the index regenerated`);

writeFileSync(join(root, 'syntaxes/dockerfile.tmLanguage.json'), JSON.stringify(module.exports.grammar(), null, 2) + '\n');
console.log('syntaxes/dockerfile.tmLanguage.json regenerated');
