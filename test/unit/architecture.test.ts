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

test('the engine, the rules, the editor features and the configuration file parser do no I/O and never touch the connection', () => {
  for (const path of ['engine', 'rules', 'features', 'config'].flatMap((dir) => sources(join(ROOT, 'server/src', dir)))) {
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

/** Modules a module loads at run time: type-only imports are erased by the bundler. */
function runtimeImports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gms)].map((m) => (m[1] ?? m[2])!);
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

test('the import scan sees imports (so the checks above can fail)', () => {
  assert.ok(imports(join(ROOT, 'server/src/node/main.ts')).includes('vscode-languageserver/node'));
  assert.ok(imports(join(ROOT, 'server/src/engine/model.ts')).includes('dockerfile-ast'));
});
