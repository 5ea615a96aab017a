import { baseOutcome } from '../../language/baseNames';
import { stageRule } from '../../engine/rule';

export const fromArgEmptyDefault = stageRule({
  meta: {
    id: 'from-arg-empty-default',
    title: '`FROM` is invalid unless a build argument is passed',
    description: 'Flags FROM lines whose global ARGs have no default, so the base name is blank or invalid without --build-arg (in BuildKit\'s words).',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['InvalidDefaultArgInFrom'] },
    insideOnbuild: false,
    docs: {
      why: `\`ARG TAG\` without a default, then \`FROM alpine:\${TAG}\`, builds only when everyone remembers
\`--build-arg TAG=…\`. Anyone else (a new colleague, a CI job, a Dependabot rebuild) gets \`FROM alpine:\`, which
BuildKit refuses ("failed to parse stage name "alpine:": invalid reference format"; \`FROM \${BASE}\` alone gives
"base name (\${BASE}) should not be blank"), for every stage, used or not. A warning, since the build argument may
well be passed; a default documents the version you tested and keeps plain \`docker build .\` working.`,
      bad: `ARG TAG
FROM alpine:\${TAG}`,
      good: `ARG TAG=3.20
FROM alpine:\${TAG}`,
      fix: `Give the global \`ARG\` a default value.`,
    },
  },
  checkStage(stage, model) {
    const base = stage.base;
    if (base?.kind !== 'unresolved') return [];
    const withoutDefault = base.unresolved.filter((name) => model.globalArgs.has(name));
    if (withoutDefault.length !== base.unresolved.length) return [];
    const outcome = baseOutcome(model, stage);
    if (!outcome?.plain) return [];
    const names = [...new Set(withoutDefault)].map((n) => `\`${n}\``).join(', ');
    return [
      {
        range: base.source.range,
        message: `Without --build-arg for ${names}, ${outcome.expanded ? `this is \`FROM ${outcome.expanded}\` and ` : ''}BuildKit fails the build: ${outcome.plain}. Give the ARG a default.`,
      },
    ];
  },
});
