import { insertAt, instructionLines, replace } from '../../language/edits';
import type { DockerfileModel, InstructionInfo } from '../../language/model';
import { instructionsRule, type Finding } from '../../engine/rule';
import { harmlessValue, looksSecret } from '../shared/secretNames';

/**
 * The RUNs that read a stage's \`ARG NAME\` (no default, alone on its line), when nothing else in the
 * stage does: then the ARG can become a secret mounted as the same variable
 * (\`RUN --mount=type=secret,id=…,env=NAME\`, Dockerfile syntax 1.10, moby/buildkit#5215).
 */
function runsReading(model: DockerfileModel, info: InstructionInfo, name: string): InstructionInfo[] | undefined {
  const stage = info.stage === undefined ? undefined : model.stages[info.stage];
  if (!stage || info.properties.length !== 1 || info.properties[0]!.getValue() !== null || !frontendHasSecretEnv(model)) return undefined;
  const use = new RegExp(`\\$\\{?${name}\\b`);
  const readers = stage.instructions.filter((i) => i.range.start.line > info.range.end.line && use.test(model.document.getText(i.range)));
  return readers.length > 0 && readers.every((i) => i.keyword === 'RUN' && !i.flags.some((f) => use.test(f.getValue() ?? ''))) ? readers : undefined;
}

/** `# syntax=docker/dockerfile:1.9` and older cannot mount a secret as a variable; no directive or `:1` takes the newest. */
function frontendHasSecretEnv(model: DockerfileModel): boolean {
  const pinned = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:1\.(\d+)/.exec(model.directives.syntax?.value ?? '');
  return !pinned || Number(pinned[1]) >= 10;
}

/** What one ARG or ENV sets under a secret's name. */
function secretVariables(model: DockerfileModel, info: InstructionInfo): Finding[] {
  if (info.keyword !== 'ARG' && info.keyword !== 'ENV') return [];
  return info.properties.flatMap((property) => {
    // An ARG with no default still gets its value from --build-arg, and that is kept in the history.
    if (!looksSecret(property.getName()) || harmlessValue(property.getValue())) return [];
    const advice = info.keyword === 'ENV' ? 'Give the container its secrets at run time, or use a build secret (RUN --mount=type=secret) if only the build needs it.' : 'Use a build secret (RUN --mount=type=secret).';
    const readers = info.keyword === 'ARG' ? runsReading(model, info, property.getName()) : undefined;
    return [
      {
        range: property.getNameRange(),
        message: `\`${property.getName()}\` looks like a secret; ${info.keyword} values are stored in the image for anyone to read. ${advice}`,
        ...(readers ? { data: { name: property.getName(), arg: info.range.start.line, runs: readers.map((r) => r.range.start.line) } } : {}),
      },
    ];
  });
}

export const secretsInArgEnv = instructionsRule({
  meta: {
    id: 'secrets-in-arg-env',
    title: 'Secret-looking name in `ARG` or `ENV`',
    description: 'Flags ARG and ENV names like PASSWORD, API_TOKEN or ROOTPASS with a value that could be the secret: their values stay readable in the image.',
    category: 'security',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { buildkit: ['SecretsUsedInArgOrEnv'], trivy: ['DS-0031'] },
    docs: {
      why: `\`ENV\` values are stored in the image config and \`ARG\` values in its history: \`docker history\` and
\`docker inspect\` print them for anyone who can pull the image. A password, token or private key passed this
way is published with the image. BuildKit secrets (\`RUN --mount=type=secret\`) hand the value to one \`RUN\`
without writing it anywhere.

Names are split into words (\`API_TOKEN\` → api, token); run-together names that end in one count too
(\`LDAP_ROOTPASS\`, \`DBPASSWORD\`, \`ADMIN_PWD\`, but not \`PWD\`, the working directory). Words that mark a
public value or a setting about a secret rather than the secret itself (\`GPG_KEY\`, \`PUBLIC_KEY\`,
\`*_KEY_FILE\`, \`*_KEY_ID\`, \`AUTH_VERSION\`, \`AUTH_METHOD\`, \`TOKEN_TTL\`) are not reported, and neither are
values that cannot be the secret: empty (\`ENV DB_PASSWORD=\`, set at run time), a path
(\`/run/secrets/db_password\`), \`true\`/\`false\`, or a bare reference to another variable
(\`\${DB_PASSWORD}\`, whose own \`ARG\` is what gets reported). An \`ARG\` with no default is reported: its
value comes from \`--build-arg\` and stays in the image history.`,
      bad: `ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci`,
      good: `RUN --mount=type=secret,id=npm_token \\
    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci`,
      fix: `Pass secrets with \`--secret id=…\` and \`RUN --mount=type=secret\`; give the running container its secrets at
run time (environment, files), not at build time.
For an \`ARG\` with no default that only \`RUN\`s of its stage read, the quick fix removes the \`ARG\` and mounts the
secret into each of those \`RUN\`s as the same variable: \`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN …\`. It is
unsafe: the build must then pass the secret instead of the build argument
(\`docker build --secret id=npm_token,env=NPM_TOKEN .\`, which reads it from your environment), and the \`env=\` option
needs Dockerfile syntax 1.10 or later, so the fix is not offered when \`# syntax=\` pins an older one.`,
    },
  },
  checkInstructions: (instructions, model) => instructions.flatMap((info) => secretVariables(model, info)),

  fix(model, finding) {
    const data = finding.data as { name?: string; arg?: number; runs?: number[] } | undefined;
    if (!data?.name || data.arg === undefined || !data.runs) return [];
    const at = (line: number) => model.instructions.find((i) => i.range.start.line === line);
    const arg = at(data.arg);
    const runs = data.runs.map(at);
    if (!arg || runs.some((r) => r?.keyword !== 'RUN')) return [];
    const id = data.name.toLowerCase();
    const mount = `--mount=type=secret,id=${id},env=${data.name} `;
    const edits = runs.map((run) => insertAt((run!.flags[0]?.getRange() ?? run!.args[0]!.getRange()).start, mount));
    return [
      {
        title: `Mount ${data.name} as a build secret (build with --secret id=${id},env=${data.name})`,
        edits: [replace(instructionLines(model, arg).range, ''), ...edits],
        // The build must now pass the secret, and an older builder refuses the env= option.
        safe: false,
      },
    ];
  },
});
