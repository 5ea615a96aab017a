import type { DockerfileModel, InstructionInfo, Stage } from '../../language/model';
import { verifiesSomething } from '../shared/downloads';
import { basename, commandsOf, copySpec, flagNamed } from '../../language/query';
import { stageRule, type Finding } from '../../engine/rule';

/** How BuildKit tells a git source from an HTTP one (dfgitutil.ParseGitRef): these schemes, or a path ending in `.git`. */
const GIT = /^(?:git@|ssh:\/\/|git:\/\/)|^https?:\/\/[^#?]*\.git(?:[#?]|$)/i;
const HTTP = /^https?:\/\//i;
/** A full commit hash (SHA-1 or SHA-256 repositories): git checks the content against it. */
const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i;

/** A git source pinned to a commit: `#<commit>`, `#<commit>:subdir`, or `?checksum=`/`?commit=` in the query form. */
function pinnedGit(source: string): boolean {
  const fragment = /#([^:]*)/.exec(source)?.[1];
  if (fragment !== undefined && COMMIT.test(fragment)) return true;
  const query = /\?([^#]*)/.exec(source)?.[1] ?? '';
  return new URLSearchParams(query).getAll('checksum').concat(new URLSearchParams(query).getAll('commit')).some((v) => v !== '');
}

/** A later `RUN` of the stage that checks a checksum or signature and names the downloaded file. */
function checkedLater(model: DockerfileModel, stage: Stage, info: InstructionInfo, names: readonly string[]): boolean {
  return stage.runs.some((run) => {
    if (run.info.range.start.line <= info.range.start.line) return false;
    const text = model.document.getText(run.info.range);
    return verifiesSomething(commandsOf(stage, run)) && names.some((n) => n !== '' && text.includes(n));
  });
}

export const addUrlUnverified = stageRule({
  meta: {
    id: 'add-url-unverified',
    title: '`ADD` of a URL without `--checksum`',
    description: 'Flags ADD of an HTTP(S) URL without --checksum, and of a git repository not pinned to a commit, so the build takes whatever the server sends.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `\`ADD https://…\` puts into the image whatever the server sends on the day of the build. If the file moves, is
replaced by a new release, or the site or the network on the way is compromised, the build goes on with
different content and nothing says so. \`--checksum=sha256:<hex>\` makes BuildKit check the download and fail
the build when it differs (Dockerfile frontend 1.6 and later).

What counts as verified depends on the source:
- **HTTP(S) files**: \`--checksum=sha256:<64 hex digits>\`, the only algorithm BuildKit takes for them, or a later
  \`RUN\` in the same stage that checks a checksum or signature of the file it names (\`sha256sum -c\`,
  \`gpg --verify\`).
- **Git repositories** (\`https://…/repo.git#ref\`, \`git@host:repo.git\`, \`ssh://\`, \`git://\`): a commit pins the
  content, because git names every commit by the hash of what it holds. Pinned means \`--checksum=<commit>\`
  (a prefix is accepted), a full commit hash as the ref (\`#<40 hex digits>\`), or \`?checksum=\`/\`?commit=\` in the
  query form. A branch or a tag can be moved to other content, so \`#v1.2.3\` alone is reported.

Over plain \`http://\` anyone on the network path can also change the file in transit; the message says so.
\`--checksum\` with a build argument (\`--checksum=$TOOL_SHA256\`) counts as given.`,
      bad: `ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
ADD https://github.com/moby/buildkit.git#v0.26.2 /src`,
      good: `# From the release's SHA256SUMS, checked once by hand:
ARG TINI_SHA256=<64 hex digits>
ADD --checksum=sha256:\${TINI_SHA256} https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
# The commit v0.26.2 points at (git ls-remote https://github.com/moby/buildkit.git v0.26.2):
ADD --checksum=<commit> https://github.com/moby/buildkit.git#v0.26.2 /src`,
      fix: `Download the file once, compute its digest (\`curl -fsSL <url> | sha256sum\`), compare it with what the
publisher lists, and add \`--checksum=sha256:<digest>\`; for git, add \`--checksum=<commit>\` (\`git ls-remote <repo>
<tag>\` prints it) or use the commit as the ref. Completion offers the \`--checksum\` flag. There is no quick fix:
the value has to come from the file, and BuildKit refuses a placeholder (\`digest.Parse\` rejects an empty or
malformed \`sha256:\` digest when it converts the file), so inserting one would break the build.`,
    },
  },
  checkStage(stage, model) {
    return stage.instructions.flatMap((info): Finding[] => {
      if (info.keyword !== 'ADD' || flagNamed(info, 'checksum')) return [];
      const { sources, dest } = copySpec(info);
      return sources.flatMap((source): Finding[] => {
        const url = source.value;
        if (GIT.test(url)) {
          if (pinnedGit(url)) return [];
          return [{ range: source.range, message: `\`ADD\` clones \`${url}\` at a branch or tag that can move to other content. Pin it: add \`--checksum=<commit>\`, or use the commit hash as the ref (\`#<commit>\`).` }];
        }
        if (!HTTP.test(url)) return [];
        const file = basename(url.replace(/[?#].*$/, ''));
        const target = dest && !dest.value.endsWith('/') ? basename(dest.value) : file;
        if (checkedLater(model, stage, info, [target, file])) return [];
        const plain = /^http:/i.test(url) ? ' over plain HTTP, so anyone on the network path can also change it,' : '';
        return [{ range: source.range, message: `\`ADD\` downloads \`${url}\`${plain} without checking what arrives: a changed or replaced file goes into the image unnoticed. Add \`--checksum=sha256:<digest of the file>\`.` }];
      });
    });
  },
});
