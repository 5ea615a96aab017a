import { buildkitProblems } from '../../language/buildkitChecks';
import type { Rule } from '../../engine/rule';

export const onbuildInvalid: Rule = {
  meta: {
    id: 'onbuild-invalid',
    title: '`ONBUILD` with `FROM`, `MAINTAINER` or `ONBUILD`',
    description: 'Flags ONBUILD FROM, ONBUILD MAINTAINER and ONBUILD ONBUILD, which BuildKit refuses when it reads this file.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: { hadolint: ['DL3043'] },
    docs: {
      why: `\`ONBUILD\` registers an instruction to run in images built \`FROM\` this one. \`FROM\`, \`MAINTAINER\` and a nested
\`ONBUILD\` are not allowed as triggers, and BuildKit checks that as soon as it reads this Dockerfile: the build of
this very image fails ("FROM isn't allowed as an ONBUILD trigger", "Chaining ONBUILD via \`ONBUILD ONBUILD\`
isn't allowed"), not only the builds of images made from it. Other triggers are only checked later, in the
child's build.`,
      bad: `ONBUILD FROM alpine:3.20`,
      good: `ONBUILD COPY . /app`,
      fix: `Remove the trigger.`,
    },
  },
  check(model) {
    return buildkitProblems(model)
      .filter((p) => p.owner === 'onbuild-invalid')
      .map((p) => ({ range: model.rangeOf(p.start, p.end), message: `BuildKit refuses this file: ${p.message}.` }));
  },
};
