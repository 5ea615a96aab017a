import type { DockerfileModel, Stage } from '../../language/model';
import { copySpec, instructionsNamed, shippedStages, stageChain, stageNamed } from '../../language/query';
import { stageRule } from '../../engine/rule';
import { weakMemo } from '../../language/memo';

/** The word as the shell would read it: `"${HOME}"/x` → `${HOME}/x`, `'/etc/'` → `/etc/`. */
const unquoted = (value: string) => value.replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_, double: string | undefined, single: string | undefined) => double ?? single ?? '');

const escapeRegExp = (text: string) => text.replace(/[.*+?^$|()[\]{}\\]/g, '\\$&');

const ABSOLUTE = /^(?:\/|\$|[A-Za-z]:[\\/]|\\)/;

/** Top-level folders of the file-system hierarchy: files there were put there on purpose, not by a relative path. */
const SYSTEM = new Set(['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib32', 'lib64', 'libx32', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var']);

/** Whether an absolute path copied out of a stage is explained only by that stage's implicit working directory. */
function reliesOnWorkdir(source: string, stageText: readonly string[]): boolean {
  const [top, next] = source.split('/').filter(Boolean);
  if (!top || SYSTEM.has(top) || /[$*?[]/.test(top)) return false;
  // golang images' GOPATH: `go install` puts binaries in /go/bin whatever the working directory.
  if (top === 'go' && ['bin', 'pkg', 'src'].includes(next ?? '')) return false;
  const named = new RegExp(String.raw`(?<![\w./-])/` + escapeRegExp(top) + String.raw`(?![\w.-])`);
  return !stageText.some((text) => named.test(text));
}

/** A `COPY --from=<stage>`: the stage it is in, the chain it copies from, its absolute sources. */
interface StageCopy {
  readonly in: number;
  readonly chain: readonly Stage[];
  readonly sources: readonly string[];
}

/** Every `COPY --from=<stage>` of the file, gathered once per model for all the stages checked. */
const copiesFromStages = weakMemo((model: DockerfileModel): readonly StageCopy[] =>
  model.stages.flatMap((s) =>
    instructionsNamed(s, 'COPY', 'ADD').flatMap((info) => {
      const spec = copySpec(info);
      const from = spec.from === undefined ? undefined : stageNamed(model, spec.from, info.stage ?? model.stages.length);
      return from ? [{ in: s.index, chain: stageChain(model, from), sources: spec.sources.map((w) => unquoted(w.value)).filter((v) => v.startsWith('/')) }] : [];
    }),
  ),
);

/** Absolute sources later stages copy out of `stage` (or a stage built on it): those stages use it, transitively, so its key holds them. */
const copiedOut = (model: DockerfileModel, stage: Stage) => copiesFromStages(model).filter((c) => c.in > stage.index && c.chain.includes(stage)).flatMap((c) => c.sources);

const chainText = (model: DockerfileModel, stage: Stage) => stageChain(model, stage).flatMap((s) => s.instructions.map((i) => model.document.getText(i.range)));

export const copyRelativeDestination = stageRule({
  meta: {
    id: 'copy-relative-destination',
    title: '`COPY` to a relative path with no `WORKDIR`',
    description: 'Flags COPY/ADD to a relative destination in a stage that never sets WORKDIR, when the shipped image or a later COPY --from depends on where the files land.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3045'] },
    docs: {
      why: `A relative destination is resolved against the working directory, which, without a \`WORKDIR\` in the
Dockerfile, is whatever the base image set: \`/\` for most, \`/usr/src/app\` or \`/home/node\` for others. \`COPY .
.\` then scatters the application over the root file system, and changes location when the base image does.

Checked in the stages of the shipped image (the build targets and the stages they build on). In a build
stage that is thrown away, a \`COPY requirements.txt .\` read by the next \`RUN\` from the same directory is
harmless; it is reported there only when a later \`COPY --from=<stage>\` takes an absolute path that only
exists because the working directory happened to be \`/\` (\`COPY --from=build /app.wasm …\`). Quoted
destinations (\`"\${HOME}"/notes\`, \`"/etc/app/"\`) are read as the builder reads them.`,
      bad: `FROM python:3.12-slim
COPY . .`,
      good: `FROM python:3.12-slim
WORKDIR /app
COPY . .`,
      fix: `Add \`WORKDIR /app\` (or another absolute path) before the \`COPY\`, or use an absolute destination.`,
    },
  },
  checkStage(stage, model, context) {
    const before = stageChain(model, stage).slice(0, -1).some((s) => instructionsNamed(s, 'WORKDIR').length > 0);
    if (before) return [];
    const firstWorkdir = instructionsNamed(stage, 'WORKDIR')[0]?.range.start.line ?? Number.POSITIVE_INFINITY;
    const relied = shippedStages(model, context).has(stage) ? undefined : copiedOut(model, stage);
    let text: readonly string[] | undefined;
    return stage.instructions.flatMap((info) => {
      if ((info.keyword !== 'COPY' && info.keyword !== 'ADD') || info.range.start.line > firstWorkdir) return [];
      const { dest } = copySpec(info);
      if (!dest || ABSOLUTE.test(unquoted(dest.value))) return [];
      // A thrown-away stage matters only when a later stage takes a file by an absolute path that only
      // the implicit working directory explains: not a system folder (`/usr/local/lib/…`), and not a
      // path the stage names itself (`pip install --prefix=/install`, `mkdir /out`).
      if (relied && !relied.some((source) => reliesOnWorkdir(source, (text ??= chainText(model, stage))))) return [];
      return [{ range: dest.range, message: `\`${dest.value}\` is relative, and no WORKDIR is set: the files land in the base image's working directory. Set WORKDIR first.` }];
    });
  },
});
