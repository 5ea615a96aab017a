import { joinContinuations, parseShell } from '../../language/shell';
import { instructionsNamed, keywordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

const SUPERVISORS = new Set(['supervisord', 'runsvdir', 's6-svscan', 'circusd', 'pm2-runtime', 'systemd', 'init']);
const SERVICE_START = /^(?:service|rc-service|systemctl)$|^\/etc\/init\.d\//;

export const multipleServices = stageRule({
  meta: {
    id: 'multiple-services',
    title: 'Several services started by one container',
    description: 'Flags CMD/ENTRYPOINT that start a process supervisor or chain service starts: one container should run one service.',
    category: 'maintainability',
    severity: 'info',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `A container is meant to run one process whose lifetime is the container's. Bundling a web server, a worker
and a database behind supervisord or \`service x start && …\` hides crashes (the supervisor keeps running, so
the orchestrator thinks all is well), mixes logs, prevents scaling the parts separately, and makes every
update restart everything. Run each service in its own container and connect them with compose or your
orchestrator.`,
      bad: `CMD service nginx start && service php-fpm start && tail -f /dev/null`,
      good: `# one image per service; in compose:
#   web: image: nginx
#   app: image: my-php-app
CMD ["php-fpm", "--nodaemonize"]`,
      fix: `Split the services into separate images or containers.`,
    },
  },
  // Only the final stage's command is what the container runs.
  checkStage(stage, model) {
    if (!stage.isFinal) return [];
    return instructionsNamed(stage, 'CMD', 'ENTRYPOINT').flatMap((info) => {
      const commands = info.execForm
        ? info.execForm.length ? [info.execForm] : []
        : parseShell(joinContinuations(model.document.getText(info.argumentsRange ?? info.range), model.escapeChar), 0).commands.map((c) => [c.name?.value ?? '', ...c.args.map((a) => a.value)]);
      const programs = commands.map((words) => words[0]?.slice(words[0].lastIndexOf('/') + 1) ?? '');
      const supervisor = programs.find((p) => SUPERVISORS.has(p));
      const starts = commands.filter((words) => SERVICE_START.test(words[0] ?? '')).length;
      if (!supervisor && starts < 2) return [];
      const what = supervisor ? `starts the process supervisor \`${supervisor}\`` : `starts ${starts} services`;
      return [{ range: keywordRange(info), message: `This ${info.keyword} ${what}: run one service per container instead.` }];
    });
  },
});
