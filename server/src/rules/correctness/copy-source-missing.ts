import { editDistanceWithin } from '../../language/editDistance';
import { replace } from '../../language/edits';
import { contextIsDefined, fixedFolder, inContext, isBinderDockerfile, listingIndex, localSources } from '../../language/contextPaths';
import type { DockerfileModel, InstructionInfo } from '../../language/model';
import { instructionsRule, type Finding, type RuleContext } from '../../engine/rule';

/** Close enough to be the name meant: about one typo per four characters of the longer name. */
const allowedEdits = (a: string, b: string) => Math.max(1, Math.floor(Math.max(a.length, b.length) / 4));

/**
 * The path in the context nearest to a missing one, of the same kind: a folder for a source written
 * with a trailing `/`, a file for one whose name has an extension, either for the rest.
 */
function nearest(paths: ReadonlySet<string>, opaque: readonly string[], missing: string, written: string): string | undefined {
  const { folders } = listingIndex(paths);
  const isFolder = (path: string) => folders.has(path) || opaque.includes(path);
  const wantFolder = written.endsWith('/');
  const wantFile = !wantFolder && /\.[^./]+$/.test(missing);
  let best: { path: string; cost: number } | undefined;
  for (const path of paths) {
    if ((wantFolder && !isFolder(path)) || (wantFile && isFolder(path))) continue;
    // Bounded by what would still be close enough and better than the best so far.
    const cost = editDistanceWithin(path, missing, Math.min(allowedEdits(path, missing), (best?.cost ?? Infinity) - 1));
    if (cost !== undefined) best = { path, cost };
  }
  return best?.path;
}

/** What the rule finds in `instructions` (a stage's, or those before the first FROM). */
function missingSources(instructions: readonly InstructionInfo[], model: DockerfileModel, context: RuleContext): Finding[] {
  const facts = context.buildContext;
  if (!facts?.paths) return [];
  const defined = contextIsDefined(context);
  if (!defined && isBinderDockerfile(model)) return [];
  const paths = facts.paths;
  const named = facts.dir && facts.dir !== '.' ? `\`${facts.dir}\`, ` : '';
  const where = defined ? `the build context (${named}from ${facts.origin})` : "the Dockerfile's folder";
  const outcome = defined ? 'so the build fails here' : 'so if that folder is the build context (no compose, bake or devcontainer file says otherwise), the build fails here';
  return instructions.flatMap((info) =>
    localSources(info, model).flatMap((source): Finding[] => {
      if (inContext(facts, source) !== false) return [];
      const suggestion = source.glob ? undefined : nearest(paths, facts.opaque ?? [], source.path, source.value);
      const what = source.glob ? `\`${source.value}\` searches \`${fixedFolder(source.path)}\`, which is not in ${where}` : `\`${source.value}\` is not in ${where}`;
      return [
        {
          range: source.range,
          message: `${what}, ${outcome}.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
          ...(defined ? { severity: 'error' as const } : {}),
          ...(suggestion ? { data: { suggestion: `${source.value.startsWith('./') ? './' : ''}${suggestion}${source.value.endsWith('/') ? '/' : ''}` } } : {}),
        },
      ];
    }),
  );
}

export const copySourceMissing = instructionsRule({
  meta: {
    id: 'copy-source-missing',
    title: 'COPY/ADD source not in the build context',
    description: 'Flags COPY and ADD sources that are not in the build context: an error when a compose, bake or devcontainer file names the context, a warning when dockwise assumes it.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: {},
    insideOnbuild: false,
    docs: {
      why: `The builder only sees the build context: the folder given to \`docker build\` (or a compose service's
\`build.context\`). A source that is not there fails the build with "failed to compute cache key: … not found",
often minutes in, after every earlier layer has run. Typos, files listed in another folder, and paths written
relative to the Dockerfile instead of the context are the usual causes.

A source with wildcards (\`*\`, \`?\`, \`[…]\`) that matches nothing copies nothing, and BuildKit allows that
(\`COPY cwallet.ss[o] ./\` is a known way to copy a file only if it exists): it is reported only when the folder
it searches is missing. When a compose, bake or devcontainer file says which folder is the context, a missing
source is an error. Otherwise dockwise assumes the Dockerfile's folder, which the build may not use, and reports
a warning; a Dockerfile in \`binder/\` or \`.binder/\` is built from the repository root by repo2docker, so there
nothing is reported.`,
      bad: `# the context has requirements.txt
COPY requirments.txt ./`,
      good: `COPY requirements.txt ./`,
      fix: `Correct the path; it is relative to the build context, not to the Dockerfile. The quick fix offers the
nearest path that exists (review it: it copies a different file than written).`,
    },
  },
  checkInstructions: missingSources,
  fix(model, finding) {
    const suggestion = (finding.data as { suggestion?: string } | undefined)?.suggestion;
    if (!suggestion) return [];
    // In the exec form the source is a JSON string, and stays one.
    const text = model.document.getText(finding.range).startsWith('"') ? JSON.stringify(suggestion) : suggestion;
    return [{ title: `Change to ${suggestion}`, edits: [replace(finding.range, text)], safe: false }];
  },
});
