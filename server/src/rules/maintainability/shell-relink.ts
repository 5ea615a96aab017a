import { commandsOf, wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

export const shellRelink = stageRule({
  meta: {
    id: 'shell-relink',
    title: 'Changing the shell by relinking `/bin/sh`',
    description: 'Flags ln -s … /bin/sh in RUN; the SHELL instruction changes the shell for RUN without altering the system.',
    category: 'maintainability',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL4005'] },
    docs: {
      why: `Replacing \`/bin/sh\` with bash changes it for every program in the image, including package maintainer
scripts and anything the application spawns, which may rely on the original shell. \`SHELL\` changes only what
Docker uses to run \`RUN\` (and shell-form \`CMD\`) and is visible in the Dockerfile.`,
      bad: `RUN ln -sf /bin/bash /bin/sh`,
      good: `SHELL ["/bin/bash", "-c"]`,
      fix: `Remove the link and add a \`SHELL\` instruction.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) => commandsOf(stage, run)).flatMap((c) =>
      c.program === 'ln' && c.args.some((a) => a.value.startsWith('-') && a.value.includes('s')) && c.args.at(-1)?.value === '/bin/sh'
        ? [{ range: wordRange(model, c.nameWord), message: 'Use the SHELL instruction instead of relinking /bin/sh.' }]
        : [],
    );
  },
});
