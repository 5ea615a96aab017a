/**
 * What the package-manager rules know about each manager, as data: how it installs,
 * how it is told not to prompt, how its cache is cleaned and where a cache mount goes.
 */
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel, RunInstruction } from './model';
import type { ShellWord } from './shell';
import { weakMemo } from './memo';
import { commandsOf, hasOption, type CommandAt } from './query';

export interface PackageManager {
  readonly name: string;
  readonly programs: readonly string[];
  /** Subcommands that install packages. */
  readonly install: readonly string[];
  /** Whether a call with no subcommand installs (bare `yarn`), judged by its arguments. */
  readonly bareInstall?: (args: readonly ShellWord[]) => boolean;
  /** Subcommands that upgrade everything installed. */
  readonly upgrade: readonly string[];
  /** Options that take the next word as their value, so it is not mistaken for the subcommand. */
  readonly optionsWithValue: readonly string[];
  /** How to answer prompts, where the manager prompts. */
  readonly yes?: { readonly short: string; readonly long: readonly string[]; readonly advice: string };
  /** How the package cache or index is removed in the same layer. */
  readonly clean?: {
    readonly advice: string;
    /** Whether `all` (the install's RUN) removes the cache or index, or keeps it on a cache mount. */
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

/** yarn's global options that take the next word as their value. */
const YARN_OPTIONS_WITH_VALUE = ['--cwd', '--cache-folder', '--modules-folder', '--global-folder', '--link-folder', '--network-timeout', '--network-concurrency', '--mutex', '--registry', '--proxy', '--https-proxy', '--mode', '--use-yarnrc', '--otp'];
/** Options a bare `yarn` accepts and still installs; anything else (`--version`, `-v`, `--help`) does something else. */
const YARN_INSTALL_OPTIONS = new Set([
  ...YARN_OPTIONS_WITH_VALUE,
  '--frozen-lockfile', '--pure-lockfile', '--no-lockfile', '--production', '--prod', '--immutable', '--immutable-cache', '--check-cache',
  '--prefer-offline', '--offline', '--ignore-scripts', '--ignore-engines', '--ignore-optional', '--ignore-platform', '--non-interactive',
  '--silent', '-s', '--verbose', '--no-progress', '--check-files', '--flat', '--force', '--har', '--audit', '--no-bin-links', '--link-duplicates',
  '--skip-integrity-check', '--update-checksums', '--inline-builds', '--refresh-lockfile', '--no-default-rc', '--no-emoji', '--emoji', '--json',
]);

/**
 * Whether a `yarn` called without a subcommand installs: with no arguments, or only install options
 * (`yarn --frozen-lockfile`, `yarn --network-timeout 100000`). `yarn --version` and `yarn --help` do not.
 */
export function bareYarnInstalls(args: readonly ShellWord[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const value = args[i]!.value;
    const name = value.startsWith('--') ? value.replace(/=.*$/s, '') : value;
    if (!YARN_INSTALL_OPTIONS.has(name)) return false;
    if (YARN_OPTIONS_WITH_VALUE.includes(value)) i++;
  }
  return true;
}

/** Whether a `yarn` call installs the project's dependencies: `yarn install …` or a bare `yarn` that does. */
export function yarnInstalls(args: readonly ShellWord[]): boolean {
  const verb = subcommand(PACKAGE_MANAGERS.find((m) => m.name === 'yarn')!, args);
  return verb ? verb.value === 'install' : bareYarnInstalls(args);
}

export const PACKAGE_MANAGERS: readonly PackageManager[] = [
  {
    name: 'apt-get',
    // `apt` takes the same verbs and options for what these rules check (install, -y, the lists it leaves).
    programs: ['apt-get', 'apt'],
    install: ['install'],
    upgrade: ['upgrade', 'dist-upgrade', 'full-upgrade'],
    optionsWithValue: ['-o', '-c', '-t', '--option', '--config-file', '--target-release'],
    // `-qq` implies `-y` (apt-get(8)).
    yes: { short: 'y', long: ['yes', 'assume-yes', 'force-yes'], advice: 'add `-y`' },
    clean: {
      advice: 'end the same RUN with `rm -rf /var/lib/apt/lists/*`',
      fix: { append: 'rm -rf /var/lib/apt/lists/*' },
      // `apt-get dist-clean` (apt >= 2.7) removes the lists as well as the archives; `apt-get clean` does not.
      done: (install, all) => removes(all, /^\/var\/lib\/apt\/lists/) || runs(all, 'apt-get', 'dist-clean') || runs(all, 'apt', 'dist-clean') || mounts(install.run, /^\/var\/lib\/apt/),
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
    install: ['install'],
    bareInstall: (args) => bareYarnInstalls(args),
    upgrade: [],
    optionsWithValue: YARN_OPTIONS_WITH_VALUE,
    clean: {
      advice: 'end the same RUN with `yarn cache clean`',
      fix: { append: 'yarn cache clean' },
      done: (install, all) => runs(all, 'yarn', 'cache', 'clean') || mounts(install.run, /yarn/),
    },
    cacheTarget: '/usr/local/share/.cache/yarn',
  },
];

/** The manager of each program name; the first listed wins, as a search of the list would find it. */
const MANAGER_OF = new Map<string, PackageManager>();
for (const manager of PACKAGE_MANAGERS) for (const program of manager.programs) if (!MANAGER_OF.has(program)) MANAGER_OF.set(program, manager);

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

/** Package-manager invocations among `commands`; five rules ask of each RUN's commands, so once per list. */
export const managerCommands: (commands: readonly CommandAt[]) => readonly ManagerCommand[] = weakMemo((commands: readonly CommandAt[]) => {
  const found: ManagerCommand[] = [];
  for (const command of commands) {
    const manager = MANAGER_OF.get(command.program);
    if (!manager) continue;
    const verb = subcommand(manager, command.args);
    found.push(verb ? { manager, command, verb } : { manager, command });
  }
  return found;
});

/** The package-manager call whose verb (or, without a verb, name) a finding points at. */
export function managerCommandAt(model: DockerfileModel, range: Range): ManagerCommand | undefined {
  const at = model.document.offsetAt(range.start);
  return model.stages
    .flatMap((stage) => stage.runs.flatMap((run) => managerCommands(commandsOf(stage, run))))
    .find((mc) => (mc.verb ?? mc.command.nameWord).start === at);
}

export function isInstall({ manager, verb, command }: ManagerCommand): boolean {
  return verb ? manager.install.includes(verb.value) : (manager.bareInstall?.(command.args) ?? false);
}

const PIP = /^pip(?:3(?:\.\d+)?)?$/;
const PYTHON = /^python(?:3(?:\.\d+)?)?$/;

/** The `install` word of `pip install …` or `python -m pip install …`, if `c` is one. */
export function pipInstallWord(c: CommandAt): ShellWord | undefined {
  if (PIP.test(c.program)) return c.args[0]?.value === 'install' ? c.args[0] : undefined;
  if (PYTHON.test(c.program) && c.args[0]?.value === '-m' && c.args[1]?.value === 'pip') return c.args[2]?.value === 'install' ? c.args[2] : undefined;
  return undefined;
}
