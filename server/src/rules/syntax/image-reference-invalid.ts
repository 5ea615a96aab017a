import { baseNameError, referenceError } from '../../language/baseNames';
import type { ImageSource } from '../../language/model';
import { stageRule, type Finding } from '../../engine/rule';

export const imageReferenceInvalid = stageRule({
  meta: {
    id: 'image-reference-invalid',
    title: 'Invalid image reference',
    description: 'Flags FROM images that are not valid references: an error when written literally, a warning when build-argument defaults produce them.',
    category: 'syntax',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Image references follow a strict grammar: lower-case repository path components, a tag of letters,
digits, \`_\`, \`.\` and \`-\` (at most 128, not starting with \`.\` or \`-\`), and a digest of the form
\`sha256:<hex>\`. BuildKit parses the base image of every stage, used or not, before it builds anything, and
fails with "failed to parse stage name … invalid reference format". Written literally, that is certain: an
error. \`FROM Builder\` is one too: stage names match only as written in lower case in \`FROM\`, so it is an
image name with capitals. When the name comes from build arguments (\`FROM \${BASE}\`), only their defaults are
known here and \`--build-arg\` may supply a valid one: a warning (BuildKit's own check, InvalidDefaultArgInFrom,
is a warning too). A name dockwise cannot expand is not reported.`,
      bad: `FROM Python:3.12
FROM node:20:alpine`,
      good: `FROM python:3.12
FROM node:20-alpine`,
      fix: `Write the repository in lower case and use a single \`:\` before the tag.`,
    },
  },
  checkStage(stage, model): Finding[] {
    // What BuildKit's lexer changes: variables, quotes and escapes.
    const processed = (source: ImageSource) => /[$"']/.test(source.text) || source.text.includes(model.escapeChar);
    const base = stage.base;
    if (!base) return [];
    const { text, expanded, range } = base.source;
    // Left unexpanded (or quotes left in) by the model: nothing to claim.
    if (/[$"']/.test(expanded)) return [];
    const invalid = base.kind === 'invalid' || (base.kind === 'stage' && expanded !== expanded.toLowerCase());
    if (!invalid) return [];
    const error = baseNameError(model, stage, expanded) ?? `failed to parse stage name ${JSON.stringify(expanded)}: ${referenceError(expanded)}`;
    const lowered = expanded.toLowerCase();
    const stageHint = model.stages.some((s) => s.index < stage.index && s.name === lowered) ? ` Stage names are matched in lower case: write \`FROM ${lowered}\`.` : '';
    if (!processed(base.source)) return [{ range, message: `BuildKit fails the build: ${error}.${stageHint}`, severity: 'error' }];
    return [
      {
        range,
        message: `With the build arguments' defaults, \`${text}\` is \`${expanded}\`, which is not a valid image reference: the build fails ("${error}") unless --build-arg supplies a valid one.${stageHint}`,
      },
    ];
  },
});
