import { commandsOf, copySpec, wholeContextSource, hasOption, operands, type CommandAt } from './query';
import type { Rule } from './rule';

/** Installs driven by a manifest, with the files they read. */
const INSTALLS: readonly { readonly is: (c: CommandAt) => boolean; readonly manifests: readonly string[] }[] = [
  { is: (c) => /^pip3?(?:\.\d+)?$/.test(c.program) && c.args[0]?.value === 'install' && hasOption(c.args, 'r', ['requirement']), manifests: ['requirements*.txt'] },
  { is: (c) => c.program === 'poetry' && c.args[0]?.value === 'install', manifests: ['pyproject.toml', 'poetry.lock'] },
  { is: (c) => c.program === 'uv' && (c.args[0]?.value === 'sync' || (c.args[0]?.value === 'pip' && c.args[1]?.value === 'install' && hasOption(c.args, 'r', ['requirement']))), manifests: ['pyproject.toml', 'uv.lock'] },
  { is: (c) => (c.program === 'pipenv' || c.program === 'pdm') && ['install', 'sync'].includes(c.args[0]?.value ?? ''), manifests: ['Pipfile', 'Pipfile.lock'] },
  { is: (c) => c.program === 'npm' && (c.args[0]?.value === 'ci' || (['install', 'i'].includes(c.args[0]?.value ?? '') && operands(c.args).length === 1)), manifests: ['package.json', 'package-lock.json'] },
  { is: (c) => c.program === 'yarn' && (operands(c.args).length === 0 || (c.args[0]?.value === 'install' && operands(c.args).length === 1)), manifests: ['package.json', 'yarn.lock'] },
  { is: (c) => c.program === 'pnpm' && ['install', 'i'].includes(c.args[0]?.value ?? '') && operands(c.args).length === 1, manifests: ['package.json', 'pnpm-lock.yaml'] },
  { is: (c) => c.program === 'go' && c.args[0]?.value === 'mod' && c.args[1]?.value === 'download', manifests: ['go.mod', 'go.sum'] },
  { is: (c) => c.program === 'bundle' && (c.args[0]?.value === 'install' || c.args.length === 0), manifests: ['Gemfile', 'Gemfile.lock'] },
  { is: (c) => c.program === 'composer' && c.args[0]?.value === 'install', manifests: ['composer.json', 'composer.lock'] },
  { is: (c) => c.program === 'cargo' && ['fetch', 'build'].includes(c.args[0]?.value ?? ''), manifests: ['Cargo.toml', 'Cargo.lock'] },
  { is: (c) => /^mvnw?$|\/mvnw$/.test(c.program) && c.args.some((a) => /go-offline/.test(a.value)), manifests: ['pom.xml'] },
];

export const copyBeforeDependencyInstall: Rule = {
  meta: {
    id: 'copy-before-dependency-install',
    title: 'Whole context copied before installing dependencies',
    description: 'Flags COPY . before a dependency install, which reinstalls every dependency on each code change.',
    category: 'build-cache',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Docker reuses a layer only when everything before it is unchanged. After \`COPY . .\` any edit to any file
invalidates every later layer, so \`pip install -r requirements.txt\` (or \`npm ci\`, \`go mod download\`, …)
runs again from scratch on every build, even when the dependencies did not change. Copying only the
manifests first, installing, and then copying the rest keeps the slow install cached until the manifest
itself changes: builds go from minutes to seconds.`,
      bad: `WORKDIR /app
COPY . .
RUN pip install -r requirements.txt`,
      good: `WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .`,
      fix: `Copy the dependency manifests (\`requirements*.txt\`, \`package.json\` + lock file, \`go.mod\` + \`go.sum\`, …) before
the install, and move the broad \`COPY\` after it.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const broad = stage.instructions.find((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && wholeContextSource(copySpec(i)));
      const source = broad && wholeContextSource(copySpec(broad));
      if (!broad || !source) return [];
      const afterBroad = stage.runs.filter((r) => r.info.range.start.line > broad.range.end.line);
      for (const run of afterBroad) {
        for (const command of commandsOf(stage, run)) {
          const install = INSTALLS.find((i) => i.is(command));
          if (!install) continue;
          const what = [command.program, command.args[0]?.value].filter(Boolean).join(' ');
          return [
            {
              range: source.range,
              message: `\`${broad.keyword} ${source.value}\` comes before \`${what}\`, so every code change reinstalls all dependencies. Copy ${install.manifests.join(' and ')} first, install, then copy the rest.`,
              data: { install: command.program, manifests: install.manifests, installLine: run.info.range.start.line },
            },
          ];
        }
      }
      return [];
    });
  },
};
