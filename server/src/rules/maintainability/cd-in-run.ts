import { joinContinuations } from '../../language/shell';
import type { DockerfileModel, RunInstruction } from '../../language/model';
import { commandsOf, wordRange, type CommandAt } from '../../language/query';
import { stageRule } from '../../engine/rule';

/** Scratch places one step unpacks into and cleans up: a WORKDIR there would outlive the step. */
const TEMPORARY = /^\/(?:tmp|var\/tmp|dev\/shm)(?:\/|$)/;

/** Where the RUN's shell text starts in the document: after the flags, or at the body of `RUN <<EOF`. */
function scriptStart(model: DockerfileModel, run: RunInstruction): number | undefined {
  const first = run.info.args[0];
  return first ? model.document.offsetAt(first.getRange().start) : undefined;
}

/**
 * Whether `cd` is the RUN's first top-level command, with nothing before it but `set …` and
 * separators: not inside `( … )`, `{ …; }`, `if`, a loop or a function, and not after other work.
 */
function startsTheRun(model: DockerfileModel, run: RunInstruction, commands: readonly CommandAt[], cd: CommandAt): boolean {
  const start = scriptStart(model, run);
  if (start === undefined || cd.command.pipeline || cd.command.start < start) return false;
  let text = model.document.getText().slice(start, cd.command.start);
  // `RUN <<EOF`: the script is the body, after the marker's line.
  if (run.form === 'heredoc') text = text.replace(/^<<-?(["']?)[\w.-]+\1[^\n]*\n/, (marker) => ' '.repeat(marker.length)).replace(/^[ \t]*#.*$/gm, (comment) => ' '.repeat(comment.length));
  text = joinContinuations(text, model.escapeChar);
  // The `set -eux` commands before it; blank them out by their offsets.
  for (const c of commands) {
    if (c === cd) break;
    if (c.program !== 'set') return false;
    text = text.slice(0, c.command.start - start) + ' '.repeat(c.command.end - c.command.start) + text.slice(c.command.end - start);
  }
  return /^(?:\s|;|&&)*$/.test(text);
}

export const cdInRun = stageRule({
  meta: {
    id: 'cd-in-run',
    title: '`RUN` that starts with `cd`',
    description: 'Flags a RUN whose first command is cd to a fixed absolute directory, which WORKDIR says once for every instruction.',
    category: 'maintainability',
    severity: 'info',
    fixable: 'never',
    aliases: { hadolint: ['DL3003'], trivy: ['DS-0013'] },
    docs: {
      why: `Each \`RUN\` starts in the \`WORKDIR\`; a \`cd\` lasts only until the end of that \`RUN\`. A \`RUN\` that begins with
\`cd /usr/src/app && …\` is saying where the build works, and the next instruction silently runs somewhere else
again. \`WORKDIR\` sets the directory for every following \`RUN\`, \`COPY\`, \`CMD\` and \`ENTRYPOINT\`, and creates it
if needed.

Only that shape is reported: the first command of the \`RUN\` (after \`set …\` at most), at top level, to a literal
absolute directory that is not a scratch place like \`/tmp\`, in a \`RUN\` that neither moves on to another directory
nor deletes that one. A \`cd\` inside a one-off step (entering a tree the same \`RUN\` unpacks, clones or creates,
\`cd ..\` or \`cd /\` to leave it before deleting it, a \`( cd … )\` subshell, a relative or variable target) is the
right tool and is left alone.`,
      bad: `RUN cd /usr/src/app && npm ci`,
      good: `WORKDIR /usr/src/app
RUN npm ci`,
      fix: `Set the directory with \`WORKDIR\` before the \`RUN\` and drop the \`cd\`. Mind relative paths in later
instructions, which then resolve against it too.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) => {
      if (run.form === 'exec' || !run.posixShell) return [];
      const commands = commandsOf(stage, run);
      const cd = commands.find((c) => c.program !== 'set');
      if (!cd || cd.program !== 'cd' || cd.command.name?.value !== 'cd') return [];
      const operands = cd.args.filter((a) => a.value !== '-P' && a.value !== '-L' && a.value !== '--');
      const target = operands[0];
      if (operands.length !== 1 || !target?.literal || !target.value.startsWith('/')) return [];
      const dir = target.value.replace(/\/+$/, '');
      if (dir === '' || TEMPORARY.test(target.value)) return [];
      if (!startsTheRun(model, run, commands, cd)) return [];
      const later = commands.slice(commands.indexOf(cd) + 1);
      if (later.some((c) => c.program === 'cd' || c.program === 'pushd')) return [];
      // `rm -rf /usr/src/app`, a parent of it, or `/usr/src/app/*`: the RUN uses the directory as scratch space.
      const removed = (path: string) => {
        const p = path.replace(/\/+$/, '');
        return path.startsWith('/') && (p === dir || dir.startsWith(`${p}/`) || p === `${dir}/*`);
      };
      if (later.some((c) => c.program === 'rm' && c.args.some((a) => removed(a.value)))) return [];
      return [{ range: wordRange(model, cd.nameWord), message: `This RUN starts with \`cd ${target.value}\`: \`WORKDIR ${dir}\` before it says that once, for this and the following instructions.` }];
    });
  },
});
