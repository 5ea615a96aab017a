import { commandsOf, wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

export const useraddHighUid = stageRule({
  meta: {
    id: 'useradd-high-uid',
    title: '`useradd` with a high UID but without `-l`',
    description: 'Flags useradd -u with a six-digit or larger UID and no -l, which writes a huge sparse lastlog file into the layer.',
    category: 'image-size',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3046'] },
    docs: {
      why: `\`useradd\` records every user in \`/var/log/lastlog\` and \`faillog\`, files indexed by UID. For UID 123456 the
file is sparse on disk but image layers store it in full: hundreds of megabytes of zeros. \`-l\`
(\`--no-log-init\`) skips those files. (Threshold as in hadolint: UIDs of more than five digits.)`,
      bad: `RUN useradd -u 123456 app`,
      good: `RUN useradd -l -u 123456 app`,
      fix: `Add \`-l\` / \`--no-log-init\`, or use a UID below 100000.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) => commandsOf(stage, run)).flatMap((c) => {
      if (c.program !== 'useradd') return [];
      const values = c.args.map((a) => a.value);
      if (values.some((v) => v === '--no-log-init' || /^-[a-zA-Z]*l[a-zA-Z]*$/.test(v))) return [];
      const at = values.findIndex((v) => v === '-u' || v === '--uid');
      const uid = at >= 0 ? values[at + 1] : values.find((v) => v.startsWith('--uid='))?.slice(6);
      if (!uid || !/^\d{6,}$/.test(uid)) return [];
      return [{ range: wordRange(model, c.nameWord), message: `\`useradd\` with UID ${uid} and no \`-l\` writes a huge lastlog file into the layer: add \`-l\`.` }];
    });
  },
});
