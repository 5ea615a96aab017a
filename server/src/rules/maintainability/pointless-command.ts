import { commandsOf, wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

/** Commands that make no sense while building an image, and why. */
const POINTLESS: Readonly<Record<string, string>> = {
  ssh: 'there is no interactive session during a build',
  vim: 'there is no one to type in the editor',
  nano: 'there is no one to type in the editor',
  shutdown: 'the build container is not a machine to shut down',
  reboot: 'the build container is not a machine to reboot',
  service: 'services started during a build do not survive into the image',
  systemctl: 'there is no init system during a build',
  ps: 'the build has no processes worth listing',
  top: 'it never exits and there is no terminal',
  free: 'the build machine\'s memory says nothing about where the image runs',
  mount: 'builds cannot mount file systems; use RUN --mount',
  ifconfig: 'the build network is not the network the container runs in',
};

export const pointlessCommand = stageRule({
  meta: {
    id: 'pointless-command',
    title: 'Command that does nothing useful in a build',
    description: 'Flags RUN commands such as ssh, vim, service or shutdown that cannot have the intended effect during a build.',
    category: 'maintainability',
    severity: 'info',
    fixable: 'never',
    aliases: { hadolint: ['DL3001'] },
    docs: {
      why: `Each \`RUN\` executes once, in a throw-away container, with no terminal and no init system, and only its file
changes are kept. Interactive tools, starting services, listing processes or rebooting have no lasting
effect, and usually mean a step was copied from a VM setup script.`,
      bad: `RUN service nginx start`,
      good: `CMD ["nginx", "-g", "daemon off;"]`,
      fix: `Remove the command; start long-running programs with \`CMD\`.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) => commandsOf(stage, run)).flatMap((c) => {
      const why = Object.hasOwn(POINTLESS, c.program) ? POINTLESS[c.program] : undefined;
      return why ? [{ range: wordRange(model, c.nameWord), message: `\`${c.program}\` has no lasting effect in a build: ${why}.` }] : [];
    });
  },
});
