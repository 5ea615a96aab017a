/**
 * What the package-manager rules know about each manager, as data: how it installs,
 * how it is told not to prompt, how its cache is cleaned and where a cache mount goes.
 */
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel, RunInstruction } from '../engine/model';
import type { ShellWord } from '../engine/shell';
import { commandsOf, hasOption, type CommandAt } from './query';

export interface PackageManager {
  readonly name: string;
  readonly programs: readonly string[];
  /** Subcommands that install packages. */
  readonly install: readonly string[];
  /** Subcommands that upgrade everything installed. */
  readonly upgrade: readonly string[];
  /** Options that take the next word as their value, so it is not mistaken for the subcommand. */
  readonly optionsWithValue: readonly string[];
  /** How to answer prompts, where the manager prompts. */
  readonly yes?: { readonly short: string; readonly long: readonly string[]; readonly advice: string };
  /** How the package cache or index is removed in the same layer. */
  readonly clean?: {
    readonly advice: string;
    readonly done: (install: CommandAt, all: readonly CommandAt[]) => boolean;
    /** The rewrite: a command appended to the RUN, or an option after the install verb. */
    readonly fix: { readonly append: string } | { readonly option: string };
  };
  /** Where BuildKit cache mounts keep its downloads. */
  readonly cacheTarget?: string;
}

const removes = (all: readonly CommandAt[], path: RegExp) =>
  all.some((c) => c.program === 'rm' && c.args.some((a) => path.test(a.value)));
const runs = (all: readonly CommandAt[], program: string, ...args: string[]) =>
  all.some((c) => c.program === program && args.every((a, i) => c.args.filter((w) => !w.value.startsWith('-'))[i]?.value === a));
const mounts = (run: RunInstruction, path: RegExp) =>
  run.mounts.some((m) => m.type === 'cache' && path.test(m.options.get('target') ?? m.options.get('dst') ?? m.options.get('destination') ?? ''));

export const PACKAGE_MANAGERS: readonly PackageManager[] = [
  {
    name: 'apt-get',
    programs: ['apt-get'],
    install: ['install'],
    upgrade: ['upgrade', 'dist-upgrade', 'full-upgrade'],
    optionsWithValue: ['-o', '-c', '-t', '--option', '--config-file', '--target-release'],
    // `-qq` implies `-y` (apt-get(8)).
    yes: { short: 'y', long: ['yes', 'assume-yes', 'force-yes'], advice: 'add `-y`' },
    clean: {
      advice: 'end the same RUN with `rm -rf /var/lib/apt/lists/*`',
      fix: { append: 'rm -rf /var/lib/apt/lists/*' },
      done: (install, all) => removes(all, /^\/var\/lib\/apt\/lists/) || mounts(install.run, /^\/var\/lib\/apt/),
    },
    cacheTarget: '/var/cache/apt',
  },
  {
    name: 'apk',
    programs: ['apk'],
    install: ['add'],
    upgrade: ['upgrade'],
    optionsWithValue: ['-X', '--repository', '-p', '--root', '-t', '--virtual'],
    clean: {
      advice: 'use `apk add --no-cache`',
      fix: { option: '--no-cache' },
      done: (install, all) =>
        hasOption(install.args, '', ['no-cache']) || removes(all, /^\/var\/cache\/apk/) || runs(all, 'apk', 'cache', 'clean') || mounts(install.run, /^\/var\/cache\/apk/) || mounts(install.run, /^\/etc\/apk\/cache/),
    },
    cacheTarget: '/var/cache/apk',
  },
  {
    name: 'yum',
    programs: ['yum'],
    install: ['install', 'groupinstall', 'localinstall', 'reinstall'],
    upgrade: ['upgrade', 'update', 'distro-sync'],
    optionsWithValue: ['--enablerepo', '--disablerepo', '-c', '--setopt', '--releasever', '--installroot'],
    yes: { short: 'y', long: ['assumeyes'], advice: 'add `-y`' },
    clean: {
      advice: 'end the same RUN with `yum clean all && rm -rf /var/cache/yum`',
      fix: { append: 'yum clean all && rm -rf /var/cache/yum' },
      done: (install, all) => runs(all, 'yum', 'clean', 'all') || removes(all, /^\/var\/cache\/yum/) || mounts(install.run, /^\/var\/cache\/yum/),
    },
    cacheTarget: '/var/cache/yum',
  },
  {
    name: 'dnf',
    programs: ['dnf', 'dnf5', 'tdnf'],
    install: ['install', 'groupinstall', 'reinstall'],
    upgrade: ['upgrade', 'update', 'distro-sync'],
    optionsWithValue: ['--enablerepo', '--disablerepo', '-c', '--setopt', '--releasever', '--installroot'],
    yes: { short: 'y', long: ['assumeyes'], advice: 'add `-y`' },
    clean: {
      advice: 'end the same RUN with `dnf clean all`',
      fix: { append: 'dnf clean all' },
      done: (install, all) => all.some((c) => ['dnf', 'dnf5', 'tdnf'].includes(c.program) && c.args.some((a) => a.value === 'clean')) || removes(all, /^\/var\/cache\/(?:dnf|tdnf)/) || mounts(install.run, /^\/var\/cache\/dnf/),
    },
    cacheTarget: '/var/cache/dnf',
  },
  {
    name: 'zypper',
    programs: ['zypper'],
    install: ['install', 'in'],
    upgrade: ['dist-upgrade', 'dup', 'update', 'up'],
    optionsWithValue: ['--root', '-R', '--releasever'],
    yes: { short: 'ny', long: ['non-interactive', 'no-confirm'], advice: 'add `-n` (before the subcommand)' },
    clean: {
      advice: 'end the same RUN with `zypper clean --all`',
      fix: { append: 'zypper clean --all' },
      done: (install, all) => all.some((c) => c.program === 'zypper' && c.args.some((a) => a.value === 'clean' || a.value === 'cc')) || removes(all, /^\/var\/cache\/zypp/) || mounts(install.run, /^\/var\/cache\/zypp/),
    },
  },
  {
    name: 'yarn',
    programs: ['yarn'],
    install: ['install', ''],
    upgrade: [],
    optionsWithValue: ['--cwd', '--cache-folder', '--modules-folder'],
    clean: {
      advice: 'end the same RUN with `yarn cache clean`',
      fix: { append: 'yarn cache clean' },
      done: (install, all) => runs(all, 'yarn', 'cache', 'clean') || mounts(install.run, /yarn/),
    },
    cacheTarget: '/usr/local/share/.cache/yarn',
  },
];

/** The subcommand word, skipping options and the values of options that take one. */
export function subcommand(manager: PackageManager, args: readonly ShellWord[]): ShellWord | undefined {
  for (let i = 0; i < args.length; i++) {
    const value = args[i]!.value;
    if (manager.optionsWithValue.includes(value)) {
      i++;
      continue;
    }
    if (!value.startsWith('-')) return args[i];
  }
  return undefined;
}

export interface ManagerCommand {
  readonly manager: PackageManager;
  readonly command: CommandAt;
  /** The subcommand word; `undefined` for a bare `yarn`. */
  readonly verb?: ShellWord;
}

/** Package-manager invocations among `commands`. */
export function managerCommands(commands: readonly CommandAt[]): ManagerCommand[] {
  return commands.flatMap((command) => {
    const manager = PACKAGE_MANAGERS.find((m) => m.programs.includes(command.program));
    if (!manager) return [];
    const verb = subcommand(manager, command.args);
    return [{ manager, command, ...(verb ? { verb } : {}) }];
  });
}

/** The package-manager call whose verb (or, without a verb, name) a finding points at. */
export function managerCommandAt(model: DockerfileModel, range: Range): ManagerCommand | undefined {
  const at = model.document.offsetAt(range.start);
  return model.stages
    .flatMap((stage) => stage.runs.flatMap((run) => managerCommands(commandsOf(stage, run))))
    .find((mc) => (mc.verb ?? mc.command.nameWord).start === at);
}

export function isInstall({ manager, verb }: ManagerCommand): boolean {
  return manager.install.includes(verb?.value ?? '');
}
