import { replace } from '../../language/edits';
import { instructionsNamed, stageChain } from '../../language/query';
import { stageRule } from '../../engine/rule';

const ABSOLUTE = /^["']?(?:\/|\$|[A-Za-z]:[\\/]|\\)/;

export const workdirRelative = stageRule({
  meta: {
    id: 'workdir-relative',
    title: 'Relative `WORKDIR` with no absolute one before it',
    description: 'Flags a relative WORKDIR when no earlier WORKDIR fixes where it is relative to.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL3000'], buildkit: ['WorkdirRelativePath'], trivy: ['DS-0009'], checkov: ['CKV_DOCKER_10'] },
    docs: {
      why: `A relative \`WORKDIR\` is resolved against the previous one, which may come from the base image. \`WORKDIR
app\` therefore means \`/app\` on one base and \`/usr/src/app/app\` on another, and changes silently when the base
image changes its default. An absolute path says where files go.`,
      bad: `FROM node:20
WORKDIR app`,
      good: `FROM node:20
WORKDIR /app`,
      fix: `Start the path with \`/\`.
The quick fix puts \`/\` in front; it is unsafe, because the base image's directory was the real parent until now.`,
    },
  },
  checkStage(stage, model) {
    const chain = stageChain(model, stage).slice(0, -1);
    let anchored = chain.some((s) => instructionsNamed(s, 'WORKDIR').some((w) => ABSOLUTE.test(w.argumentsContent ?? '')));
    return instructionsNamed(stage, 'WORKDIR').flatMap((info) => {
      const path = info.argumentsContent?.trim() ?? '';
      if (ABSOLUTE.test(path) || path === '') {
        anchored ||= path !== '';
        return [];
      }
      if (anchored) return [];
      return [{ range: info.argumentsRange ?? info.range, message: `\`WORKDIR ${path}\` is relative to whatever directory the base image left; write it as an absolute path.` }];
    });
  },

  fix(model, finding) {
    const path = model.document.getText(finding.range).replace(/^\.\//, '');
    return [{ title: `Use /${path}`, edits: [replace(finding.range, `/${path}`)], safe: false }];
  },
});
