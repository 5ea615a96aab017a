/** Which files a shell command writes and whether the same script removes them again, for the rules about secrets left in layers. */
import type { DockerfileModel, Stage } from '../../language/model';
import { basename, operands, stageChain, type CommandAt } from '../../language/query';

/** The command as written, redirections included. */
export function commandText(model: DockerfileModel, c: CommandAt): string {
  return model.document.getText(model.rangeOf(c.command.start, c.command.end));
}

/**
 * Files the command writes: the targets of `>`, `>>`, `>|` and `&>` outside quotes, and the
 * operands of `tee`. Targets are unquoted; descriptors (`2>&1`) and `/dev/…` are left out.
 */
export function filesWritten(model: DockerfileModel, c: CommandAt): string[] {
  const tee = c.program === 'tee' ? operands(c.args).map((a) => a.value) : [];
  // Most commands redirect nothing; this runs for every command of every RUN.
  const text = commandText(model, c);
  if (!text.includes('>')) return tee;
  // Quoted text keeps its length but loses its `>`s, so a `>` found in `bare` is a real redirection.
  const bare = text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, (quoted) => ' '.repeat(quoted.length));
  const targets: string[] = [];
  for (const found of bare.matchAll(/>>?\|?[ \t]*/g)) {
    const rest = text.slice(found.index + found[0].length);
    const target = /^(?:"([^"]*)"|'([^']*)'|([^\s;&|<>()]+))/.exec(rest);
    const value = target ? (target[1] ?? target[2] ?? target[3])! : '';
    if (value !== '' && !value.startsWith('&') && !value.startsWith('/dev/')) targets.push(value);
  }
  return [...targets, ...tee];
}

/**
 * The folder a `RUN` or `COPY` at `line` works in: the `WORKDIR`s before it in the stage's chain,
 * joined; `undefined` when one is built from variables.
 */
export function workdirAt(model: DockerfileModel, stage: Stage, line: number): string | undefined {
  let dir = '/';
  for (const info of stageChain(model, stage).flatMap((s) => s.instructions)) {
    if (info.keyword !== 'WORKDIR' || info.range.start.line >= line) continue;
    const value = info.args.map((a) => a.getValue()).join(' ');
    if (value.includes('$')) return undefined;
    dir = value.startsWith('/') ? value : `${dir.replace(/\/+$/, '')}/${value}`;
  }
  return dir;
}

/** `path` made absolute against `dir`, when both are known; `undefined` for `~/…`, `$HOME/…` and the like. */
export function absolutePath(path: string, dir: string | undefined): string | undefined {
  if (/[$~*?[]/.test(path)) return undefined;
  if (path.startsWith('/')) return normalise(path);
  return dir === undefined ? undefined : normalise(`${dir}/${path}`);
}

function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * Whether `rm` among `later` removes `path` (the file itself or a folder above it). Paths are
 * compared whole when both are known absolute, otherwise by name. `dir` is the folder `path` and
 * the `rm`s are taken from.
 */
export function removedBy(later: readonly CommandAt[], path: string, dir: string | undefined): boolean {
  const name = basename(path.replace(/\/+$/, ''));
  const whole = absolutePath(path, dir);
  return later.some((c) => c.program === 'rm' && operands(c.args).some((a) => {
    const removed = absolutePath(a.value, dir);
    if (whole !== undefined && removed !== undefined) return whole === removed || whole.startsWith(`${removed === '/' ? '' : removed}/`);
    const written = a.value.replace(/\/+$/, '');
    return basename(written) === name || (written !== '' && path.startsWith(`${written}/`));
  }));
}
