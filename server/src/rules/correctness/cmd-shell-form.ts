import { hasShell } from '../../language/imageFamily';
import { insertAt, replace } from '../../language/edits';
import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel, InstructionInfo, Stage } from '../../language/model';
import { joinContinuations, logicalLine, parseShell, type ShellCommand } from '../../language/shell';
import { buildkitProblems } from '../../language/buildkitChecks';
import { binSh } from '../../language/imageFamily';
import { instructionsNamed, keywordRange, rootBase, rootImage, stageChain } from '../../language/query';
import { stageRule, type Fix } from '../../engine/rule';

const json = (words: readonly string[]) => `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;

/** What the shell makes of a shell-form CMD or ENTRYPOINT. */
interface ShellFormCommand {
  /** Document offsets of the command text. */
  readonly start: number;
  readonly end: number;
  readonly raw: string;
  /** One simple command and nothing else: no `&&`, `||`, `;`, `|`, `&` or compound command. */
  readonly simple?: ShellCommand;
  /** Plain words only: the JSON form says exactly the same. */
  readonly words?: readonly string[];
  /** The top-level command the shell runs last, where `exec` can go. */
  readonly last?: ShellCommand;
  /** The name of the command the text ends with, outside a pipeline (after `&` too, unlike `last`). */
  readonly endName?: string;
  /** The shell starts something in the background (`a & b`). */
  readonly background: boolean;
  /** Functions the script defines (`run() { …; }`, `function run { …; }`). */
  readonly functions: ReadonlySet<string>;
  /** The script sets a trap, which would not run once `exec` replaced the shell. */
  readonly trap: boolean;
}

/** Shell builtins with no program of the same name: `exec cd` or `exec wait` fails. */
const BUILTIN_ONLY = new Set([
  'cd', 'wait', 'set', 'unset', 'export', 'readonly', '.', 'source', 'eval', 'trap', 'read', 'ulimit', 'umask', 'exit', 'return', 'shift', 'alias', 'unalias',
  'local', 'declare', 'typeset', 'let', 'break', 'continue', 'getopts', 'hash', 'jobs', 'fg', 'bg', 'times', 'exec', ':', 'shopt', 'builtin', 'enable',
]);

/**
 * "Switch to exec form" for plain words. The JSON array is the words the shell would have run; it is safe
 * when the container still starts the same process: not on an ENTRYPOINT whose stage (or a stage built on
 * it) has a CMD, which the exec form then takes as arguments; not on a CMD that an exec-form ENTRYPOINT
 * receives, which then gets the words instead of `/bin/sh -c …`; and, with no ENTRYPOINT in the stage's
 * chain, only on a base known to pass the CMD on unchanged.
 */
function execFormFix(model: DockerfileModel, stage: Stage | undefined, info: InstructionInfo, afterEntrypoint: boolean, edit: TextEdit): Fix {
  const plain = (safe: boolean, title = 'Switch to exec form'): Fix => ({ title, edits: [edit], safe });
  if (!stage) return plain(false);
  if (info.keyword === 'ENTRYPOINT') {
    const cmd = [stage, ...builtOn(model, stage)].some((s) => instructionsNamed(s, 'CMD').length > 0);
    return cmd ? plain(false, 'Switch to exec form (the CMD then becomes its arguments)') : plain(true);
  }
  if (afterEntrypoint) return plain(false, 'Switch to exec form (the ENTRYPOINT then gets these words as its arguments)');
  if (entrypointOf(model, stage) !== undefined) return plain(true);
  return baseEntrypointPassesWords(model, stage) ? plain(true) : plain(false, "Switch to exec form (the base image's ENTRYPOINT, if it has one, then gets these words)");
}

function analyse(model: DockerfileModel, info: InstructionInfo): ShellFormCommand | undefined {
  const args = info.argumentsRange;
  if (!args) return undefined;
  const start = model.document.offsetAt(args.start);
  const end = model.document.offsetAt(info.range.end);
  const raw = model.document.getText().slice(start, end);
  const source = joinContinuations(raw, model.escapeChar);
  const { commands, broken } = parseShell(source, start);
  const text = (c: ShellCommand) => source.slice(c.start - start, c.end - start);
  const trimmed = source.trim();
  // Quoted text blanked, length kept, so that offsets still match.
  const bare = source.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, (quoted) => `"${' '.repeat(quoted.length - 2)}"`);
  const background = /(?<![&>|])&(?![&>])/.test(bare);
  const functions = new Set([...bare.matchAll(/(?:^|[;&|\s(){}])(?:function\s+([A-Za-z_][\w.:-]*)|([A-Za-z_][\w.:-]*)\s*\(\s*\))/g)].map((m) => m[1] ?? m[2]!));
  const trap = commands.some((c) => c.name?.value === 'trap');
  if (broken) return { start, end, raw, background, functions, trap };
  const [first] = commands;
  const simple = first !== undefined && trimmed === text(first) && !first.pipeline ? first : undefined;
  const wordsOf = (c: ShellCommand) => (c.name ? [c.name, ...c.args] : []);
  const plain =
    simple && commands.length === 1 && !simple.redirected && simple.assignments.length === 0 && wordsOf(simple).length > 0 && wordsOf(simple).every((w) => w.literal) && simple.name!.value !== 'exec'
      ? wordsOf(simple).map((w) => w.value)
      : undefined;
  // The outermost command that ends the text, at top level (after `&&`, `||`, `;` or nothing) and outside a pipeline.
  const ending = commands.filter((c) => c.end - start === source.trimEnd().length && !c.pipeline).sort((a, b) => a.start - b.start)[0];
  const before = ending ? bare.slice(0, ending.start - start).trimEnd() : '';
  const last = ending?.name && (before === '' || /(?:&&|\|\||;)$/.test(before)) ? ending : undefined;
  const endName = ending?.name?.value;
  return { start, end, raw, background, functions, trap, ...(simple ? { simple } : {}), ...(plain ? { words: plain } : {}), ...(last ? { last } : {}), ...(endName !== undefined ? { endName } : {}) };
}

/**
 * Whether `/bin/sh -c` already hands PID 1 to the program: busybox ash (Alpine) execs a lone simple
 * command, redirects and all; bash does when it has no redirects. dash (Debian, Ubuntu) forks.
 */
function shellExecs(model: DockerfileModel, stage: Stage, command: ShellFormCommand): boolean {
  const simple = command.simple;
  if (!simple) return false;
  const sh = binSh(rootImage(model, stage));
  return sh === 'ash' || (sh === 'bash' && !simple.redirected);
}

/**
 * Bases whose own ENTRYPOINT is known to hand a shell-form CMD's words on unchanged: none at all (the
 * distributions, most language images, .NET, UBI), or a script that ends with `exec "$@"` and only
 * prepends its program when the first word is an option or not a command (node's and bash's
 * docker-entrypoint.sh, php's docker-php-entrypoint, maven's mvn-entrypoint.sh, eclipse-temurin's
 * __cacert_entrypoint.sh). Server images (postgres, redis, nginx, mysql, …) are not here: their scripts
 * act on the first word (`postgres`, `redis-server`, `nginx`), which a shell-form CMD hides behind `/bin/sh`.
 */
const KNOWN_ENTRYPOINT_OFFICIAL = new Set([
  'alpine', 'busybox', 'debian', 'ubuntu', 'fedora', 'centos', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux', 'archlinux', 'buildpack-deps',
  'python', 'pypy', 'golang', 'ruby', 'rust', 'gcc', 'perl', 'erlang', 'elixir', 'haskell', 'openjdk', 'amazoncorretto', 'eclipse-temurin', 'tomcat', 'httpd',
  'gradle', 'maven', 'node', 'php', 'bash',
]);

function baseEntrypointPassesWords(model: DockerfileModel, stage: Stage): boolean {
  const base = rootBase(model, stage);
  if (base?.kind === 'scratch') return true;
  if (base?.kind !== 'image') return false;
  const { domain, path } = base.ref;
  if (domain === 'docker.io' && path.startsWith('library/')) return KNOWN_ENTRYPOINT_OFFICIAL.has(path.slice('library/'.length));
  if (domain === 'mcr.microsoft.com') return /^dotnet\/(?:sdk|aspnet|runtime|runtime-deps)$/.test(path);
  return /^registry\.access\.redhat\.com$/.test(domain) && /^ubi\d+(?:\/ubi)?(?:-minimal|-micro)?$/.test(path);
}

/** The stages built on `stage` (through FROM), not counting it. */
const builtOn = (model: DockerfileModel, stage: Stage) => model.stages.filter((s) => s !== stage && stageChain(model, s).includes(stage));

/** The ENTRYPOINT in force in a stage's image: its own last one, else its parents'. */
const entrypointOf = (model: DockerfileModel, stage: Stage) => stageChain(model, stage).flatMap((s) => instructionsNamed(s, 'ENTRYPOINT')).at(-1);

/** Whether BuildKit refuses the instruction's lines, or reads them as a JSON array it could not parse (json-array-invalid's). */
function notShellForm(model: DockerfileModel, info: InstructionInfo): boolean {
  const text = info.read.rest;
  if (text.trimStart().startsWith('[')) return true;
  const start = model.document.offsetAt(info.range.start);
  const end = model.document.offsetAt(info.range.end);
  return buildkitProblems(model).some((p) => p.when !== 'convert' && p.start <= end && p.end >= start);
}

export const cmdShellForm = stageRule({
  meta: {
    id: 'cmd-shell-form',
    title: '`CMD` or `ENTRYPOINT` in shell form',
    description: 'Flags shell-form CMD and ENTRYPOINT whose program runs as a child of /bin/sh -c and so never receives stop signals.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { hadolint: ['DL3025'], buildkit: ['JSONArgsRecommended'] },
    docs: {
      why: `\`CMD gunicorn app:app\` is run as \`/bin/sh -c "gunicorn app:app"\`. On Debian and Ubuntu images that shell is
dash, which starts the program as a child and stays PID 1; it does not forward signals, so \`docker stop\` (and
every Kubernetes rollout) waits out the grace period and then kills the app without a clean shutdown: dropped
requests, unflushed writes. The JSON-array (exec) form starts the program directly as PID 1. It is also what
makes \`ENTRYPOINT\` combine with \`CMD\` arguments; a shell-form \`ENTRYPOINT\` ignores \`CMD\` and \`docker run\`
arguments entirely, and a shell-form \`CMD\` after an exec-form \`ENTRYPOINT\` reaches it as the three arguments
\`/bin/sh\`, \`-c\`, \`…\`.

Left alone: commands that already \`exec\` their program; a single command that needs the shell (variables,
redirects) on Alpine or BusyBox, whose busybox ash execs it in place of itself, or on the Red Hat family's bash
without redirects, which does the same (there a plain-words command is still reported, because the JSON form is an
exact rewrite that does not depend on the shell); stages that set \`SHELL\` explicitly, where the shell form is
a choice; and text BuildKit does not read as shell form at all: a line it refuses, or one starting with \`[\` (a
JSON array it could not parse, which \`json-array-invalid\` reports).`,
      bad: `FROM python:3.12-slim
CMD gunicorn --bind 0.0.0.0:8000 app:app`,
      good: `FROM python:3.12-slim
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]`,
      fix: `When the command is plain words, write it as a JSON array of them; the quick fix does this (quotes are resolved
exactly as the shell would). It is safe, and applied on save, only when the container still starts the same
process:
- not on an \`ENTRYPOINT\` whose stage, or a stage built on it, has a \`CMD\`: the shell form ignores the \`CMD\`, the
  exec form takes it as arguments (\`ENTRYPOINT python app.py\` with \`CMD ["--debug"]\` then runs \`python app.py
  --debug\`);
- not on a \`CMD\` after an exec-form \`ENTRYPOINT\` (its stage's or a parent's): the entrypoint then gets the words
  instead of \`/bin/sh -c …\`;
- with no \`ENTRYPOINT\` in the stage or the stages it builds on, a shell-form \`CMD\` reaches the base image's
  \`ENTRYPOINT\` as \`/bin/sh -c …\` too,
  and some act on their first word (postgres's and redis's scripts initialise and step down only for
  \`postgres\`/\`redis-server\`, nginx's runs its templates only for \`nginx\`). So the fix is safe only on bases known to
  have no \`ENTRYPOINT\` (the distributions, python, golang, ruby, rust, openjdk, httpd, tomcat, .NET, UBI, scratch) or
  one that execs its arguments (\`exec "$@"\`: node, php, bash, maven, eclipse-temurin); elsewhere it is offered for
  review.
When it needs the shell (variables, redirects, globs, \`&&\`), the JSON form would lose them: start the program with
\`exec\` (\`CMD exec gunicorn --bind "0.0.0.0:$PORT" app:app\`) so it replaces the shell, or move the steps into an
entrypoint script that ends with \`exec "$@"\`; the quick fix puts \`exec\` before the last command, but not when that
is a shell builtin (\`cd\`, \`wait\`, \`.\`, \`export\`, …) or a function the script defines, which \`exec\` cannot run, and
only for review when the script sets a \`trap\` (it would not run once the shell is replaced) or starts a job in the
background. After an exec-form \`ENTRYPOINT\`, a \`CMD\` that needs the shell is offered as \`["/bin/sh", "-c", "…"]\`.
In stages without a shell only the plain-words rewrite is offered.`,
    },
  },
  checkStage(stage, model) {
    if (instructionsNamed(stage, 'SHELL').length > 0) return [];
    const execEntrypoint = entrypointOf(model, stage)?.execForm !== undefined;
    return instructionsNamed(stage, 'CMD', 'ENTRYPOINT').flatMap((info) => {
      if (info.execForm || info.args.length === 0 || notShellForm(model, info)) return [];
      const range = info.argumentsRange ?? keywordRange(info);
      const data = { keyword: info.keyword, line: info.range.start.line };
      const command = analyse(model, info);
      if (info.keyword === 'CMD' && execEntrypoint) {
        const how = command?.words ? 'Write it as a JSON array of arguments.' : 'Write it as a JSON array of arguments, `["/bin/sh", "-c", "…"]` where it needs the shell.';
        return [{ range, data: { ...data, afterEntrypoint: true }, message: `This shell-form CMD reaches the exec-form ENTRYPOINT as the arguments "/bin/sh", "-c", "…". ${how}` }];
      }
      if (!command) return [];
      if (command.last?.name?.value === 'exec') return [];
      const keyword = info.keyword;
      // Where the shell execs the command anyway, only an exact rewrite is worth asking for.
      if (shellExecs(model, stage, command)) {
        if (!command.words) return [];
        const message = `${keyword} in shell form relies on this image's /bin/sh to hand PID 1 to the program (busybox ash and bash do, dash does not); the JSON form says the same without a shell: ${keyword} ["…", "…"].`;
        return [{ range, data, message }];
      }
      let message: string;
      const lastName = command.endName;
      const execable = lastName !== undefined && !BUILTIN_ONLY.has(lastName) && !command.functions.has(lastName);
      if (command.words) message = `${keyword} in shell form runs under /bin/sh -c, so the program never gets stop signals. Use the JSON form: ${keyword} ["…", "…"].`;
      else if (command.simple && execable) message = `${keyword} in shell form runs under /bin/sh -c, so the program never gets stop signals. Start it with \`exec\` (${keyword} exec …) so it replaces the shell; the JSON form would lose the shell's expansions and redirects.`;
      else if (execable || lastName === undefined) message = `${keyword} in shell form runs under /bin/sh -c, so its last program never gets stop signals. Put \`exec\` before the last command, or move the steps into an entrypoint script that ends with \`exec\`.`;
      else message = `${keyword} in shell form runs under /bin/sh -c, so its program never gets stop signals, and its last command (\`${lastName}\`, a shell ${command.functions.has(lastName) ? 'function' : 'builtin'}) cannot be run with \`exec\`: run an init such as tini as PID 1 (\`ENTRYPOINT ["tini", "--"]\`), or move the steps into a script that ends by exec'ing the program.`;
      return [{ range, data, message }];
    });
  },
  fix(model, finding) {
    const info = model.instructions.find((i) => i.range.start.line === finding.data?.line && !i.execForm && (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'));
    const command = info && analyse(model, info);
    if (!info || !command) return [];
    const range = model.rangeOf(command.start, command.end);
    const fixes: Fix[] = [];
    const stage = model.stages[info.stage ?? -1];
    if (command.words) fixes.push(execFormFix(model, stage, info, finding.data?.afterEntrypoint === true, replace(range, json(command.words))));
    const base = stage && rootBase(model, stage);
    const shellLess = base?.kind === 'scratch' || (base?.kind === 'image' && !hasShell(base.ref));
    if (command.words || shellLess) return fixes;
    if (finding.data?.afterEntrypoint) {
      fixes.push({ title: 'Switch to exec form through /bin/sh -c', edits: [replace(range, json(['/bin/sh', '-c', logicalLine(command.raw, model.escapeChar).trim()]))], safe: false });
    } else if (command.last?.name && !BUILTIN_ONLY.has(command.last.name.value) && !command.functions.has(command.last.name.value)) {
      // The shell would have ended with this command's status anyway; with `exec` it becomes PID 1 in the shell's place.
      // Not for a trap (it would never run) or a job left in the background (it loses its parent shell).
      fixes.push({ title: 'Run the last command with exec', edits: [insertAt(model.document.positionAt(command.last.name.start), 'exec ')], safe: !command.background && !command.trap });
    }
    return fixes;
  },
});
