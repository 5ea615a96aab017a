import type { Rule } from './rule';

/** Set by BuildKit for every build, usable in FROM without declaring them. */
const AUTOMATIC_PLATFORM_ARGS = new Set([
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
]);

export const fromArgUndefined: Rule = {
  meta: {
    id: 'from-arg-undefined',
    title: '`FROM` uses an `ARG` that is not declared before it',
    description: 'Flags variables in FROM that no ARG before the first FROM declares; they expand to nothing.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['UndefinedArgInFrom'] },
    insideOnbuild: false,
    docs: {
      why: `Only \`ARG\`s declared before the first \`FROM\` (plus BuildKit's platform arguments) can be used in \`FROM\`.
An \`ARG\` declared inside a stage, or a typo, silently expands to an empty string, so \`FROM node:\${NODE_VERSION}\`
becomes \`FROM node:\` and the build fails, or worse, \`FROM \${REGISTRY}/app\` pulls from Docker Hub.`,
      bad: `FROM node:\${NODE_VERSION}-alpine`,
      good: `ARG NODE_VERSION=20.18
FROM node:\${NODE_VERSION}-alpine`,
      fix: `Declare the argument, with a sensible default, before the first \`FROM\`.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const base = stage.base;
      if (base?.kind !== 'unresolved') return [];
      const undeclared = base.unresolved.filter((name) => !model.globalArgs.has(name) && !AUTOMATIC_PLATFORM_ARGS.has(name));
      return [...new Set(undeclared)].map((name) => ({
        range: base.source.range,
        message: `\`${name}\` is not declared by an ARG before the first FROM, so it expands to an empty string here.`,
        data: { name },
      }));
    });
  },
};
