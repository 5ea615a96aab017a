// Bundles the extension (client) and the language server with esbuild.
// `--watch` rebuilds on change; `--tests` also bundles test/**/*.test.ts into out/test.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests');

// fdir (under tinyglobby) looks for picomatch on disk when it loads, for a glob API tinyglobby does
// not use: from the bundle that loads the dev tree's copy at every start, and in an install walks up
// every parent folder looking for one (and would run whatever it found). The lookup is cut out, and
// the build fails if fdir's code changes shape.
const fdirWithoutDiskLookup = {
  name: 'fdir-without-disk-lookup',
  setup(build) {
    build.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const lookup = /try \{\s*__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);\s*\} catch \{\}/;
      if (!lookup.test(text)) throw new Error(`${path}: fdir no longer looks picomatch up as expected; check scripts/build.mjs`);
      return { contents: text.replace(lookup, ''), loader: 'js' };
    });
  },
};

// Node's built-ins load slowly under the server's V8 flags (any flag makes V8 refuse Node's own code
// cache for them: `node:crypto` takes ~15 ms instead of ~5), and the server needs these only once it
// talks to a registry, hashes a body or runs a helper, never to answer `initialize`. In the server
// bundle each is a stand-in that loads the real module when a member is first read. The LSP
// libraries (CommonJS: vscode-jsonrpc asks for crypto, vscode-languageserver for child_process)
// read members at the call. Our modules that import them are ESM, whose import esbuild turns into a
// getter per member, made when the module initialises (listing the members loads the real module):
// those are the registry client's, initialised at its first request (node/registry.ts).
const LAZY_BUILTINS = /^(?:node:)?(crypto|child_process|https|http|tls|dns|fs\/promises)$/;
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: LAZY_BUILTINS }, ({ path, namespace }) =>
      namespace === 'lazy-builtin' ? { path, external: true } : { path: `node:${LAZY_BUILTINS.exec(path)[1]}`, namespace: 'lazy-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => ({
      loader: 'js',
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(path)}));
module.exports = new Proxy({}, {
  get: (_, key) => (key === '__esModule' ? undefined : load()[key]),
  set: (_, key, value) => Reflect.set(load(), key, value),
  defineProperty: (_, key, descriptor) => Reflect.defineProperty(load(), key, descriptor),
  deleteProperty: (_, key) => Reflect.deleteProperty(load(), key),
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const found = Reflect.getOwnPropertyDescriptor(load(), key);
    return found && { ...found, configurable: true };
  },
});
`,
    }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  // No keepNames: it wraps every closure in a `__name` call made each time the closure is created,
  // ~6 % of the server's CPU while typing; nothing reads a function's name.
  logLevel: 'warning',
  plugins: [fdirWithoutDiskLookup],
  // Some ESM dependencies call createRequire(import.meta.url); give them the CommonJS equivalent.
  define: { DOCKWISE_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
};

// The web build (vscode.dev, github.dev): no Node built-ins may be pulled in. The entries reach the
// disk and the registry only through services they do not pass, so a Node import is a build error.
const web = { ...common, platform: 'browser', target: 'es2022', define: { DOCKWISE_VERSION: JSON.stringify(pkg.version) }, banner: {} };

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
  // The language server, and the small entry the client starts that loads it through a V8 code cache.
  { ...common, entryPoints: ['server/src/node/main.ts'], outfile: 'server/out/serverMain.js', plugins: [...common.plugins, lazyBuiltins] },
  { ...common, entryPoints: ['server/src/node/launch.ts'], outfile: 'server/out/server.js' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } },
  // VS Code's web worker extension host loads an extension as CommonJS; the server is a plain worker script.
  { ...web, format: 'cjs', entryPoints: ['client/src/browserExtension.ts'], outfile: 'client/out/browserExtension.js', external: ['vscode'] },
  { ...web, format: 'iife', entryPoints: ['server/src/browser/main.ts'], outfile: 'server/out/browserServer.js', inject: ['server/src/browser/bufferShim.ts'] },
];
const BUNDLES = builds.slice(0, 6).map((options) => options.outfile);

if (withTests) {
  // Bundles of deleted tests must not linger and run.
  rmSync(join(root, 'out/test'), { recursive: true, force: true });
  // The extension-host suite: loaded by VS Code itself, so `vscode` stays external.
  builds.push({ ...common, minify: false, sourcemap: 'inline', entryPoints: ['test/suite/index.ts'], outfile: 'out/suite/index.js', external: ['vscode'] });
  builds.push({
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: findTests(join(root, 'test')),
    outbase: 'test',
    outdir: 'out/test',
    packages: 'external',
  });
}

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : findTests(path);
    return name.endsWith('.test.ts') ? [path.slice(root.length)] : [];
  });
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  for (const file of BUNDLES) {
    console.log(`${file}: ${(statSync(join(root, file)).size / 1024).toFixed(1)} KB`);
  }
}
