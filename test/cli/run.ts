// The built CLI as CI runs it: a child process on real files, with pipes, stdin and exit codes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../paths';

export const CLI = join(ROOT, 'server/out/cli.js');

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Colour settings of the test run itself never reach the CLI unless a test sets them. */
function baseEnv(): NodeJS.ProcessEnv {
  const { NO_COLOR: _no, FORCE_COLOR: _force, ...env } = process.env;
  return env;
}

export function dockwise(args: readonly string[], options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, input: options.input ?? '', encoding: 'utf8', env: { ...baseEnv(), ...options.env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface Workspace {
  readonly dir: string;
  write(path: string, text: string): void;
  read(path: string): string;
  path(path: string): string;
  remove(): void;
}

/** A throw-away folder holding `files` (path → text). */
export function workspace(files: Readonly<Record<string, string>> = {}, prefix = 'dockwise-cli-'): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ws: Workspace = {
    dir,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    path: (path) => join(dir, path),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [path, text] of Object.entries(files)) ws.write(path, text);
  return ws;
}
