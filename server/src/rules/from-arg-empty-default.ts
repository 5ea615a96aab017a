import { parseImageRef } from '../engine/imageRef';
import { expand } from '../engine/variables';
import type { Rule } from './rule';

export const fromArgEmptyDefault: Rule = {
  meta: {
    id: 'from-arg-empty-default',
    title: '`FROM` is invalid unless a build argument is passed',
    description: 'Flags FROM lines whose global ARGs have no default, so the image name is empty or invalid without --build-arg.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['InvalidDefaultArgInFrom'] },
    insideOnbuild: false,
    docs: {
      why: `\`ARG TAG\` without a default, then \`FROM alpine:\${TAG}\`, builds only when everyone remembers
\`--build-arg TAG=…\`. Anyone else (a new colleague, a CI job, a Dependabot rebuild) gets \`FROM alpine:\`, which
is not a valid reference. A default documents the version you tested and keeps plain \`docker build .\` working.`,
      bad: `ARG TAG
FROM alpine:\${TAG}`,
      good: `ARG TAG=3.20
FROM alpine:\${TAG}`,
      fix: `Give the global \`ARG\` a default value.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const base = stage.base;
      if (base?.kind !== 'unresolved') return [];
      const withoutDefault = base.unresolved.filter((name) => model.globalArgs.has(name));
      if (withoutDefault.length !== base.unresolved.length) return [];
      const asBuilt = expand(base.source.text, (name) => model.globalArgs.get(name) ?? '', model.escapeChar).value;
      if (asBuilt !== '' && parseImageRef(asBuilt)) return [];
      const names = [...new Set(withoutDefault)].map((n) => `\`${n}\``).join(', ');
      return [
        {
          range: base.source.range,
          message: `Without --build-arg for ${names}, this is \`FROM ${asBuilt}\`, which is not a valid image. Give the ARG a default.`,
        },
      ];
    });
  },
};
