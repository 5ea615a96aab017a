import { INSTALLS } from './dependencyInstalls';
import { commandsOf } from './query';
import type { Rule } from './rule';

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export const installManifestMissing: Rule = {
  meta: {
    id: 'install-manifest-missing',
    title: 'Dependency install without its manifest in the build context',
    description: 'Flags installs such as npm ci or pip install -r that need a file the build context does not have.',
    category: 'correctness',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    insideOnbuild: false,
    docs: {
      why: `\`npm ci\` stops without \`package-lock.json\`, \`pip install -r requirements.txt\` without the file, \`go mod
download\` without \`go.mod\`. When the build context has no such file anywhere, the build fails at that step,
after everything before it has run; often the lock file is listed in .gitignore, or the Dockerfile was copied
from a project that had one.`,
      bad: `# the context has package.json but no package-lock.json
COPY package.json ./
RUN npm ci`,
      good: `# commit package-lock.json (npm install writes it), then
COPY package.json package-lock.json ./
RUN npm ci`,
      fix: `Add the file to the build context (commit the lock file, remove it from .dockerignore), or use the install
command that works without it (\`npm install\` instead of \`npm ci\`).`,
    },
  },
  check(model, context) {
    const paths = context.buildContext?.paths;
    if (!paths) return [];
    const present = new Set([...paths].map(basename));
    return model.stages.flatMap((stage) => {
      // A file made by an earlier RUN or brought from another stage or image is not the context's business;
      // one a COPY names is copy-source-missing's finding already.
      const made = (name: string, before: number) =>
        stage.instructions.some(
          (i) =>
            i.range.start.line < before &&
            (((i.keyword === 'RUN' || i.keyword === 'COPY' || i.keyword === 'ADD') && model.document.getText(i.range).includes(name)) || i.flags.some((f) => f.getName().toLowerCase() === 'from')),
        );
      return stage.runs.flatMap((run) =>
        commandsOf(stage, run).flatMap((command) => {
          const install = INSTALLS.find((i) => i.is(command));
          const needs = install?.needs?.(command) ?? (install ? [[install.manifests[0]!]] : []);
          const earlierInRun = model.document.getText().slice(model.document.offsetAt(run.info.range.start), command.command.start);
          const missing = needs.find((alternatives) =>
            alternatives.every((file) => !present.has(basename(file)) && !made(basename(file), run.info.range.start.line) && !earlierInRun.includes(basename(file))),
          );
          if (!missing || missing.some((file) => /[*?[$]/.test(file))) return [];
          const what = [command.program, command.args[0]?.value].filter(Boolean).join(' ');
          return [{ range: model.rangeOf(command.command.start, command.command.end), message: `\`${what}\` needs ${missing.map((m) => `\`${m}\``).join(' or ')}, which the build context does not have.` }];
        }),
      );
    });
  },
};
