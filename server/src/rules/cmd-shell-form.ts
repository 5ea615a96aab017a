import { instructionsNamed, keywordRange } from './query';
import type { Rule } from './rule';

export const cmdShellForm: Rule = {
  meta: {
    id: 'cmd-shell-form',
    title: '`CMD` or `ENTRYPOINT` in shell form',
    description: 'Flags shell-form CMD and ENTRYPOINT: the program runs under /bin/sh -c and never receives stop signals.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3025'], buildkit: ['JSONArgsRecommended'] },
    docs: {
      why: `\`CMD gunicorn app:app\` is run as \`/bin/sh -c "gunicorn app:app"\`. The shell becomes PID 1 and does not
forward signals, so \`docker stop\` (and every Kubernetes rollout) waits out the grace period and then kills the
app without a clean shutdown: dropped requests, unflushed writes. The JSON-array (exec) form starts the
program directly as PID 1. It is also what makes \`ENTRYPOINT\` combine with \`CMD\` arguments; a shell-form
\`ENTRYPOINT\` ignores \`CMD\` and \`docker run\` arguments entirely.

Stages that set \`SHELL\` explicitly are left alone: there the shell form is a choice.`,
      bad: `CMD gunicorn --bind 0.0.0.0:8000 app:app`,
      good: `CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]`,
      fix: `Write the command as a JSON array of its words. If it needs the shell (variables, \`&&\`, pipes), use
\`["/bin/sh", "-c", "…"]\` and start the real program with \`exec\`, or move it into an entrypoint script.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      if (instructionsNamed(stage, 'SHELL').length > 0) return [];
      return instructionsNamed(stage, 'CMD', 'ENTRYPOINT').flatMap((info) =>
        info.execForm || info.node.getArguments().length === 0
          ? []
          : [{ range: info.node.getArgumentsRange() ?? keywordRange(info), message: `${info.keyword} in shell form runs under /bin/sh -c, so the program never gets stop signals. Use the JSON form: ${info.keyword} ["…", "…"].`, data: { keyword: info.keyword } }],
      );
    });
  },
};
