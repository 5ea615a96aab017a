import { instructionsNamed, wordRange } from './query';
import type { Rule } from './rule';

/** Commands whose failure in a pipeline would not matter. */
const HARMLESS = new Set(['echo', 'printf', 'true', 'yes']);

export const pipeWithoutPipefail: Rule = {
  meta: {
    id: 'pipe-without-pipefail',
    title: 'Pipe in `RUN` without `pipefail`',
    description: 'Flags RUN pipelines whose failures are hidden because only the last command\'s status counts.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL4006'] },
    docs: {
      why: `A pipeline's exit status is that of its last command. In \`RUN curl -fsSL https://example.com/install.sh | sh\`
a failed download gives \`sh\` empty input, \`sh\` exits 0, and the build carries on with nothing installed. With
\`pipefail\` the pipeline fails when any part fails. The default \`/bin/sh\` of Debian images (dash) has no
\`pipefail\` option before Debian 13, so set the shell explicitly.`,
      bad: `RUN curl -fsSL https://example.com/install.sh | sh`,
      good: `SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | sh`,
      fix: `Add \`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\` (Alpine: \`["/bin/ash", "-eo", "pipefail", "-c"]\`) before the
\`RUN\`, or start the command with \`set -o pipefail &&\`.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const shells = instructionsNamed(stage, 'SHELL');
      return stage.runs.flatMap((run) => {
        if (run.form !== 'shell' || !run.posixShell) return [];
        const shell = shells.filter((s) => s.range.start.line < run.info.range.start.line).at(-1);
        if (shell?.execForm?.includes('pipefail')) return [];
        const commands = run.script.commands;
        const setsPipefail = commands.some((c) => c.name?.value === 'set' && c.args.some((a) => a.value === 'pipefail' || /^-\w*o$/.test(a.value)) && c.args.some((a) => a.value === 'pipefail'));
        // `echo … | sha256sum -c -`: a left side that cannot fail hides nothing.
        const harmless = (c: (typeof commands)[number]) => c.pipeline!.position === c.pipeline!.size - 1 || HARMLESS.has(c.name?.value ?? '');
        const risky = commands.filter((c) => c.pipeline && !harmless(c));
        const piped = risky[0];
        if (!piped || setsPipefail || !piped.name) return [];
        return [{ range: wordRange(model, piped.name), message: 'This pipeline hides failures of all but its last command: set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` or use `set -o pipefail`.' }];
      });
    });
  },
};
