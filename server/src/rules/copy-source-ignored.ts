import { localSources, matchedPaths } from './contextPaths';
import type { Rule } from './rule';

export const copySourceIgnored: Rule = {
  meta: {
    id: 'copy-source-ignored',
    title: 'COPY/ADD of a path that .dockerignore excludes',
    description: 'Flags COPY and ADD sources that exist in the build context but are left out of it by .dockerignore.',
    category: 'correctness',
    severity: 'error',
    fixable: 'never',
    aliases: { buildkit: ['CopyIgnoredFile'] },
    insideOnbuild: false,
    docs: {
      why: `\`.dockerignore\` (or \`<Dockerfile>.dockerignore\` beside the Dockerfile) removes paths from the build context
before the build starts. A COPY of an excluded path then fails with "not found", although the file is right
there in your folder, which makes the cause hard to see. dockwise matches exactly as Docker does: patterns
are relative to the context root, \`*\` stops at \`/\`, \`**\` crosses folders, and a later \`!pattern\` brings a
path back.`,
      bad: `# .dockerignore contains: config/
COPY config/app.yaml /etc/app/`,
      good: `# .dockerignore contains: config/
#                          !config/app.yaml
COPY config/app.yaml /etc/app/`,
      fix: `Add a \`!path\` exception to .dockerignore after the pattern that excludes it, or copy something else.`,
    },
  },
  check(model, context) {
    const facts = context.buildContext;
    const { paths, isIgnored } = facts ?? {};
    if (!facts || !paths || !isIgnored) return [];
    const folders = foldersOf(paths);
    // A folder counts as excluded when every file in it is; leaving a few files out of one is what ignore files are for.
    const files = (path: string) => (folders.has(path) ? [...paths].filter((q) => q.startsWith(`${path}/`) && !folders.has(q)) : [path]);
    return model.instructions.flatMap((info) =>
      localSources(info).flatMap((source) => {
        if (source.path === '') return [];
        const sent = matchedPaths(facts, source).flatMap(files);
        if (sent.length === 0 || !sent.every(isIgnored)) return [];
        return [{ range: source.range, message: `\`${source.value}\` is excluded by .dockerignore, so the builder does not have it and this ${info.keyword} fails.` }];
      }),
    );
  },
};

/** Paths that have something below them. */
function foldersOf(paths: ReadonlySet<string>): Set<string> {
  const folders = new Set<string>();
  for (const path of paths) for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) folders.add(path.slice(0, i));
  return folders;
}
