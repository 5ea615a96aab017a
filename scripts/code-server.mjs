// A project-local VS Code (code-server) for `npm start` and the end-to-end tests:
// installed into e2e/, started on loopback in a throw-away folder, stopped by process group.
// What works on this machine and why each flag is here: ../shared/notes/vscode-in-browser.md.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const E2E = join(ROOT, 'e2e');
export const CODE_SERVER = join(E2E, 'node_modules/.bin/code-server');
export const CHROMIUM = '/usr/bin/chromium';

/** Debian packages the install and the browser need. */
const APT_PACKAGES = {
  '/usr/bin/rg': 'ripgrep',
  '/usr/include/gssapi/gssapi.h': 'libkrb5-dev',
  [CHROMIUM]: 'chromium',
  '/usr/bin/docker-registry': 'docker-registry',
  '/usr/bin/htpasswd': 'apache2-utils',
};

export function ensureSystemPackages() {
  const missing = Object.entries(APT_PACKAGES).filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}; install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  console.log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}

/**
 * code-server's ripgrep dependency downloads a binary from GitHub at install time, which this
 * network refuses; its installer takes a tarball from its cache folder instead, so we put
 * Debian's rg there under the name it looks for.
 */
function seedRipgrepCache() {
  // Versions pinned by code-server 4.100.3's lib/vscode/npm-shrinkwrap.json and @vscode/ripgrep's postinstall.
  const cache = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const asset = join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(asset)) return;
  mkdirSync(cache, { recursive: true });
  execFileSync('tar', ['czf', asset, '-C', '/usr/bin', 'rg']);
}

/** Installs code-server and Playwright into e2e/ unless the lockfile's install is already there. */
export function ensureCodeServer() {
  ensureSystemPackages();
  const stamp = join(E2E, 'node_modules/.installed-from-lock');
  const lockTime = statSync(join(E2E, 'package-lock.json')).mtimeMs;
  if (existsSync(CODE_SERVER) && existsSync(stamp) && Number(readFileSync(stamp, 'utf8')) === lockTime) return;
  seedRipgrepCache();
  console.log('installing code-server and playwright-core into e2e/ (about 80 s, once)');
  const env = { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' };
  const { status } = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: E2E, stdio: 'inherit', env });
  if (status !== 0) throw new Error(`npm ci in e2e/ failed with exit code ${status}`);
  writeFileSync(stamp, String(lockTime));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'editor.hover.delay': 300,
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * A fresh folder for one run: user data, extensions, config and temp files all live in it,
 * so nothing is written to the home folder and nothing leaks between runs.
 */
/**
 * Without `vsix`, nothing is installed: for running the extension from its folder instead.
 * `extensions` are more .vsix files to install beside it (stand-ins for other extensions).
 */
export function prepareRun(dir, { vsix, extensions = [], settings = {} }) {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['ud/User', 'ext', 'tmp', 'xdg']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), 'auth: none\n');
  writeFileSync(join(dir, 'ud/User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  for (const file of [vsix, ...extensions].filter(Boolean)) {
    const output = execFileSync(CODE_SERVER, [...dirArgs(dir), '--install-extension', file], { env: runEnv(dir), encoding: 'utf8' });
    if (!/successfully installed/i.test(output)) throw new Error(`installing ${file} failed:\n${output}`);
  }
}

function dirArgs(dir) {
  return ['--config', join(dir, 'config.yaml'), '--user-data-dir', join(dir, 'ud'), '--extensions-dir', join(dir, 'ext')];
}

function runEnv(dir) {
  return { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_DATA_HOME: join(dir, 'xdg'), TMPDIR: join(dir, 'tmp') };
}

/** Starts code-server in its own process group and resolves once it answers on loopback. */
export async function startCodeServer(dir, { port, folder, log = 'ignore', timeoutMs = 60_000, workspaceTrust = false }) {
  const child = spawn(
    CODE_SERVER,
    [
      ...dirArgs(dir),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      folder,
    ],
    { env: runEnv(dir), detached: true, stdio: ['ignore', log, log] },
  );
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 100))]);
    if (early !== undefined) throw new Error(`code-server exited early (${early}); see its log in ${dir}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stopProcessGroup(child);
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
    }
  }
  return { child, url, workbenchUrl: `${url}/?folder=${encodeURIComponent(folder)}`, stop: () => stopProcessGroup(child) };
}

/** Ends the whole group (code-server, its extension host and watchers), politely first. */
export async function stopProcessGroup(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
  signal('SIGKILL');
}
