/** The rule for what BuildKit refuses that no more specific rule reports; the catalogue is buildkitChecks.ts. */
import { buildkitProblems, dispatchedStages, type Problem } from '../../language/buildkitChecks';
import type { Finding, Rule } from '../../engine/rule';

export const buildkitRefuses: Rule = {
  meta: {
    id: 'buildkit-refuses',
    title: 'BuildKit refuses this file',
    description: 'Reports what BuildKit rejects when it reads the file or builds a stage (in its own words: parse errors, flag values, variable expansion, inherited ONBUILD triggers), where no more specific rule does.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `BuildKit reads the whole Dockerfile before it runs anything, and stops at the first thing it cannot accept: an
unterminated heredoc, \`FROM\` with two arguments, \`COPY\` with only a source, a stage name starting with a
digit, \`SHELL\` not in JSON form, a \`HEALTHCHECK\` duration without a unit, a boolean flag set to \`yes\`, a
\`--network\` or \`--mount\` value it does not know. The build then fails with "dockerfile parse error" before a
single layer is built, or, for the flag values it checks as it builds a stage, partway through. This rule
reports each of these with BuildKit's own message. More specific rules report unknown instructions,
unknown flags, missing arguments, forbidden ONBUILD triggers and bad \`--from\` values.

Checks BuildKit makes only when it builds a stage (\`--mount\` options, \`--chmod\`, \`STOPSIGNAL\`, URL
sources of \`COPY\`, an ONBUILD trigger of the stage it builds \`FROM\` that it cannot read) are errors in the
stages the build reaches, and warnings in stages it does not build.

Variable expansion too: BuildKit expands the words of \`FROM\` and the meta \`ARG\`s (for every stage), and of
\`ENV\`, \`LABEL\`, \`ARG\`, \`WORKDIR\`, \`USER\`, \`VOLUME\`, \`STOPSIGNAL\`, \`EXPOSE\`, \`COPY\`/\`ADD\` (flags,
paths and unquoted heredoc bodies) and \`--mount\` values as it builds a stage, with a lexer that knows less than
a shell: \`\${}\`, \`\${V:0:2}\`, \`\${V:=x}\`, \`\${#V}\` or a missing \`}\` fail the build (an error). \`\${V:?}\`
fails when \`V\` is empty or unset: an error where the file itself leaves it so, a warning where a \`--build-arg\`
or the base image's environment may set it. RUN, CMD, ENTRYPOINT and the like are left to the shell.
A \`# syntax=\` line naming another frontend turns the rule off, since that frontend reads the file.`,
      bad: `FROM alpine:3.20 AS 1st
HEALTHCHECK --interval=30 CMD wget -q -O- http://localhost/
RUN --mount=type=cache,target=/root/.cache,sharing=lockd pip install -r requirements.txt
ENV SHORT=\${VERSION:0:4}`,
      good: `FROM alpine:3.20 AS first
HEALTHCHECK --interval=30s CMD wget -q -O- http://localhost/
RUN --mount=type=cache,target=/root/.cache,sharing=locked pip install -r requirements.txt
ENV SHORT=\${VERSION%.*}`,
      fix: `Do what the message says: BuildKit's wording names the instruction, the flag or the value it refused.`,
    },
  },
  check(model, context): Finding[] {
    const problems = buildkitProblems(model).filter((p) => p.owner === 'buildkit-refuses');
    if (problems.length === 0) return [];
    const dispatched = problems.some((p) => p.when === 'convert' && !p.always) ? dispatchedStages(model, context) : new Set<number>();
    return problems.map((p) => {
      const reached = p.always === true || dispatched.has(p.stage ?? -1);
      return {
        range: model.rangeOf(p.start, p.end),
        message: p.when === 'convert' ? convertMessage(p, reached) : `BuildKit refuses this file: ${p.message}.`,
        ...(p.when === 'convert' && (!reached || p.outside) ? { severity: 'warning' as const } : {}),
      };
    });
  },
};

function convertMessage(problem: Problem, reached: boolean): string {
  if (!reached) return `BuildKit fails to build this stage (which the default build does not reach): ${problem.message}.`;
  return problem.outside ? `BuildKit fails the build here unless ${problem.outside}: ${problem.message}.` : `BuildKit fails the build here: ${problem.message}.`;
}
