import { copySpec, wholeContextSource } from './query';
import type { Rule } from './rule';

export const dockerignoreMissing: Rule = {
  meta: {
    id: 'dockerignore-missing',
    title: 'Whole context copied without a `.dockerignore`',
    description: 'Flags COPY . or ADD . when the build context has no .dockerignore, so .git, secrets and build output go into the image.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Without a \`.dockerignore\`, \`COPY . .\` copies everything in the context: the \`.git\` folder (the whole
history, including any secret ever committed), \`.env\` files, local virtualenvs and \`node_modules\` built for
another OS, test data and build output. The image grows, leaks what it should not, and its cache is
invalidated by files the application never reads. A \`.dockerignore\` next to the Dockerfile fixes all of it.`,
      bad: `COPY . .`,
      good: `# .dockerignore beside the Dockerfile:
#   .git
#   .env
#   node_modules
#   __pycache__
COPY . .`,
      fix: `Create a \`.dockerignore\` in the build context that excludes version control, secrets, dependencies and build
output; or copy only the folders the image needs.`,
    },
  },
  check(model, context) {
    // With the context listed, context-includes-unwanted names what would be sent instead.
    if (context.buildContext?.hasDockerignore !== false || (context.buildContext.unwanted?.length ?? 0) > 0) return [];
    for (const info of model.instructions) {
      if (info.keyword !== 'COPY' && info.keyword !== 'ADD') continue;
      const source = wholeContextSource(copySpec(info));
      if (source) return [{ range: source.range, message: `\`${info.keyword} ${source.value}\` copies the whole build context, and it has no .dockerignore: .git, secrets and local build output go in too.` }];
    }
    return [];
  },
};
