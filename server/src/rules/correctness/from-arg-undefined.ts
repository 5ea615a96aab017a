import { BUILTIN_ARGS } from '../../language/buildkitChecks';
import { baseOutcome } from '../../language/baseNames';
import type { Finding, Rule } from '../../engine/rule';

export const fromArgUndefined: Rule = {
  meta: {
    id: 'from-arg-undefined',
    title: '`FROM` uses an `ARG` that is not declared before it',
    description: 'Flags variables in FROM that no ARG before the first FROM declares; they expand to nothing, and when that leaves the base name blank or invalid the build fails (an error).',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['UndefinedArgInFrom'] },
    insideOnbuild: false,
    docs: {
      why: `Only \`ARG\`s declared before the first \`FROM\` (plus BuildKit's platform arguments) can be used in \`FROM\`.
An \`ARG\` declared inside a stage, or a typo, expands to an empty string, and no \`--build-arg\` can change that:
BuildKit only takes build arguments for declared \`ARG\`s. So \`FROM node:\${NODE_VERSION}\` becomes \`FROM node:\`
and BuildKit fails every build ("failed to parse stage name "node:": invalid reference format"; a name that is only
the variable gives "base name (\$BASE) should not be blank"): an error. Where the rest still names an image
(\`FROM \${REGISTRY}app\` becomes \`FROM app\`, pulled from Docker Hub), it builds the wrong thing: a warning.`,
      bad: `FROM node:\${NODE_VERSION}-alpine`,
      good: `ARG NODE_VERSION=20.18
FROM node:\${NODE_VERSION}-alpine`,
      fix: `Declare the argument, with a sensible default, before the first \`FROM\`.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage): Finding[] => {
      const base = stage.base;
      if (base?.kind !== 'unresolved') return [];
      const undeclared = [...new Set(base.unresolved.filter((name) => !model.globalArgs.has(name) && !Object.hasOwn(BUILTIN_ARGS, name)))];
      if (undeclared.length === 0) return [];
      const outcome = baseOutcome(model, stage);
      // An ARG of that name inside a stage: declared, but not where FROM can see it.
      const inStage = new Set(
        model.instructions.filter((i) => i.keyword === 'ARG' && i.stage !== undefined).flatMap((i) => i.read.args.map((w) => w.split('=')[0]!)),
      );
      const hint = (names: readonly string[]) => (names.some((n) => inStage.has(n)) ? ' An ARG inside a stage is not visible to a later FROM: declare it before the first FROM.' : '');
      if (outcome?.plain && outcome.set) {
        // Whatever the declared ARGs are set to, the undeclared ones leave the name blank or invalid.
        const names = undeclared.map((n) => `\`${n}\``).join(', ');
        const verb = undeclared.length === 1 ? 'is not declared by an ARG before the first FROM, so it expands' : 'are not declared by an ARG before the first FROM, so they expand';
        return [{ range: base.source.range, message: `${names} ${verb} to an empty string here and BuildKit fails the build: ${outcome.plain}.${hint(undeclared)}`, severity: 'error', data: { name: undeclared[0] } }];
      }
      const fails = outcome?.plain ? ` Without --build-arg, BuildKit fails the build: ${outcome.plain}.` : '';
      return undeclared.map((name) => ({
        range: base.source.range,
        message: `\`${name}\` is not declared by an ARG before the first FROM, so it expands to an empty string here.${fails}${hint([name])}`,
        data: { name },
      }));
    });
  },
};
