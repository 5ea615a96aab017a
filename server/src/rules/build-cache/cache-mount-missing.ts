import { insertAt } from '../../language/edits';
import type { DockerfileModel, RunInstruction, Stage } from '../../language/model';
import { pipInstallWord, yarnInstalls } from '../../language/packageManagers';
import { basename, commandsOf, copySpec, hasOption, stageChain, type CommandAt, wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

interface Cacheable {
  readonly is: (c: CommandAt) => boolean;
  readonly target: string;
  /**
   * Text in a related instruction (this stage, the stages it builds on or the ones built on it) showing
   * that the downloads must stay in the image: a later offline build reads them from there.
   */
  readonly keep?: RegExp;
  /** For go: the context files copied in so far must be able to carry a `go.mod`, or nothing is downloaded. */
  readonly needsModule?: boolean;
}

/** `--offline` as a word of a shell command or a string of an exec-form array. */
const OFFLINE = /(?:^|[\s"'])--offline\b/;

/** Installers whose downloads a cache mount keeps between builds, with where to mount. */
const CACHEABLE: readonly Cacheable[] = [
  { is: (c) => pipInstallWord(c) !== undefined && !c.args.some((a) => a.value === '--no-cache-dir'), target: '/root/.cache/pip', keep: /(?:^|[\s"'])--no-index\b/ },
  { is: (c) => c.program === 'uv' && ['sync', 'pip'].includes(c.args[0]?.value ?? ''), target: '/root/.cache/uv', keep: OFFLINE },
  // A global tool (`npm install -g @angular/cli@13`) is not reinstalled when the project changes.
  { is: (c) => c.program === 'npm' && ['ci', 'install', 'i'].includes(c.args[0]?.value ?? '') && !hasOption(c.args, 'g', ['global']), target: '/root/.npm', keep: OFFLINE },
  { is: (c) => c.program === 'yarn' && yarnInstalls(c.args), target: '/usr/local/share/.cache/yarn', keep: OFFLINE },
  { is: (c) => c.program === 'pnpm' && ['install', 'i'].includes(c.args[0]?.value ?? ''), target: '/root/.local/share/pnpm/store', keep: OFFLINE },
  {
    is: (c) => c.program === 'go' && (['build', 'install'].includes(c.args[0]?.value ?? '') || (c.args[0]?.value === 'mod' && c.args[1]?.value === 'download')),
    target: '/go/pkg/mod',
    keep: /-mod[= ]vendor\b|GOFLAGS=\S*-mod=vendor|GOPROXY=off\b/,
    needsModule: true,
  },
  { is: (c) => c.program === 'cargo' && ['build', 'fetch', 'install'].includes(c.args[0]?.value ?? ''), target: '/usr/local/cargo/registry', keep: /(?:^|[\s"'])--(?:offline|frozen)\b|CARGO_NET_OFFLINE=(?:true|1)/ },
  { is: (c) => c.program === 'apt-get' && c.args.some((a) => a.value === 'install'), target: '/var/cache/apt' },
];

/** Stages that share this stage's files through `FROM`: the ones it builds on, itself, and those built on it. */
function relatedStages(model: DockerfileModel, stage: Stage): Stage[] {
  const chain = stageChain(model, stage);
  const built = model.stages.filter((s) => s.index > stage.index && stageChain(model, s).includes(stage));
  return [...chain, ...built];
}

/**
 * What the stage chain has taken from the build context before `run`: sources of `COPY`/`ADD`
 * without `--from` (not URLs), and bind mounts of the context. A layer that reads nothing from
 * the context is rebuilt only when the base image changes, so a cache would be cold anyway.
 */
function contextInputs(model: DockerfileModel, stage: Stage, run: RunInstruction): string[] {
  const chain = stageChain(model, stage);
  return chain.flatMap((s) =>
    s.instructions
      .filter((i) => s !== stage || i.range.start.line <= run.info.range.start.line)
      .flatMap((info) => {
        if (info.keyword === 'COPY' || info.keyword === 'ADD') {
          const spec = copySpec(info);
          if (spec.from !== undefined) return [];
          return spec.sources.map((source) => source.value).filter((value) => !/^(?:https?|git):\/\/|^git@/.test(value));
        }
        if (info.keyword !== 'RUN') return [];
        const r = s.runs.find((x) => x.info === info);
        return (r?.mounts ?? []).filter((m) => m.type === 'bind' && !m.options.has('from')).map((m) => m.options.get('source') ?? m.options.get('src') ?? '.');
      }),
  );
}

/** Whether a copied path can bring a `go.mod`: the file itself, a folder, or a glob (not `main.go`). */
const mayCarryModule = (path: string) => /(?:^|\/)go\.(?:mod|sum|work)$/.test(path) || /[*?[]/.test(path) || !/\.[A-Za-z0-9]+$/.test(basename(path.replace(/\/+$/, '')));

/** Whether the file turns off the docker-clean hook of the Debian/Ubuntu images, which empties /var/cache/apt after every install. */
function keepsAptDownloads(model: DockerfileModel, stages: readonly Stage[]): boolean {
  return stages.some((s) => s.runs.some((r) => /docker-clean|Keep-Downloaded-Packages\s*"?(?:true|1)/.test(model.document.getText(r.info.range))));
}

const APT_MOUNTS = '--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked';

export const cacheMountMissing = stageRule({
  meta: {
    id: 'cache-mount-missing',
    title: 'Package download without a BuildKit cache mount',
    description: 'Flags pip, npm, yarn, pnpm, go, cargo (and apt-get, once docker-clean is off) downloads in BuildKit files that could keep their cache across builds.',
    category: 'build-cache',
    severity: 'info',
    fixable: 'sometimes',
    aliases: {},
    docs: {
      why: `When a layer is rebuilt (a manifest changed), the installer starts from an empty cache and downloads
everything again. A BuildKit cache mount keeps the installer's cache on the build machine, outside the
image: the rebuild downloads only what changed, and nothing ends up in the layer. Only files that opt into
BuildKit features with a \`# syntax=\` line are checked.

Not reported when the mount would not help or would break the build: before anything is copied from the
build context (such a layer is rebuilt only when the base image changes, e.g. \`npm install -g @angular/cli@13\`),
for global tool installs, for \`go build\` when no \`go.mod\` can have been copied in (\`COPY main.go .\`), and when
the downloads must stay in the image because a build uses them offline (\`cargo fetch\` then \`cargo build
--offline\`, \`go mod download\` then \`-mod=vendor\`). apt-get is reported only when the file removes
\`/etc/apt/apt.conf.d/docker-clean\`: the Debian and Ubuntu images ship that hook, which deletes downloaded
packages after every install, so a cache mount alone caches nothing.`,
      bad: `# syntax=docker/dockerfile:1
COPY requirements.txt .
RUN pip install -r requirements.txt`,
      good: `# syntax=docker/dockerfile:1
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`,
      fix: `Add \`--mount=type=cache,target=<cache folder>\` to the \`RUN\` (the message names the folder). For apt-get
(with docker-clean removed), mount both \`/var/cache/apt\` and \`/var/lib/apt\` with \`sharing=locked\`.
The quick fix (not for apt-get) adds the mount after \`RUN\`; it is marked unsafe because files the \`RUN\`
writes into that folder no longer end up in the image.`,
    },
  },
  // Reads the `# syntax=` line, the stage's FROM chain and the stages built on it (at any depth), all in its key.
  checkStage(stage, model) {
    if (!model.directives.syntax) return [];
    const related = relatedStages(model, stage);
    const relatedText = related.flatMap((s) => s.instructions.filter((i) => ['RUN', 'CMD', 'ENTRYPOINT', 'ENV'].includes(i.keyword))).map((i) => model.document.getText(i.range));
    return stage.runs.flatMap((run) => {
      if (run.mounts.some((m) => m.type === 'cache')) return [];
      const inputs = contextInputs(model, stage, run);
      if (inputs.length === 0) return [];
      // One finding per RUN: the first download it makes.
      for (const c of commandsOf(stage, run)) {
        const hit = CACHEABLE.find((entry) => entry.is(c));
        if (!hit) continue;
        if (hit.keep && (hit.keep.test(c.args.map((a) => a.value).join(' ')) || relatedText.some((text) => hit.keep!.test(text)))) continue;
        if (hit.needsModule && !inputs.some(mayCarryModule)) continue;
        if (hit.target === '/var/cache/apt') {
          if (!keepsAptDownloads(model, stageChain(model, stage))) continue;
          return [{ range: wordRange(model, c.nameWord), message: `\`${c.program}\` downloads again on every rebuild of this layer: add \`${APT_MOUNTS}\` to the RUN.`, data: { target: hit.target } }];
        }
        return [{ range: wordRange(model, c.nameWord), message: `\`${c.program}\` downloads again on every rebuild of this layer: add \`--mount=type=cache,target=${hit.target}\` to the RUN.`, data: { target: hit.target } }];
      }
      return [];
    });
  },

  fix(model, finding) {
    const target = String(finding.data?.target ?? '');
    const run = model.stages.flatMap((s) => s.runs).find((r) => r.info.range.start.line <= finding.range.start.line && finding.range.start.line <= r.info.range.end.line);
    // apt-get also needs its docker-clean hook removed and a locked sharing mode: too much for a quick fix.
    if (!run || !target || target === '/var/cache/apt') return [];
    return [{ title: `Add a cache mount at ${target}`, edits: [insertAt(run.info.keywordRange.end, ` --mount=type=cache,target=${target}`)], safe: false }];
  },
});
