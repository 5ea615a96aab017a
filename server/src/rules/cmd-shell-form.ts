import { hasShell } from '../engine/imageFamily';
import { insertAt, replace } from '../engine/edits';
import type { DockerfileModel, InstructionInfo, Stage } from '../engine/model';
import { joinContinuations, logicalLine, parseShell, type ShellCommand } from '../engine/shell';
import { binSh } from './pipe-without-pipefail';
import { instructionsNamed, keywordRange, rootBase, rootImage } from './query';
import type { Fix, Rule } from './rule';

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
  /** The shell starts something in the background (`a & b`). */
  readonly background: boolean;
}

function analyse(model: DockerfileModel, info: InstructionInfo): ShellFormCommand | undefined {
  const args = info.node.getArgumentsRange();
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
  if (broken) return { start, end, raw, background };
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
  return { start, end, raw, background, ...(simple ? { simple } : {}), ...(plain ? { words: plain } : {}), ...(last ? { last } : {}) };
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

export const cmdShellForm: Rule = {
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
exact rewrite that does not depend on the shell); and stages that set \`SHELL\` explicitly, where the shell form is
a choice.`,
      bad: `FROM python:3.12-slim
CMD gunicorn --bind 0.0.0.0:8000 app:app`,
      good: `FROM python:3.12-slim
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]`,
      fix: `When the command is plain words, write it as a JSON array of them; the quick fix does this (quotes are resolved
exactly as the shell would) and marks it safe. When it needs the shell (variables, redirects, globs, \`&&\`), the
JSON form would lose them: start the program with \`exec\` (\`CMD exec gunicorn --bind "0.0.0.0:$PORT" app:app\`)
so it replaces the shell, or move the steps into an entrypoint script that ends with \`exec "$@"\`; the quick fix
puts \`exec\` before the last command. After an exec-form \`ENTRYPOINT\`, a \`CMD\` that needs the shell is offered as
\`["/bin/sh", "-c", "…"]\`. Nothing is offered in stages without a shell.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      if (instructionsNamed(stage, 'SHELL').length > 0) return [];
      const execEntrypoint = instructionsNamed(stage, 'ENTRYPOINT').at(-1)?.execForm !== undefined;
      return instructionsNamed(stage, 'CMD', 'ENTRYPOINT').flatMap((info) => {
        if (info.execForm || info.args.length === 0) return [];
        const range = info.node.getArgumentsRange() ?? keywordRange(info);
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
        if (command.words) message = `${keyword} in shell form runs under /bin/sh -c, so the program never gets stop signals. Use the JSON form: ${keyword} ["…", "…"].`;
        else if (command.simple) message = `${keyword} in shell form runs under /bin/sh -c, so the program never gets stop signals. Start it with \`exec\` (${keyword} exec …) so it replaces the shell; the JSON form would lose the shell's expansions and redirects.`;
        else message = `${keyword} in shell form runs under /bin/sh -c, so its last program never gets stop signals. Put \`exec\` before the last command, or move the steps into an entrypoint script that ends with \`exec\`.`;
        return [{ range, data, message }];
      });
    });
  },
  fix(model, finding) {
    const info = model.instructions.find((i) => i.range.start.line === finding.data?.line && !i.execForm && (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'));
    const command = info && analyse(model, info);
    if (!info || !command) return [];
    const range = model.rangeOf(command.start, command.end);
    const fixes: Fix[] = [];
    if (command.words) fixes.push({ title: 'Switch to exec form', edits: [replace(range, json(command.words))], safe: true });
    const stage = model.stages[info.stage ?? -1];
    const base = stage && rootBase(model, stage);
    const shellLess = base?.kind === 'scratch' || (base?.kind === 'image' && !hasShell(base.ref));
    if (command.words || shellLess) return fixes;
    if (finding.data?.afterEntrypoint) {
      fixes.push({ title: 'Switch to exec form through /bin/sh -c', edits: [replace(range, json(['/bin/sh', '-c', logicalLine(command.raw, model.escapeChar).trim()]))], safe: false });
    } else if (command.last?.name) {
      // The shell would have ended with this command's status anyway; with `exec` it becomes PID 1 in the shell's place.
      fixes.push({ title: 'Run the last command with exec', edits: [insertAt(model.document.positionAt(command.last.name.start), 'exec ')], safe: !command.background });
    }
    return fixes;
  },
};
