/**
 * What the rules about downloads share: which programs fetch, which run the program they are fed,
 * where a fetch writes, and what counts as checking a download in the same `RUN`.
 */
import type { ShellWord } from '../../language/shell';
import { basename, hasOption, type CommandAt } from '../../language/query';

/** Programs that fetch over the network. */
export const FETCHERS = new Set(['curl', 'wget', 'fetch', 'aria2c']);
/** Shells, and the builtins that run a file as a script in the current shell. */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);
const INTERPRETERS = /^(?:python[\d.]*|perl[\d.]*|ruby[\d.]*|node|nodejs|php[\d.]*)$/;
/** Options that give an interpreter its program some other way than standard input or a file. */
const PROGRAM_OPTIONS = /^-(?:c|e|m|r|E|-command|-eval)$|^-[a-zA-Z]*[cem]$/;

/** The shell's own words when it is run as `busybox sh …`; `undefined` when the command is no shell. */
function shellArgs(program: string, args: readonly ShellWord[]): readonly ShellWord[] | undefined {
  if (SHELLS.has(program)) return args;
  return program === 'busybox' && SHELLS.has(args[0]?.value ?? '') ? args.slice(1) : undefined;
}

/**
 * Whether a shell or interpreter takes its program from standard input (`sh`, `sh -`, `bash -s -- args`,
 * `python3 -`); `false` when it gets it from `-c`/`-e` or a script file; `undefined` for other programs.
 */
export function readsProgramFromStdin(program: string, args: readonly ShellWord[]): boolean | undefined {
  const own = shellArgs(program, args);
  if (own) {
    if (own.some((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a.value))) return false;
    const dashDash = own.findIndex((a) => a.value === '--' || a.value === '-');
    const before = dashDash === -1 ? own : own.slice(0, dashDash);
    return hasOption(own, 's') || !before.some((a) => !a.value.startsWith('-') && !a.value.startsWith('+'));
  }
  if (!INTERPRETERS.test(program)) return undefined;
  const firstOperand = args.find((a) => !a.value.startsWith('-') || a.value === '-')?.value;
  return !args.some((a) => PROGRAM_OPTIONS.test(a.value)) && (firstOperand === undefined || firstOperand === '-');
}

/**
 * The words a shell or interpreter runs as its program: the script operand (`sh install.sh`,
 * `bash <(curl …)`, `python3 get-pip.py`) or the `-c` string (`sh -c "$(curl …)"`); `eval`, `source`
 * and `.` run all their words.
 */
export function programWords(program: string, args: readonly ShellWord[]): readonly ShellWord[] {
  if (program === 'eval') return args;
  if (program === 'source' || program === '.') return args.slice(0, 1);
  const shell = shellArgs(program, args);
  const own = shell ?? (INTERPRETERS.test(program) ? args : undefined);
  if (!own) return [];
  const inline = own.findIndex((a) => (shell ? /^-[a-zA-Z]*c[a-zA-Z]*$/ : /^-[a-zA-Z]*[ce]$/).test(a.value));
  if (inline !== -1) return own.slice(inline + 1, inline + 2);
  if (!shell && own.some((a) => PROGRAM_OPTIONS.test(a.value))) return [];
  // `-o pipefail` and `+o` take a value; the first other operand is the script.
  const script = own.find((a, i) => !/^[-+]/.test(a.value) && !/^[-+]o$/.test(own[i - 1]?.value ?? ''));
  return script ? [script] : [];
}

/** The URLs a fetch is given, as written (variables and all). */
export function urlsOf(args: readonly ShellWord[]): ShellWord[] {
  return args.filter((a) => /^(?:https?|ftp):\/\//i.test(a.value));
}

/**
 * Where a fetch saves what it downloads: `curl -o FILE`/`--output FILE`, `curl -O` and `wget` without
 * `-O` (the URL's last path segment), `wget -O FILE`; `undefined` for standard output (`-o -`, `-O-`,
 * curl without either) or when it cannot be told.
 */
export function savedAs(program: string, args: readonly ShellWord[]): string | undefined {
  const url = urlsOf(args)[0]?.value;
  const fromUrl = url ? basename(url.replace(/[?#].*$/, '')) || undefined : undefined;
  const written = (file: string | undefined) => (file === undefined || file === '-' ? undefined : file);
  if (program === 'curl') {
    const output = optionValue(args, 'o', 'output');
    if (output !== undefined) return written(output);
    return hasOption(args, 'O', ['remote-name']) ? fromUrl : undefined;
  }
  if (program === 'wget') {
    const output = optionValue(args, 'O', 'output-document');
    return output !== undefined ? written(output) : fromUrl;
  }
  return undefined;
}

/** The value of an option given as `-o FILE`, `-oFILE`, in a cluster (`-fsSLo FILE`, `-qO-`), `--output FILE` or `--output=FILE`. */
function optionValue(args: readonly ShellWord[], letter: string, long: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === `--${long}`) return args[i + 1]?.value;
    if (v.startsWith(`--${long}=`)) return v.slice(long.length + 3);
    if (v.startsWith('--') || !v.startsWith('-')) continue;
    const at = v.indexOf(letter, 1);
    // The letters before it are options without a value; the first one that takes a value ends the cluster.
    if (at !== -1 && /^[A-Za-z]*$/.test(v.slice(1, at))) return at === v.length - 1 ? args[i + 1]?.value : v.slice(at + 1);
  }
  return undefined;
}

/** Programs that compute or check a digest: in a `RUN` that downloads, computing one is comparing it. */
const DIGESTS = /^(?:sha(?:1|224|256|384|512)sum|shasum|b2sum|b3sum|md5sum|cksum|rhash)$/;

/** Signature and digest checkers, by program, with what makes the command a check. */
const VERIFIERS: Readonly<Record<string, (args: readonly ShellWord[]) => boolean>> = {
  gpg: (args) => hasOption(args, '', ['verify']),
  gpg2: (args) => hasOption(args, '', ['verify']),
  gpgv: () => true,
  gpgv2: () => true,
  cosign: (args) => /^verify/.test(args[0]?.value ?? ''),
  minisign: (args) => hasOption(args, 'V'),
  signify: (args) => hasOption(args, 'V'),
  'signify-openbsd': (args) => hasOption(args, 'V'),
  openssl: (args) => /^(?:dgst|sha\d+|md5)$/.test(args[0]?.value ?? ''),
  rpm: (args) => hasOption(args, 'K', ['checksig']),
  'slsa-verifier': () => true,
};

/** Whether one of `commands` checks a checksum or a signature. */
export function verifiesSomething(commands: readonly CommandAt[]): boolean {
  return commands.some((c) => DIGESTS.test(c.program) || VERIFIERS[c.program]?.(c.args) === true || (c.program === 'gh' && c.args[0]?.value === 'attestation'));
}

/** A URL whose host is this machine, a private name or a variable: nothing a network attacker on the way to the internet sees. */
export function localOrUnknownHost(url: string): boolean {
  const host = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^/:?#]*)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  if (host === '' || host.includes('$') || !host.includes('.')) return true;
  if (/^(?:127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.|0\.0\.0\.0$|\[)/.test(host)) return true;
  return /\.(?:local|localhost|internal|lan|home|corp|svc|cluster\.local|intranet)$/.test(host);
}
