import { contextIsDefined, isBinderDockerfile, localSources, listingIndex, matchedPaths } from '../../language/contextPaths';
import type { DockerfileModel, InstructionInfo } from '../../language/model';
import { instructionsRule, type Finding, type RuleContext } from '../../engine/rule';

/** What the rule finds in `instructions` (a stage's, or those before the first FROM). */
function ignoredSources(instructions: readonly InstructionInfo[], model: DockerfileModel, context: RuleContext): Finding[] {
  const facts = context.buildContext;
  const { paths, isIgnored } = facts ?? {};
  if (!facts || !paths || !isIgnored) return [];
  const defined = contextIsDefined(context);
  if (!defined && isBinderDockerfile(model)) return [];
  const { folders } = listingIndex(paths);
  const filesUnder = (path: string) => [...paths].filter((q) => q.startsWith(`${path}/`) && !folders.has(q));
  const opaque = (path: string) => (facts.opaque ?? []).some((o) => path === o || path.startsWith(`${o}/`));
  const certain = defined ? { severity: 'error' as const } : {};
  const fails = (keyword: string) => (defined ? `this ${keyword} fails ("not found")` : `this ${keyword} fails ("not found") if the build uses the Dockerfile's folder as its context`);
  return instructions.flatMap((info) =>
    localSources(info, model).flatMap((source): Finding[] => {
      if (source.path === '') return [];
      const { range, value } = source;
      if (source.glob) {
        const sent = matchedPaths(facts, source).flatMap((p) => (folders.has(p) ? filesUnder(p) : [p]));
        if (sent.length === 0 || !sent.every(isIgnored)) return [];
        return [{ range, message: `Everything \`${value}\` matches is excluded by .dockerignore, so this ${info.keyword} copies nothing.` }];
      }
      if (!paths.has(source.path)) return [];
      if (!folders.has(source.path) && !opaque(source.path)) {
        return isIgnored(source.path) ? [{ range, message: `\`${value}\` is excluded by .dockerignore, so the builder does not have it and ${fails(info.keyword)}.`, ...certain }] : [];
      }
      const files = filesUnder(source.path);
      const survivors = opaque(source.path) ? [] : files.filter((f) => !isIgnored(f));
      if (isIgnored(source.path) && survivors.length === 0) {
        return [{ range, message: `The folder \`${value}\` is excluded by .dockerignore, so the builder does not have it and ${fails(info.keyword)}.`, ...certain }];
      }
      if (files.length > 0 && survivors.length === 0) {
        return [{ range, message: `Every file in \`${value}\` is excluded by .dockerignore, so this ${info.keyword} copies an empty folder.` }];
      }
      return [];
    }),
  );
}

export const copySourceIgnored = instructionsRule({
  meta: {
    id: 'copy-source-ignored',
    title: 'COPY/ADD of a path that .dockerignore excludes',
    description: 'Flags COPY and ADD sources that exist in the build context but that .dockerignore leaves out, so the builder does not have them.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['CopyIgnoredFile'] },
    insideOnbuild: false,
    docs: {
      why: `\`.dockerignore\` (or \`<Dockerfile>.dockerignore\` beside the Dockerfile) removes paths from the build context
before the build starts. A COPY of an excluded file, or of a folder that is excluded as a whole, then fails with
"not found", although it is right there in your folder, which makes the cause hard to see. dockwise matches
exactly as Docker does: patterns are relative to the context root, \`*\` stops at \`/\`, \`**\` crosses folders,
and a later \`!pattern\` brings a path back.

What BuildKit still accepts is a warning: a folder that is sent but whose files are all excluded (the COPY
copies an empty folder), and a wildcard whose matches are all excluded (it copies nothing). The failures are
errors when a compose, bake or devcontainer file names the build context, and warnings when dockwise assumes
it is the Dockerfile's folder.`,
      bad: `# .dockerignore contains: config/
COPY config/app.yaml /etc/app/`,
      good: `# .dockerignore contains: config/
#                          !config/app.yaml
COPY config/app.yaml /etc/app/`,
      fix: `Add a \`!path\` exception to .dockerignore after the pattern that excludes it, or copy something else.`,
    },
  },
  checkInstructions: ignoredSources,
});
