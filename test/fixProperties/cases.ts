/**
 * The Dockerfiles whose fixes are checked: the corpus, the projects (linted as the CLI lints them, with
 * their compose/bake definitions and real build contexts), the rule fixtures, and variants derived from
 * the corpus and the projects that put the rarer fixes to work on real files: an exec-form CMD written
 * back in shell form, `apt-get` written as `apt`, a COPY source with one letter dropped, and a
 * manifests-first stage with its broad COPY moved back before the install; and a few probes, small files
 * with constructs real Dockerfiles have but these do not, each where a fix's promise is easy to break.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type LintOptions } from '../../server/src/engine/lint';
import { buildModel } from '../../server/src/language/model';
import { readDockerfile } from '../../server/src/language/reader';
import { localSources } from '../../server/src/language/contextPaths';
import { INSTALLS } from '../../server/src/language/dependencyInstalls';
import { commandsOf, copySpec, wholeContextSource } from '../../server/src/language/query';
import { BuildContextReader } from '../../server/src/workspace/buildContext';
import { findBuildDefinitions } from '../../server/src/workspace/definitions';
import { DiskLinter } from '../../server/src/workspace/diskLinter';
import { corpusFiles } from '../corpus';
import { contextFor } from '../fixtureContext';
import { CORPUS, PROJECTS, ROOT } from '../paths';
import { projectFiles } from '../precision/hits';
import { analyze } from '../../server/src/linter';

export type CaseSet = 'corpus' | 'projects' | 'fixtures' | 'derived' | 'probes';

export interface Focus {
  /** Only this rule's fixes, on findings starting on this 0-based line, are checked on a derived case. */
  readonly rule: string;
  readonly line: number;
  /** Shell form written from an exec-form array: the fix must give the array back. */
  readonly execArgs?: readonly string[];
  /** A COPY source with a letter dropped: what the real path is. */
  readonly kind?: 'file' | 'folder';
}

export interface Case {
  readonly set: CaseSet;
  /** `<set>/<path>`, and for a derived case what was changed. */
  readonly name: string;
  readonly path: string;
  readonly text: string;
  readonly options: LintOptions;
  /** The build context on disk, when there is one. */
  readonly contextDir?: string;
  readonly focus?: Focus;
  /** For a derived case: the real file it was derived from. */
  readonly origin?: string;
}

export function corpusCases(): Case[] {
  const reader = new BuildContextReader();
  return corpusFiles().map((path) => {
    const found = reader.read(path);
    return {
      set: 'corpus',
      name: `corpus/${relative(CORPUS, path)}`,
      path,
      text: readFileSync(path, 'utf8'),
      options: { context: { buildContext: found.buildContext, trustedRegistries: [] }, buildArgs: found.buildArgs },
      contextDir: found.contextDir,
    };
  });
}

/** Each project's Dockerfiles with the options the CLI would lint them with (`DiskLinter`). */
export async function projectCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const { project, files } of await projectFiles()) {
    const definitions = await findBuildDefinitions([project]);
    const linter = new DiskLinter(definitions);
    const reader = new BuildContextReader();
    for (const path of files) {
      const absolute = resolve(path);
      cases.push({
        set: 'projects',
        name: `projects/${relative(PROJECTS, path)}`,
        path,
        text: readFileSync(path, 'utf8'),
        options: linter.optionsFor(path),
        contextDir: reader.read(absolute, definitions.get(absolute)).contextDir,
      });
    }
  }
  return cases;
}

const FIXTURES = join(ROOT, 'test/fixtures/rules');

/** The rule fixtures with the context rule-fixtures.test.ts gives them (`.context.json`, `.workspace/`). */
export function fixtureCases(): Case[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES).flatMap((rule) =>
    ['valid', 'invalid'].flatMap((kind) => {
      const dir = join(FIXTURES, rule, kind);
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((name) => !/\.(?:expected|fixed|context\.json|workspace)$/.test(name) && statSync(join(dir, name)).isFile())
        .map((name): Case => {
          const path = join(dir, name);
          const workspace = `${path}.workspace`;
          return {
            set: 'fixtures',
            name: `fixtures/${rule}/${kind}/${name}`,
            path,
            text: readFileSync(path, 'utf8'),
            options: { context: contextFor(path) },
            ...(existsSync(workspace) ? { contextDir: workspace } : {}),
          };
        });
    }),
  );
}

/** A POSIX shell word that the shell reads back as `word`. */
function shellQuote(word: string, first: boolean): string {
  // A first word that looks like a flag (`--help`) or an assignment is quoted: BuildKit or the shell would read it as one.
  if (first ? /^[A-Za-z0-9_@%+:,./][A-Za-z0-9_@%+:,./-]*$/.test(word) : /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length - 1;

function derive(from: Case, what: string, text: string, focus: Focus): Case {
  return { ...from, set: 'derived', name: `${from.name} [${what}]`, text, focus, origin: from.text };
}

/** Every exec-form CMD/ENTRYPOINT written in shell form, quoted so the shell reads the same words. */
function execWrittenAsShell(c: Case): Case[] {
  const reading = readDockerfile(c.text);
  if (reading.refusal) return [];
  return reading.instructions.flatMap((r) => {
    if ((r.name !== 'CMD' && r.name !== 'ENTRYPOINT') || !r.json || r.args.length === 0 || r.args.some((a) => /[\r\n]/.test(a))) return [];
    if (r.args[0] === 'exec' || r.args[0] === '') return [];
    const shell = `${r.keyword} ${r.args.map((a, i) => shellQuote(a, i === 0)).join(' ')}`;
    const text = c.text.slice(0, r.start) + shell + c.text.slice(r.end);
    return [derive(c, `${r.name} line ${r.startLine + 1} in shell form`, text, { rule: 'cmd-shell-form', line: r.startLine, execArgs: r.args })];
  });
}

const APT_GET_VERBS = new Set(['install', 'update', 'upgrade', 'remove', 'purge', 'autoremove']);

/** Each RUN's `apt-get` calls written as `apt`. */
function aptGetWrittenAsApt(c: Case): Case[] {
  const model = buildModel(c.text);
  return model.stages.flatMap((stage) =>
    stage.runs.flatMap((run) => {
      const words = commandsOf(stage, run)
        .filter((cmd) => cmd.program === 'apt-get' && cmd.nameWord.value === 'apt-get' && cmd.args.some((a) => APT_GET_VERBS.has(a.value)))
        .map((cmd) => cmd.nameWord);
      if (words.length === 0) return [];
      let text = c.text;
      for (const w of [...words].sort((a, b) => b.start - a.start)) text = text.slice(0, w.start) + 'apt' + text.slice(w.end);
      return [derive(c, `apt-get written as apt, line ${run.info.range.start.line + 1}`, text, { rule: 'apt-instead-of-apt-get', line: lineOf(text, words[0]!.start) })];
    }),
  );
}

/** Each COPY/ADD source that exists in the context, with one letter of its last segment dropped (a folder written with its `/`). */
function sourceTypos(c: Case): Case[] {
  const facts = c.options.context?.buildContext;
  if (!facts?.paths || !c.contextDir) return [];
  const model = buildModel(c.text);
  return model.instructions.flatMap((info) =>
    localSources(info).flatMap((source) => {
      if (source.glob || source.path === '' || !facts.paths!.has(source.path) || facts.isIgnored?.(source.path)) return [];
      const folder = statSync(join(c.contextDir!, source.path), { throwIfNoEntry: false })?.isDirectory();
      if (folder === undefined) return [];
      const cut = source.path.lastIndexOf('/') + 1;
      const last = source.path.slice(cut);
      if (last.length < 3) return [];
      const mid = Math.floor(last.length / 2);
      const typo = source.path.slice(0, cut) + last.slice(0, mid) + last.slice(mid + 1);
      if (facts.paths!.has(typo)) return [];
      const prefix = /^\.\//.test(source.value) ? './' : source.value.startsWith('/') ? '/' : '';
      const written = `${prefix}${typo}${folder ? '/' : ''}`;
      const start = model.document.offsetAt(source.range.start);
      const end = model.document.offsetAt(source.range.end);
      const quoted = /^["']/.test(model.document.getText(source.range));
      const text = c.text.slice(0, start) + (quoted ? JSON.stringify(written) : written) + c.text.slice(end);
      return [derive(c, `${source.value} → ${written}`, text, { rule: 'copy-source-missing', line: source.range.start.line, kind: folder ? 'folder' : 'file' })];
    }),
  );
}

/**
 * Stages that copy manifests, install, then `COPY . …`, with the broad COPY moved back before the install
 * (keeping the manifest COPY, and without it): the file the reorder fix is for.
 */
function broadCopyFirst(c: Case): Case[] {
  const model = buildModel(c.text);
  const lines = c.text.split(/(?<=\n)/);
  const out: Case[] = [];
  for (const stage of model.stages) {
    for (const run of stage.runs) {
      if (!commandsOf(stage, run).some((cmd) => INSTALLS.some((i) => i.is(cmd)))) continue;
      const broad = stage.instructions.find((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && i.range.start.line > run.info.range.end.line && wholeContextSource(copySpec(i)));
      if (!broad) continue;
      const at = stage.instructions.indexOf(run.info);
      const before = stage.instructions.slice(0, at);
      let first = at;
      while (first > 1 && ['COPY', 'ADD'].includes(before[first - 1]!.keyword) && copySpec(before[first - 1]!).from === undefined) first--;
      const manifests = stage.instructions.slice(first, at);
      const broadLines = lines.slice(broad.range.start.line, broad.range.end.line + 1);
      const without = [...lines.slice(0, broad.range.start.line), ...lines.slice(broad.range.end.line + 1)];
      const runLine = run.info.range.start.line;
      const keep = [...without.slice(0, runLine), ...broadLines, ...without.slice(runLine)];
      out.push(derive(c, `COPY line ${broad.range.start.line + 1} moved before the install on line ${runLine + 1}`, keep.join(''), { rule: 'copy-before-dependency-install', line: runLine }));
      if (manifests.length > 0) {
        const from = manifests[0]!.range.start.line;
        const to = manifests.at(-1)!.range.end.line;
        const replaced = [...without.slice(0, from), ...broadLines, ...without.slice(to + 1)];
        out.push(derive(c, `COPY line ${broad.range.start.line + 1} in place of the manifest COPY on line ${from + 1}`, replaced.join(''), { rule: 'copy-before-dependency-install', line: from }));
      }
    }
  }
  return out;
}

/**
 * For one Dockerfile of each build context: a COPY, at the end, of every top-level entry of the context
 * with one letter dropped (a folder written with its `/`), so the suggestion meets every neighbour it could.
 */
function contextTypos(c: Case): Case[] {
  const facts = c.options.context?.buildContext;
  if (!facts?.paths || !facts.files || !c.contextDir) return [];
  const end = c.text.endsWith('\n') ? c.text : `${c.text}\n`;
  const line = end.split('\n').length - 1;
  // A file's name without its extension, written as a folder (`requirements/` where there is requirements.txt).
  const stems = facts.files.flatMap((entry) => {
    const stem = /^([^.][^/]{3,})\.[A-Za-z0-9]+$/.exec(entry)?.[1];
    if (!stem || facts.paths!.has(stem) || /[\s"'$*?[\\]/.test(stem) || !statSync(join(c.contextDir!, entry), { throwIfNoEntry: false })?.isFile()) return [];
    return [derive(c, `COPY ${stem}/ appended (beside the file ${entry})`, `${end}COPY ${stem}/ /probe/\n`, { rule: 'copy-source-missing', line, kind: 'folder' })];
  });
  return [...stems, ...facts.files.flatMap((entry) => {
    if (entry.length < 4 || facts.isIgnored?.(entry) || /[\s"'$*?[\\]/.test(entry)) return [];
    const folder = statSync(join(c.contextDir!, entry), { throwIfNoEntry: false })?.isDirectory();
    if (folder === undefined) return [];
    const mid = Math.floor(entry.length / 2);
    const typo = entry.slice(0, mid) + entry.slice(mid + 1);
    if (facts.paths!.has(typo)) return [];
    const written = `${typo}${folder ? '/' : ''}`;
    return [derive(c, `COPY ${written} appended (for ${entry}${folder ? '/' : ''})`, `${end}COPY ${written} /probe/\n`, { rule: 'copy-source-missing', line, kind: folder ? 'folder' : 'file' })];
  })];
}

/** Variants of real files for the fixes the real files rarely call for; only ones that lint at all are kept. */
export function derivedCases(from: readonly Case[]): Case[] {
  const contexts = new Set<string>();
  return from.flatMap((c) => {
    if (analyze(c.text, c.options) === undefined) return [];
    const firstOfContext = c.set === 'projects' && c.contextDir !== undefined && !contexts.has(c.contextDir) && contexts.add(c.contextDir) !== undefined;
    return [...execWrittenAsShell(c), ...aptGetWrittenAsApt(c), ...(c.set === 'projects' ? [...sourceTypos(c), ...broadCopyFirst(c)] : []), ...(firstOfContext ? contextTypos(c) : [])];
  });
}

/** Constructs seen in the wild that the corpus and projects lack, each on the edge of some fix's promise. */
const PROBES: Readonly<Record<string, string>> = {
  // cmd-shell-form "Run the last command with exec": an EXIT trap does not run once exec replaces the shell.
  'exec-after-trap': 'FROM python:3.12-slim\nCMD trap "rm -f /tmp/app.pid" EXIT; python app.py --pid /tmp/app.pid\n',
  // … and `exec` cannot run a function of the script.
  'exec-of-a-function': 'FROM python:3.12-slim\nCMD run() { python app.py "$@"; }; run --port "$PORT"\n',
  // "Switch to exec form" on an ENTRYPOINT: the stage's CMD, ignored by the shell form, becomes its arguments.
  'entrypoint-with-cmd': 'FROM python:3.12-slim\nENTRYPOINT python app.py\nCMD ["--debug"]\n',
  // … on a CMD after an exec-form ENTRYPOINT: the entrypoint script gets `postgres …` instead of `/bin/sh -c …`.
  'cmd-after-exec-entrypoint': 'FROM postgres:16\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD postgres -c shared_buffers=256MB\n',
  // "Use apt-get" on `apt upgrade`, which also installs new dependencies.
  'apt-upgrade': 'FROM debian:12\nRUN apt update && apt upgrade -y && rm -rf /var/lib/apt/lists/*\n',
  // The apt lists removed from a RUN whose lists the next RUN still installs from.
  'apt-lists-reused': 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n',
  // MAINTAINER is not expanded; a LABEL value is.
  'maintainer-with-dollar': 'FROM alpine:3.20\nMAINTAINER Jane $USER <jane@example.com>\n',
  // With the backtick escape, a backslash before `"` inside double quotes is a plain backslash, and the quote ends the string.
  'maintainer-backtick-escape': '# escape=`\nFROM alpine:3.20\nMAINTAINER Jane "JJ" Doe\n',
};

export function probeCases(): Case[] {
  return Object.entries(PROBES).map(([name, text]) => ({ set: 'probes', name: `probes/${name}`, path: `/probes/${name}/Dockerfile`, text, options: {} }));
}
