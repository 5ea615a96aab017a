import { insertLinesAfter, instructionLines, replace } from '../../language/edits';
import type { DockerfileModel, InstructionInfo, Stage } from '../../language/model';
import { INSTALLS } from '../../language/dependencyInstalls';
import { commandsOf, copySpec, instructionsNamed, operands, stageChain, wholeContextSource, type CommandAt } from '../../language/query';
import { stageRule, type RuleContext } from '../../engine/rule';

/** Instructions that may sit between the broad COPY and the install without caring where the sources are. */
const MOVABLE_PAST = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE']);
/** `pip install --upgrade pip setuptools wheel` and the like: tooling, not the project's dependencies. */
const TOOLING = new Set(['pip', 'setuptools', 'wheel']);


export const copyBeforeDependencyInstall = stageRule({
  meta: {
    id: 'copy-before-dependency-install',
    title: 'Whole context copied before installing dependencies',
    description: 'Flags COPY . before a dependency install, which reinstalls every dependency on each code change.',
    category: 'build-cache',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: {},
    docs: {
      why: `Docker reuses a layer only when everything before it is unchanged. After \`COPY . .\` any edit to any file
invalidates every later layer, so \`pip install -r requirements.txt\` (or \`npm ci\`, \`go mod download\`, …)
runs again from scratch on every build, even when the dependencies did not change. Copying only the
manifests first, installing, and then copying the rest keeps the slow install cached until the manifest
itself changes: builds go from minutes to seconds.`,
      bad: `WORKDIR /app
COPY . .
RUN pip install -r requirements.txt`,
      good: `WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .`,
      fix: `Copy the dependency manifests (\`requirements*.txt\`, \`package.json\` + lock file, \`go.mod\` + \`go.sum\`, …) before
the install, and move the broad \`COPY\` after it.

The quick fix (unsafe: review it once) rewrites the broad \`COPY\` to copy only the manifests, keeping its flags
and destination, and moves the original line after the install. When the Dockerfile's folder is known it
copies only manifests that exist there; otherwise optional lock files are written as globs that match
nothing harmlessly (\`poetry.loc[k]\`). Manifests an earlier \`COPY\` of the stage already put in the same folder
are left out; when that leaves none, the fix only moves the broad \`COPY\` after the install. It is not offered when
anything between the copy and the install, or in the install's own \`RUN\`, may need the sources, nor when the
destination is relative and no \`WORKDIR\` is set (set one first: the files would land wherever the base image's
working directory is).`,
    },
  },
  checkStage(stage) {
    const broad = stage.instructions.find((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && wholeContextSource(copySpec(i)));
    const source = broad && wholeContextSource(copySpec(broad));
    if (!broad || !source) return [];
    const afterBroad = stage.runs.filter((r) => r.info.range.start.line > broad.range.end.line);
    for (const run of afterBroad) {
      for (const command of commandsOf(stage, run)) {
        const install = INSTALLS.find((i) => i.is(command));
        if (!install) continue;
        const what = [command.program, command.args[0]?.value].filter(Boolean).join(' ');
        return [
          {
            range: source.range,
            message: `\`${broad.keyword} ${source.value}\` comes before \`${what}\`, so every code change reinstalls all dependencies. Copy ${install.manifests.join(' and ')} first, install, then copy the rest.`,
            data: { manifests: install.manifests, copyLine: broad.range.start.line, installLine: run.info.range.start.line },
          },
        ];
      }
    }
    return [];
  },
  fix(model, finding, context) {
    const { copyLine, installLine, manifests } = finding.data as { copyLine: number; installLine: number; manifests: string[] };
    const stage = model.stages.find((st) => st.instructions.some((i) => i.range.start.line === copyLine));
    const broad = stage?.instructions.find((i) => i.range.start.line === copyLine);
    const run = stage?.runs.find((r) => r.info.range.start.line === installLine);
    if (!stage || !broad || !run) return [];
    const between = stage.instructions.filter((i) => i.range.start.line > broad.range.end.line && i.range.start.line < installLine);
    const onlyInstalls = commandsOf(stage, run).every((c) => INSTALLS.some((i) => i.is(c)) || isToolingUpgrade(c));
    if (!onlyInstalls || between.some((i) => !MOVABLE_PAST.has(i.keyword))) return [];
    const found = manifestSources(manifests, context);
    const { dest } = copySpec(broad);
    const first = copySpec(broad).sources[0];
    if (!found || !dest || !first) return [];
    // A relative destination with no WORKDIR lands in the base image's working directory; a second COPY
    // there would repeat that problem (copy-relative-destination): set WORKDIR first.
    if (!isAbsolute(unquote(dest.value)) && !stageChain(model, stage).some((s) => instructionsNamed(s, 'WORKDIR').some((w) => s !== stage || w.range.start.line < copyLine))) return [];
    const moved = insertLinesAfter(model, run.info, [model.document.getText(broad.range)]);
    // Manifests an earlier COPY of the stage already put in the same folder need no second COPY.
    const already = alreadyCopied(model, stage, broad, dest.value);
    const sources = found.filter((m) => !already.some((source) => covers(source, m)));
    if (sources.length === 0) {
      return [{ title: `Move this ${broad.keyword} after the install (the manifests are already copied)`, edits: [replace(instructionLines(model, broad).range, ''), moved], safe: false }];
    }
    const head = model.document.getText({ start: broad.range.start, end: first.range.start });
    const destDir = /[/\\]$/.test(dest.value) ? dest.value : `${dest.value}/`;
    return [
      {
        title: `Copy ${sources.join(' ')} first and the rest after the install`,
        edits: [replace(broad.range, `${head}${sources.join(' ')} ${destDir}`), moved],
        safe: false,
      },
    ];
  },
});

const unquote = (value: string) => value.replace(/^(["'])(.*)\1$/s, '$2');
const isAbsolute = (path: string) => /^(?:\/|\$|[A-Za-z]:[\\/]|\\)/.test(path);

/** A folder path with `.`, `..` and repeated or trailing slashes resolved, against `base` when relative. */
function resolveFolder(path: string, base: string): string {
  const parts: string[] = [];
  for (const part of (isAbsolute(path) ? path : `${base}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * The sources of the COPY/ADD instructions (not `--from`) before `broad` in its stage that copy into the
 * folder `broad` copies into, as written without a leading `./`. A WORKDIR the stage does not set is
 * `⟨base⟩`, so two relative destinations under it still compare.
 */
function alreadyCopied(model: DockerfileModel, stage: Stage, broad: InstructionInfo, broadDest: string): string[] {
  let workdir = '/⟨base⟩';
  for (const s of stageChain(model, stage).slice(0, -1)) for (const w of instructionsNamed(s, 'WORKDIR')) workdir = resolveFolder(unquote(w.args[0]?.getValue() ?? ''), workdir);
  let target: string | undefined;
  const copied: { folder: string; sources: string[] }[] = [];
  for (const info of stage.instructions) {
    if (info === broad) {
      target = resolveFolder(unquote(broadDest), workdir);
      break;
    }
    if (info.keyword === 'WORKDIR') workdir = resolveFolder(unquote(info.args[0]?.getValue() ?? ''), workdir);
    if (info.keyword !== 'COPY' && info.keyword !== 'ADD') continue;
    const spec = copySpec(info);
    if (spec.from !== undefined || !spec.dest) continue;
    copied.push({ folder: resolveFolder(unquote(spec.dest.value), workdir), sources: spec.sources.map((x) => unquote(x.value).replace(/^\.\//, '')) });
  }
  return copied.filter((c) => c.folder === target).flatMap((c) => c.sources);
}

const globRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);

/** Whether an earlier COPY's source (a name or a glob) brings the manifest (a name, or a glob such as `poetry.loc[k]`). */
function covers(source: string, manifest: string): boolean {
  if (source === manifest) return true;
  try {
    return globRegExp(source).test(manifest) || globRegExp(manifest).test(source);
  } catch {
    return false;
  }
}

function isToolingUpgrade(c: CommandAt): boolean {
  const named = operands(c.args).slice(1);
  return /^pip3?(?:\.\d+)?$/.test(c.program) && c.args[0]?.value === 'install' && named.length > 0 && named.every((a) => TOOLING.has(a.value));
}

/**
 * The manifests to copy: the files present in the context when its files are known (the main
 * manifest missing: no fix), otherwise the first as written and the rest as globs that may match nothing.
 */
function manifestSources(manifests: readonly string[], context: RuleContext): string[] | undefined {
  const files = context.buildContext?.files;
  if (!files) return manifests.map((m, i) => (i === 0 || m.includes('*') ? m : `${m.slice(0, -1)}[${m.slice(-1)}]`));
  const matches = (pattern: string) => {
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return files.filter((f) => regex.test(f)).sort();
  };
  const found = manifests.flatMap(matches);
  return matches(manifests[0]!).length > 0 ? found : undefined;
}
