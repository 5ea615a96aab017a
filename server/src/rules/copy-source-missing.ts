import { editDistance } from '../engine/editDistance';
import { replace } from '../engine/edits';
import { inContext, localSources } from './contextPaths';
import type { Rule } from './rule';

/** Close enough to be the name meant: about one typo per four characters. */
const closeEnough = (a: string, b: string) => editDistance(a, b) <= Math.max(1, Math.floor(Math.max(a.length, b.length) / 4));

/** The path in the context nearest to a missing one, preferring the same folder. */
function nearest(paths: ReadonlySet<string>, missing: string): string | undefined {
  let best: { path: string; cost: number } | undefined;
  for (const path of paths) {
    const cost = editDistance(path, missing);
    if (closeEnough(path, missing) && (!best || cost < best.cost)) best = { path, cost };
  }
  return best?.path;
}

export const copySourceMissing: Rule = {
  meta: {
    id: 'copy-source-missing',
    title: 'COPY/ADD source not in the build context',
    description: 'Flags COPY and ADD sources that do not exist in the build context, suggesting the nearest path that does.',
    category: 'correctness',
    severity: 'error',
    fixable: 'sometimes',
    aliases: {},
    insideOnbuild: false,
    docs: {
      why: `The builder only sees the build context: the folder given to \`docker build\` (or a compose service's
\`build.context\`). A source that is not there fails the build with "failed to compute cache key: … not found",
often minutes in, after every earlier layer has run. Typos, files listed in another folder, and paths written
relative to the Dockerfile instead of the context are the usual causes.`,
      bad: `# the context has requirements.txt
COPY requirments.txt ./`,
      good: `COPY requirements.txt ./`,
      fix: `Correct the path; it is relative to the build context, not to the Dockerfile. The quick fix offers the
nearest path that exists (review it: it copies a different file than written).`,
    },
  },
  check(model, context) {
    const facts = context.buildContext;
    if (!facts?.paths) return [];
    const paths = facts.paths;
    return model.instructions.flatMap((info) =>
      localSources(info).flatMap((source) => {
        if (inContext(facts, source) !== false) return [];
        const suggestion = source.glob ? undefined : nearest(paths, source.path);
        const where = facts.dir && facts.dir !== '.' ? ` (the context is \`${facts.dir}\`)` : '';
        return [
          {
            range: source.range,
            message: `\`${source.value}\` is not in the build context${where}, so the build fails here.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
            ...(suggestion ? { data: { suggestion: source.value.startsWith('./') ? `./${suggestion}` : suggestion } } : {}),
          },
        ];
      }),
    );
  },
  fix(_model, finding) {
    const suggestion = (finding.data as { suggestion?: string } | undefined)?.suggestion;
    return suggestion ? [{ title: `Change to ${suggestion}`, edits: [replace(finding.range, suggestion)], safe: false }] : [];
  },
};
