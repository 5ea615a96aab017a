import { hasShell } from '../engine/imageFamily';
import { replace } from '../engine/edits';
import { joinContinuations, logicalLine, parseShell } from '../engine/shell';
import { instructionsNamed, keywordRange, rootBase } from './query';
import type { Fix, Rule } from './rule';

const json = (words: readonly string[]) => `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;

export const cmdShellForm: Rule = {
  meta: {
    id: 'cmd-shell-form',
    title: '`CMD` or `ENTRYPOINT` in shell form',
    description: 'Flags shell-form CMD and ENTRYPOINT: the program runs under /bin/sh -c and never receives stop signals.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { hadolint: ['DL3025'], buildkit: ['JSONArgsRecommended'] },
    docs: {
      why: `\`CMD gunicorn app:app\` is run as \`/bin/sh -c "gunicorn app:app"\`. The shell becomes PID 1 and does not
forward signals, so \`docker stop\` (and every Kubernetes rollout) waits out the grace period and then kills the
app without a clean shutdown: dropped requests, unflushed writes. The JSON-array (exec) form starts the
program directly as PID 1. It is also what makes \`ENTRYPOINT\` combine with \`CMD\` arguments; a shell-form
\`ENTRYPOINT\` ignores \`CMD\` and \`docker run\` arguments entirely, and a shell-form \`CMD\` after an exec-form
\`ENTRYPOINT\` reaches it as the three arguments \`/bin/sh\`, \`-c\`, \`…\`.

Stages that set \`SHELL\` explicitly are left alone: there the shell form is a choice.`,
      bad: `CMD gunicorn --bind 0.0.0.0:8000 app:app`,
      good: `CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]`,
      fix: `Write the command as a JSON array of its words. The quick fix does this when the command is plain words
(quotes are resolved exactly as the shell would), and marks it safe. When the command uses the shell
(variables, \`&&\`, pipes, redirects, globs, \`exec\`), it offers \`["/bin/sh", "-c", "…"]\` instead, which keeps
the behaviour but not the signal problem's cause: better still, start the real program with \`exec\` or move
the logic into an entrypoint script. Nothing is offered in stages without a shell.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      if (instructionsNamed(stage, 'SHELL').length > 0) return [];
      const execEntrypoint = instructionsNamed(stage, 'ENTRYPOINT').at(-1)?.execForm !== undefined;
      return instructionsNamed(stage, 'CMD', 'ENTRYPOINT').flatMap((info) => {
        if (info.execForm || info.args.length === 0) return [];
        const afterEntrypoint = info.keyword === 'CMD' && execEntrypoint;
        const message = afterEntrypoint
          ? 'This shell-form CMD reaches the exec-form ENTRYPOINT as the arguments "/bin/sh", "-c", "…". Write it as a JSON array of arguments.'
          : `${info.keyword} in shell form runs under /bin/sh -c, so the program never gets stop signals. Use the JSON form: ${info.keyword} ["…", "…"].`;
        return [{ range: info.node.getArgumentsRange() ?? keywordRange(info), message, data: { keyword: info.keyword, line: info.range.start.line } }];
      });
    });
  },
  fix(model, finding) {
    const info = model.instructions.find((i) => i.range.start.line === finding.data?.line && !i.execForm);
    const args = info?.node.getArgumentsRange();
    if (!info || !args) return [];
    const range = { start: args.start, end: info.range.end };
    const raw = model.document.getText(range);
    const source = joinContinuations(raw, model.escapeChar);
    const { commands, broken } = parseShell(source, 0);
    const [command] = commands;
    const words = command?.name ? [command.name, ...command.args] : [];
    const plain =
      !broken && commands.length === 1 && command !== undefined && source.trim() === source.slice(command.start, command.end) &&
      !command.redirected && command.assignments.length === 0 && words.length > 0 && words.every((w) => w.literal) && words[0]!.value !== 'exec';
    const fixes: Fix[] = [];
    if (plain) fixes.push({ title: 'Switch to exec form', edits: [replace(range, json(words.map((w) => w.value)))], safe: true });
    const stage = model.stages[info.stage ?? -1];
    const base = stage && rootBase(model, stage);
    const shellLess = base?.kind === 'scratch' || (base?.kind === 'image' && !hasShell(base.ref));
    if (!plain && !shellLess) {
      fixes.push({ title: 'Switch to exec form through /bin/sh -c', edits: [replace(range, json(['/bin/sh', '-c', logicalLine(raw, model.escapeChar).trim()]))], safe: false });
    }
    return fixes;
  },
};
