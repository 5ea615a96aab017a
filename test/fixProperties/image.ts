/**
 * What BuildKit's dispatchers make of a reading, as far as the fix properties need it: the stages, and
 * each stage's shell, entrypoint, command and health check (dockerfile2llb's dispatchShell,
 * dispatchEntrypoint, dispatchCmd, dispatchHealthcheck). A base image's own settings are not known
 * here: they are kept as markers, so a comparison can tell "same as the base" from a known value.
 */
import type { Reading, ReadInstruction } from '../../server/src/language/reader';
import { parseShell } from '../../server/src/language/shell';

export const BASE_ENTRYPOINT = '⟨the base image’s ENTRYPOINT⟩';
export const BASE_CMD = '⟨the base image’s CMD⟩';
export const POSIX_SHELL = ['/bin/sh', '-c'] as const;

export interface StageReading {
  readonly index: number;
  readonly from: ReadInstruction;
  /** Lower-cased, as BuildKit keys stages. */
  readonly name?: string;
  /** Index of the stage it builds on, if it builds on one. */
  readonly parent?: number;
  /** The FROM and what follows it up to the next FROM. */
  readonly instructions: readonly ReadInstruction[];
}

export function stagesOf(reading: Reading): StageReading[] {
  const stages: StageReading[] = [];
  for (const r of reading.instructions) {
    if (r.name === 'FROM') {
      const name = r.args[1]?.toLowerCase() === 'as' ? r.args[2]?.toLowerCase() : undefined;
      const base = r.args[0]?.toLowerCase();
      const parent = stages.find((s) => s.name !== undefined && s.name === base)?.index;
      stages.push({ index: stages.length, from: r, ...(name ? { name } : {}), ...(parent !== undefined ? { parent } : {}), instructions: [r] });
    } else {
      (stages.at(-1)?.instructions as ReadInstruction[] | undefined)?.push(r);
    }
  }
  return stages;
}

/** The stages a stage builds on, root first, ending with it. */
export function chainOf(stages: readonly StageReading[], stage: StageReading): StageReading[] {
  const chain = [stage];
  for (let s = stage; s.parent !== undefined; ) {
    const parent = stages[s.parent];
    if (!parent || chain.includes(parent)) break;
    chain.unshift(parent);
    s = parent;
  }
  return chain;
}

export interface ImageConfig {
  readonly shell: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly healthcheck?: string;
}

const WINDOWS_BASE = /(?:^|[/:-])(?:windowsservercore|nanoserver|servercore)(?:[-:@]|$)|^mcr\.microsoft\.com\/windows/i;

/** The shell a stage built on this image starts with: `cmd /S /C` on Windows, `/bin/sh -c` elsewhere. */
export function defaultShell(image: string): readonly string[] {
  return WINDOWS_BASE.test(image) ? ['cmd', '/S', '/C'] : POSIX_SHELL;
}

/**
 * Each stage's image settings at its end. `override` replaces how one instruction is read (the exec-form
 * check uses it to ask "what if this instruction were the array the shell would have run").
 */
export function configsOf(reading: Reading, override?: (r: ReadInstruction) => ReadInstruction | undefined): ImageConfig[] {
  const stages = stagesOf(reading);
  const configs: ImageConfig[] = [];
  for (const stage of stages) {
    const inherited = stage.parent !== undefined ? configs[stage.parent] : undefined;
    const image = stage.from.args[0] ?? '';
    let shell: readonly string[] = inherited?.shell ?? defaultShell(image);
    let entrypoint: readonly string[] = inherited?.entrypoint ?? [BASE_ENTRYPOINT];
    let cmd: readonly string[] = inherited?.cmd ?? [BASE_CMD];
    let healthcheck = inherited?.healthcheck;
    let cmdSet = false;
    for (const original of stage.instructions) {
      const r = override?.(original) ?? original;
      const command = () => (r.json ? r.args : [...shell, r.args[0] ?? '']);
      if (r.name === 'SHELL' && r.json) shell = r.args;
      else if (r.name === 'ENTRYPOINT') {
        entrypoint = command();
        if (!cmdSet) cmd = [];
      } else if (r.name === 'CMD') {
        cmd = command();
        cmdSet = true;
      } else if (r.name === 'HEALTHCHECK') healthcheck = JSON.stringify([r.flags.map((f) => f.text), r.args, r.json]);
    }
    configs.push({ shell, entrypoint, cmd, ...(healthcheck !== undefined ? { healthcheck } : {}) });
  }
  return configs;
}

/** The words of a shell line when the shell runs it as one plain command of literal words; `undefined` otherwise. */
export function plainWords(line: string): string[] | undefined {
  const { commands, broken } = parseShell(line, 0);
  const [command] = commands;
  if (broken || commands.length !== 1 || !command?.name || command.redirected || command.assignments.length > 0) return undefined;
  if (line.trim() !== line.slice(command.start, command.end)) return undefined;
  const words = [command.name, ...command.args];
  return words.every((w) => w.literal) ? words.map((w) => w.value) : undefined;
}

/**
 * The process a container of the image starts, with `/bin/sh -c "<plain words>"` seen through (the shell
 * would just exec them; arguments after the script are only `$0`, `$1` … of a script that does not read them).
 */
export function startedProcess(config: ImageConfig): readonly string[] {
  const argv = [...config.entrypoint, ...config.cmd];
  // Init processes that exec (or spawn and forward to) their arguments: `tini --`, `dumb-init`.
  let k = 0;
  if (LAUNCHER.test(argv[0] ?? '')) {
    k = 1;
    while (argv[k]?.startsWith('-') && argv[k] !== '--') k++;
    if (argv[k] === '--') k++;
  }
  if (argv[k] === POSIX_SHELL[0] && argv[k + 1] === POSIX_SHELL[1] && argv[k + 2] !== undefined) {
    const words = plainWords(argv[k + 2]!);
    if (words) return [...argv.slice(0, k), ...words];
  }
  return argv;
}

const LAUNCHER = /^(?:.*\/)?(?:tini|tini-static|dumb-init|catatonit)$/;
