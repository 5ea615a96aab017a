// The invariants of ARCHITECTURE.md, checked on the source.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../paths';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
}

const IO_MODULES = /^(?:node:)?(?:fs|fs\/promises|net|http|https|http2|child_process|dgram|tls)$|^vscode-languageserver(?:\/|$)/;

test("the engine, the rules, the editor features, the configuration file parser and the server's services do no I/O and never touch the connection", () => {
  for (const path of ['engine', 'rules', 'features', 'config', 'lsp'].flatMap((dir) => sources(join(ROOT, 'server/src', dir)))) {
    for (const spec of imports(path)) assert.doesNotMatch(spec, IO_MODULES, `${relative(ROOT, path)} imports ${spec}`);
  }
});

/** The LSP edge and the two entries that make its connection. */
const LSP_MODULES = ['server/src/server.ts', 'server/src/node/main.ts', 'server/src/browser/main.ts'];

test('only server.ts and its entries import vscode-languageserver', () => {
  for (const path of sources(join(ROOT, 'server/src'))) {
    if (LSP_MODULES.some((module) => path.endsWith(module))) continue;
    for (const spec of imports(path)) assert.doesNotMatch(spec, /^vscode-languageserver(?:\/|$)/, relative(ROOT, path));
  }
});

/** Modules a module loads at run time (a `require()` loads one on first use): type-only imports are erased by the bundler. */
function runtimeImports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|\brequire\('([^']+)'\)/gms)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** Every module of ours that `entry` loads, directly or through others, with what each imports. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    const specs = runtimeImports(path);
    seen.set(path, specs);
    for (const spec of specs.filter((s) => s.startsWith('.'))) {
      const base = join(path, '..', spec);
      visit([`${base}.ts`, join(base, 'index.ts')].find((file) => statSync(file, { throwIfNoEntry: false })?.isFile())!);
    }
  };
  visit(join(ROOT, entry));
  return seen;
}

const NODE_ONLY = /^node:|^(?:fs|path|url|os|crypto|net|http|https|child_process|dns|undici)(?:\/|$)|^vscode-languageserver\/node$/;

test('the browser server loads nothing Node-only: the disk and the registry reach server.ts only as services', () => {
  const loaded = reachable('server/src/browser/main.ts');
  assert.ok(loaded.has(join(ROOT, 'server/src/server.ts')) && loaded.has(join(ROOT, 'server/src/rules/index.ts')));
  for (const [path, specs] of loaded) {
    for (const spec of specs) assert.doesNotMatch(spec, NODE_ONLY, `${relative(ROOT, path)} imports ${spec}`);
  }
  // The scan follows imports into Node's side: the Node entry reaches the registry client and the disk.
  const node = [...reachable('server/src/node/main.ts').values()].flat();
  assert.ok(node.includes('node:fs') && node.includes('node:child_process'));
});

test('the client knows nothing of the server or of Dockerfile parsing', () => {
  for (const path of sources(join(ROOT, 'client/src'))) {
    for (const spec of imports(path)) {
      assert.doesNotMatch(spec, /server|dockerfile-ast/, `${relative(ROOT, path)} imports ${spec}`);
    }
  }
});

/**
 * The layers of ARCHITECTURE.md, bottom up: what each part of server/src (and the grammar) may import
 * of ours, as paths relative to server/src. The language layer knows Dockerfiles; the engine runs
 * whatever rules it is handed; rules are leaves over both that only the rule list imports; features
 * and the grammar build on the language layer, never on a rule.
 */
const RULE_FILE = /^rules\/(?:base-image|security|build-cache|image-size|correctness|maintainability|syntax|style)\/[^/]+\.ts$/;
const LAYERS: readonly { readonly area: RegExp; readonly may: readonly RegExp[] }[] = [
  { area: /^language\//, may: [/^language\//] },
  // The engine's code actions link to the client's "Show documentation" command by its protocol name.
  { area: /^engine\//, may: [/^language\//, /^engine\//, /^\.\.\/\.\.\/shared\/protocol\.ts$/] },
  { area: RULE_FILE, may: [/^language\//, /^engine\/rule\.ts$/, /^rules\/shared\//] },
  { area: /^rules\/shared\//, may: [/^language\//, /^engine\/rule\.ts$/, /^rules\/shared\//] },
  { area: /^rules\/index\.ts$/, may: [RULE_FILE, /^engine\/rule\.ts$/] },
  { area: /^rules\/catalogue\//, may: [/^language\//, /^engine\//, /^rules\/catalogue\//] },
  // registry/validate is a leaf of pure checks on what registries say (tags, timestamps).
  { area: /^features\//, may: [/^language\//, /^engine\/rule\.ts$/, /^features\//, /^registry\/validate\.ts$/] },
  { area: /^\.\.\/\.\.\/syntaxes\//, may: [/^language\//] },
];

/** Our modules a file imports, as paths relative to server/src. */
function ourImports(path: string): string[] {
  return imports(path)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const base = join(path, '..', spec);
      const file = [`${base}.ts`, join(base, 'index.ts')].find((f) => statSync(f, { throwIfNoEntry: false })?.isFile()) ?? base;
      return relative(join(ROOT, 'server/src'), file);
    });
}

test('each layer imports only the layers below it: language ← engine ← rules (leaves) ← the rule list; features and the grammar on the language layer', () => {
  const files = [...sources(join(ROOT, 'server/src')), join(ROOT, 'syntaxes/grammar.ts')];
  let checked = 0;
  for (const path of files) {
    const at = relative(join(ROOT, 'server/src'), path);
    const layer = LAYERS.find((l) => l.area.test(at));
    if (!layer) continue;
    checked++;
    for (const target of ourImports(path)) assert.ok(layer.may.some((m) => m.test(target)), `${at} imports ${target}`);
  }
  assert.ok(checked > 100, `only ${checked} files checked`);
});

test('rules are leaves: nothing in server/src imports a rule file but the rule list', () => {
  for (const path of sources(join(ROOT, 'server/src'))) {
    const at = relative(join(ROOT, 'server/src'), path);
    if (at === 'rules/index.ts') continue;
    for (const target of ourImports(path)) assert.doesNotMatch(target, RULE_FILE, `${at} imports the rule ${target}`);
  }
});

test('the import scan sees imports (so the checks above can fail)', () => {
  assert.ok(ourImports(join(ROOT, 'server/src/features/codeLens.ts')).includes('language/stageGraph.ts'));
  assert.ok(ourImports(join(ROOT, 'server/src/rules/index.ts')).some((t) => RULE_FILE.test(t)));
  assert.ok(imports(join(ROOT, 'server/src/node/main.ts')).includes('vscode-languageserver/node'));
  assert.ok(imports(join(ROOT, 'server/src/language/model.ts')).includes('dockerfile-ast'));
});

test('the protocol module holds names and types only, and the client and the edge spell no command id or notification themselves', () => {
  const protocol = join(ROOT, 'shared/protocol.ts');
  assert.deepEqual(imports(protocol), []);
  assert.doesNotMatch(readFileSync(protocol, 'utf8'), /\bfunction\b|=>|\bclass\b/);
  const spelled = /'dockwise\/[a-zA-Z]+'|'dockwise\.server\.[a-zA-Z]+'|'dockwise\.show(?:BaseImageReport|RuleDocs)'/;
  for (const path of [...sources(join(ROOT, 'client/src')), join(ROOT, 'server/src/server.ts'), ...sources(join(ROOT, 'server/src/lsp'))]) {
    assert.doesNotMatch(readFileSync(path, 'utf8'), spelled, relative(ROOT, path));
  }
});
