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

test('only server.ts imports vscode-languageserver', () => {
  for (const path of sources(join(ROOT, 'server/src'))) {
    if (path.endsWith('server/src/server.ts')) continue;
    for (const spec of imports(path)) assert.doesNotMatch(spec, /^vscode-languageserver(?:\/|$)/, relative(ROOT, path));
  }
});

test('the client knows nothing of the server or of Dockerfile parsing', () => {
  for (const path of sources(join(ROOT, 'client/src'))) {
    for (const spec of imports(path)) {
      assert.doesNotMatch(spec, /server|dockerfile-ast/, `${relative(ROOT, path)} imports ${spec}`);
    }
  }
});

test('the import scan sees imports (so the checks above can fail)', () => {
  assert.ok(imports(join(ROOT, 'server/src/server.ts')).includes('vscode-languageserver/node'));
  assert.ok(imports(join(ROOT, 'server/src/engine/model.ts')).includes('dockerfile-ast'));
});
