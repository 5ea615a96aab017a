import { wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

export const sudoInRun = stageRule({
  meta: {
    id: 'sudo-in-run',
    title: '`sudo` in `RUN`',
    description: 'Flags sudo in RUN: switch users with USER, and keep sudo out of the image.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3004'], trivy: ['DS-0010'], checkov: ['CKV2_DOCKER_1'] },
    docs: {
      why: `\`RUN\` already runs as the current \`USER\`. \`sudo\` there either does nothing (already root), prompts for a
password and hangs the build, or means the image ships sudo and a sudoers entry, which turns any code
execution as the app user into root. Use \`USER root\` for the steps that need it and switch back afterwards.`,
      bad: `USER app
RUN sudo apt-get update && sudo apt-get install -y curl`,
      good: `USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
USER app`,
      fix: `Remove \`sudo\` and wrap the privileged steps in \`USER root\` … \`USER <app>\`.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) =>
      run.script.commands.flatMap((command) =>
        command.name?.value === 'sudo' ? [{ range: wordRange(model, command.name), message: 'Do not use sudo in RUN: switch with USER instead.' }] : [],
      ),
    );
  },
});
