// dockwise as users get it: the npm package packed from this tree, installed offline.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../paths';

/** npm without its network chatter: no update notice, audit or funding calls, nothing but the cache. */
export const NPM_OFFLINE = { npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };

export interface Packed {
  readonly tarball: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly string[];
}

let packed: Packed | undefined;

/**
 * `npm pack` of this tree, once per test file. The bundle is built before the tests run, so
 * prepack (the build) is skipped: rebuilding under a running suite would rewrite server/out mid-test.
 */
export function packDockwise(): Packed {
  if (packed) return packed;
  const dir = mkdtempSync(join(tmpdir(), 'dockwise-pack-'));
  const json = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...NPM_OFFLINE } });
  const [report] = JSON.parse(json) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  packed = { tarball: join(dir, report!.filename), size: report!.size, unpackedSize: report!.unpackedSize, files: report!.files.map((f) => f.path).sort() };
  return packed;
}

/** Installs the packed package into a new folder, offline, as `npm install ./dockwise-<v>.tgz` would; returns the folder. */
export function installDockwise(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockwise-installed-'));
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', packDockwise().tarball], { cwd: dir, stdio: 'pipe', env: { ...process.env, ...NPM_OFFLINE } });
  return dir;
}
