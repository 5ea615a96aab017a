/**
 * The promises a fix makes, checked on its result: properties 2–6 of fix-properties.test.ts (property 1,
 * how BuildKit reads the result, is reading.ts). Each check returns the broken promises it found, in words.
 */
import { closeSync, lstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits } from '../../server/src/language/edits';
import type { Analysis, Reported } from '../../server/src/engine/lint';
import { readDockerfile, type Reading, type ReadInstruction } from '../../server/src/language/reader';
import { globPattern } from '../../server/src/language/contextPaths';
import { parseShell } from '../../server/src/language/shell';
import { expand } from '../../server/src/language/variables';
import type { Fix } from '../../server/src/engine/rule';
import type { Case } from './cases';
import { BASE_ENTRYPOINT, chainOf, configsOf, defaultShell, plainWords, POSIX_SHELL, stagesOf, startedProcess, type StageReading } from './image';
import { describe, diffReadings, readKey, spansOf, type ReadingDiff, type Span } from './reading';

/** One fix applied to one file. */
export interface Applied {
  readonly kase: Case;
  readonly analysis: Analysis;
  readonly item: Reported;
  readonly fix: Fix;
  readonly fixed: string;
  readonly before: Reading;
  readonly after: Reading;
  readonly spans: readonly Span[];
  readonly diff: ReadingDiff;
}

/** A fix applied: the result, both readings, and what the edits touched. */
export function apply(kase: Case, analysis: Analysis, item: Reported, fix: Fix): Applied {
  const fixed = applyEdits(kase.text, fix.edits);
  const spans = spansOf(kase.text, fix.edits);
  const after = readDockerfile(fixed);
  const before = analysis.model.reading;
  return { kase, analysis, item, fix, fixed, before, after, spans, diff: diffReadings(before, after, spans) };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (words: readonly string[]) => JSON.stringify(words);
/** The instruction a trigger fix works on is the ONBUILD's trigger. */
const inner = (r: ReadInstruction): ReadInstruction => (r.name === 'ONBUILD' && r.trigger ? r.trigger : r);

/** BuildKit's word processing of an ENV/LABEL key or value (quotes removed, variables left as markers). */
function processed(word: string, escape: string): string {
  const result = expand(word, (name) => `⟨$${name}⟩`, escape, true);
  return result.error ? `⟨refused: ${result.error}⟩` : result.value;
}

/** The simple commands a RUN runs, as the words each passes (programs and arguments), or `undefined` if it is not a POSIX shell script. */
export function runCommands(r: ReadInstruction): string[][] | undefined {
  if (r.name !== 'RUN') return undefined;
  if (r.json) return [[...r.args]];
  const lone = r.heredocs.length === 1 && /^<<-?\s*(["']?)[\w.-]+\1$/.test(r.rest);
  const script = lone ? r.heredocs[0]!.content : r.rest;
  const { commands, broken } = parseShell(script, 0);
  if (broken) return undefined;
  return commands.map((c) => [...(c.name ? [c.name.value] : []), ...c.args.map((a) => a.value)]);
}

const program = (words: readonly string[]) => {
  let i = 0;
  while (i < words.length - 1 && /^(?:sudo|env|nice|nohup|command|exec|doas)$/.test(words[i]!.replace(/.*\//, ''))) {
    i++;
    while (i < words.length - 1 && (words[i]!.startsWith('-') || /^\w+=/.test(words[i]!))) i++;
  }
  return { name: (words[i] ?? '').replace(/.*\//, ''), at: i };
};
const operandsOf = (args: readonly string[]) => args.filter((a) => !a.startsWith('-'));

// ——— Property 2: exec form ———

/** Which SHELL is in force at an instruction: the last `SHELL` before it in its stage chain. */
function shellAt(reading: Reading, target: ReadInstruction): readonly string[] {
  const stages = stagesOf(reading);
  const stage = stages.find((s) => s.instructions.some((r) => r === target || r.trigger === target));
  if (!stage) return POSIX_SHELL;
  const chain = chainOf(stages, stage);
  let shell = defaultShell(chain[0]!.from.args[0] ?? '');
  for (const s of chain) {
    for (const r of s.instructions) {
      if (r === target || r.trigger === target) return shell;
      if (r.name === 'SHELL' && r.json) shell = r.args;
    }
  }
  return shell;
}

/**
 * Exec-form fixes: never offered on what BuildKit already reads as a JSON array (well-formed, or refused as
 * one, or one it could not parse, which its author meant as exec form), and the array BuildKit reads
 * afterwards is what the shell would have run: the plain words, or `/bin/sh -c <the logical line>`; and
 * the shell in force was /bin/sh -c.
 */
export function execForm(a: Applied): string[] {
  const problems: string[] = [];
  const refusal = a.before.refusal;
  const lineOf = (offset: number) => a.analysis.model.document.positionAt(offset).line;
  if (a.diff.touched.length === 0 && refusal && a.spans.every((s) => refusal.startLine <= lineOf(s.start) && lineOf(s.end) <= refusal.endLine)) {
    return [`offered on lines ${refusal.startLine + 1}–${refusal.endLine + 1}, which BuildKit refuses ("${refusal.message}")${/JSON/.test(refusal.message) ? ': it reads them as a JSON array already' : ''}`];
  }
  if (a.diff.touched.length !== 1 || a.diff.changed.length !== 1) return [`edits ${a.diff.touched.length} instructions into ${a.diff.changed.length}, not one into one`];
  const was = inner(a.diff.touched[0]!);
  const now = inner(a.diff.changed[0]!);
  if (was.json) problems.push(`offered on ${describe(was)}, which BuildKit already reads as exec form`);
  if (now.name !== was.name || !same(now.flags.map((f) => f.text), was.flags.map((f) => f.text))) problems.push(`turns ${describe(was)} into ${describe(now)}`);
  if (!now.json) problems.push(`BuildKit does not read the result as exec form: ${describe(now)}`);
  const throughShell = /\/bin\/sh -c/.test(a.fix.title);
  const line = was.args[0] ?? '';
  const expected = throughShell ? [...POSIX_SHELL, line] : plainWords(line);
  if (/^\[/.test(line)) problems.push(`offered on \`${line}\`, a JSON array BuildKit could not parse: its author meant exec form, and this keeps the brackets and quotes as words (json-array-invalid's rewrite is the one that applies)`);
  if (!expected) problems.push(`offered as plain words on \`${line}\`, which the shell does not run as one plain command`);
  else if (now.json && !same(now.args, expected)) problems.push(`BuildKit reads ${show(now.args)}; the shell form ran ${throughShell ? show(expected) : `the words ${show(expected)}`}`);
  if (a.kase.focus?.execArgs && now.json && !same(now.args, a.kase.focus.execArgs)) problems.push(`written back as ${show(now.args)}, not the original ${show(a.kase.focus.execArgs)}`);
  const shell = shellAt(a.before, was);
  if (!same(shell, POSIX_SHELL)) problems.push(`the shell form ran under ${show(shell)}, but the fix assumes /bin/sh -c`);
  return problems;
}

export interface ProcessOutcome {
  readonly problems: string[];
  /** The process could not be compared: it starts through the base image's ENTRYPOINT, which the file does not show. */
  readonly unverifiable: boolean;
}

/**
 * For a safe exec-form fix: every stage's container starts the same process, with `/bin/sh -c "<plain
 * words>"` seen through. That is what "exec form" promises beyond the array: an ENTRYPOINT that now takes
 * the CMD as arguments, or an exec-form ENTRYPOINT that now gets words instead of `/bin/sh -c …`, runs
 * something else.
 */
export function sameProcess(a: Applied): ProcessOutcome {
  const problems: string[] = [];
  let unverifiable = false;
  const after = configsOf(a.after);
  configsOf(a.before).forEach((config, i) => {
    const then = startedProcess(config);
    const now = startedProcess(after[i]!);
    if (same(then, now)) return;
    if (then.includes(BASE_ENTRYPOINT)) unverifiable = true;
    else problems.push(`stage ${i}'s container started ${show(then)} and now starts ${show(now)}`);
  });
  return { problems, unverifiable };
}

// ——— Property 3: reorder ———

interface CopyAt {
  readonly r: ReadInstruction;
  readonly key: string;
  readonly flags: readonly string[];
  readonly sources: readonly string[];
  readonly dest: string;
}

function copyOf(r: ReadInstruction): CopyAt {
  const words = r.args.filter((w) => !w.startsWith('<<'));
  const flags = r.flags.map((f) => f.text).sort();
  const dest = words.at(-1) ?? '';
  const sources = words.slice(0, -1);
  return { r, key: JSON.stringify([r.name, flags, sources, dest]), flags, sources, dest };
}

const copiesIn = (s: StageReading) => s.instructions.filter((r) => r.name === 'COPY' || r.name === 'ADD').map(copyOf);
const unquote = (w: string) => w.replace(/^(["'])(.*)\1$/, '$2');
const MOVABLE = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE']);
/** What each installer writes into the project folder, which a COPY of the context after it would overwrite. */
const OUTPUTS: readonly [RegExp, string][] = [
  [/^(?:npm|yarn|pnpm)$/, 'node_modules'],
  [/^composer$/, 'vendor'],
  [/^cargo$/, 'target'],
];

/**
 * The reorder fix (`copy-before-dependency-install`). What it really does: the broad `COPY <flags> . <dest>`
 * is rewritten in place to `COPY <flags> <manifests> <dest>/`, and the broad line is inserted again right
 * after the install's RUN. So, stage by stage, the COPY/ADD instructions (flags, sources, destination)
 * after the fix are those before plus exactly one: the narrow COPY, in the broad one's stage, with its
 * flags and destination folder and only top-level manifests the context has (not left out by
 * `.dockerignore`, files). The instruction order is the old one with the broad COPY moved to just after the
 * install, past nothing but the install, ENV, ARG, LABEL and EXPOSE. The files that reach the image are
 * the same: the broad COPY still copies everything, the manifests included, to the same place, and it
 * now comes after the install, so it must not bring a folder the install writes (node_modules, vendor,
 * target) or depend on a variable set by what it moved past. And the install, now run with the manifests
 * only, must not read anything else: a `-r` file, a file a requirements file names, the project itself
 * (`pip install .`, `-e .`, poetry without `--no-root`), or package.json lifecycle scripts.
 */
export function reorder(a: Applied): string[] {
  const problems: string[] = [];
  const before = stagesOf(a.before);
  const after = stagesOf(a.after);
  if (before.length !== after.length) return [`the file had ${before.length} stages and has ${after.length}`];
  const data = a.item.finding.data as { installLine?: number; copyLine?: number } | undefined;
  const facts = a.kase.options.context?.buildContext;
  let narrow: CopyAt | undefined;
  let stageAt = -1;
  before.forEach((stage, i) => {
    const was = copiesIn(stage).map((c) => c.key);
    const now = copiesIn(after[i]!);
    const left = [...was];
    const extra: CopyAt[] = [];
    for (const c of now) {
      const k = left.indexOf(c.key);
      if (k === -1) extra.push(c);
      else left.splice(k, 1);
    }
    for (const gone of left) problems.push(`stage ${i} lost ${gone}`);
    if (extra.length > 1 || (extra.length === 1 && narrow)) problems.push(`stage ${i} gained ${extra.map((c) => c.key).join(', ')}`);
    if (extra.length === 1 && !narrow) {
      narrow = extra[0];
      stageAt = i;
    }
  });
  if (!narrow) {
    // No manifest COPY added: right only when an earlier COPY of the stage already put every manifest in
    // the broad COPY's folder, and the broad COPY just moved past the install.
    const at = before.findIndex((s) => s.instructions.some((r) => r.startLine === data?.copyLine));
    const home = before[at];
    const wide = home?.instructions.find((r) => r.startLine === data?.copyLine);
    const run = home?.instructions.find((r) => r.startLine === data?.installLine);
    if (!home || !wide || !run) return [...problems, 'no narrower COPY of the manifests was added'];
    const from = home.instructions.indexOf(wide);
    const to = home.instructions.indexOf(run);
    const order = home.instructions.map(readKey);
    order.splice(to + 1, 0, readKey(wide));
    order.splice(from, 1);
    if (!same(after[at]!.instructions.map(readKey), order)) problems.push(`stage ${at} is not the old one with the broad COPY moved after the install`);
    for (const r of home.instructions.slice(from + 1, to)) if (!MOVABLE.has(r.name)) problems.push(`the broad COPY was moved past ${describe(r)}`);
    // Folders resolved against the stage's WORKDIR (one the stage does not set is kept as a marker).
    const dirs = new Map<ReadInstruction, string>();
    let workdir = '/⟨base⟩';
    for (const r of home.instructions.slice(0, from + 1)) {
      if (r.name === 'WORKDIR') workdir = absolute(unquote(r.args[0] ?? ''), workdir) ?? workdir;
      if (r.name === 'COPY' || r.name === 'ADD') dirs.set(r, absolute(unquote(copyOf(r).dest), workdir) ?? copyOf(r).dest);
    }
    const dir = (r: ReadInstruction) => dirs.get(r)!;
    const earlier = home.instructions.slice(0, from).filter((r) => (r.name === 'COPY' || r.name === 'ADD') && r.flags.every((f) => !f.text.startsWith('--from'))).map(copyOf);
    const wideDir = dir(wide);
    const manifests = (a.item.finding.data as { manifests?: string[] } | undefined)?.manifests ?? [];
    const main = manifests[0];
    const has = (m: string) => earlier.some((c) => dir(c.r) === wideDir && c.sources.map(unquote).some((x) => x.replace(/^\.\//, '') === m || globPattern(m).test(x.replace(/^\.\//, '')) || globPattern(x.replace(/^\.\//, '')).test(m)));
    if (!main || !has(main)) problems.push(`the broad COPY only moved, but no earlier COPY to ${wideDir} copies ${main ?? 'the manifests'}: no narrower COPY of the manifests was added`);
    return problems;
  }
  const stageBefore = before[stageAt]!;
  const broad = stageBefore.instructions.find((r) => r.startLine === data?.copyLine);
  const install = stageBefore.instructions.find((r) => r.startLine === data?.installLine);
  if (!broad || !install) return [...problems, `the finding's broad COPY (line ${(data?.copyLine ?? -1) + 1}) or install (line ${(data?.installLine ?? -1) + 1}) is not in stage ${stageAt}`];
  const wide = copyOf(broad);
  // The narrow COPY: same flags, the destination as a folder, only manifests at the top of the context.
  if (!same(narrow.flags, wide.flags)) problems.push(`the manifest COPY has flags ${show(narrow.flags)}, the broad one ${show(wide.flags)}`);
  const destDir = /[/\\]["']?$/.test(wide.dest) ? wide.dest : `${wide.dest}/`;
  if (narrow.dest !== destDir) problems.push(`the manifests go to ${narrow.dest}, the broad COPY put them in ${destDir}`);
  for (const source of narrow.sources.map(unquote)) {
    if (source.includes('/') || source === '.' || source.includes('..') || source === '*') {
      problems.push(`\`${source}\` is not a single top-level manifest`);
      continue;
    }
    const glob = /[*?[]/.test(source);
    if (facts?.files && !glob && !facts.files.includes(source)) problems.push(`\`${source}\` is not in the build context`);
    if (facts?.isIgnored?.(source)) problems.push(`\`${source}\` is left out by .dockerignore, so the new COPY fails the build`);
    if (a.kase.contextDir && !glob && lstatSync(join(a.kase.contextDir, source), { throwIfNoEntry: false })?.isDirectory()) problems.push(`\`${source}\` is a folder, not a manifest`);
  }
  // The order: the broad COPY moved to just after the install; the narrow one where it was.
  const keys = (s: StageReading) => s.instructions.map(readKey);
  const expected = keys(stageBefore);
  const from = stageBefore.instructions.indexOf(broad);
  const to = stageBefore.instructions.indexOf(install);
  const passed = stageBefore.instructions.slice(from + 1, to);
  for (const r of passed) if (!MOVABLE.has(r.name)) problems.push(`the broad COPY was moved past ${describe(r)}`);
  expected.splice(to + 1, 0, readKey(broad));
  expected.splice(from, 1, readKey(narrow.r));
  if (!same(keys(after[stageAt]!), expected)) problems.push(`stage ${stageAt} is not the old one with the broad COPY moved after the install`);
  // Manifests an earlier COPY of the stage already put there need no second COPY: then the broad one only has to move.
  const earlier = stageBefore.instructions.slice(0, from).filter((r) => r.name === 'COPY' || r.name === 'ADD').map(copyOf);
  const dir = (d: string) => unquote(d).replace(/\/+$/, '') || '/';
  const already = narrow.sources.filter((m) => earlier.some((c) => c.flags.every((f) => !f.startsWith('--from')) && dir(c.dest) === dir(narrow!.dest) && c.sources.map(unquote).includes(unquote(m))));
  if (already.length === narrow.sources.length) problems.push(`${describe(earlier.find((c) => c.sources.map(unquote).includes(unquote(already[0]!)))!.r)} already copies ${already.join(' ')}: the fix adds the same COPY again instead of only moving the broad one`);
  // Variables the moved COPY reads must not be set by what it moved past.
  for (const r of passed.filter((p) => p.name === 'ENV' || p.name === 'ARG')) {
    const names = r.name === 'ENV' ? r.args.filter((_, i) => i % 3 === 0) : r.args.map((w) => w.replace(/=.*$/s, ''));
    for (const name of names) if (new RegExp(`\\$\\{?${name}\\b`).test(broad.line)) problems.push(`the moved COPY reads $${name}, which ${describe(r)} sets`);
  }
  // What the install needs and writes.
  const copied = narrow.sources.map((s) => globPattern(unquote(s)));
  const covered = (file: string) => copied.some((re) => re.test(file.replace(/^\.\//, '')));
  const readText = (file: string) => {
    if (!a.kase.contextDir) return undefined;
    try {
      return readFileSync(join(a.kase.contextDir, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  for (const words of runCommands(install) ?? []) {
    const { name, at } = program(words);
    const args = words.slice(at + 1);
    if (/^pip3?(?:\.\d+)?$/.test(name) || (/^python/.test(name) && args[0] === '-m' && args[1] === 'pip')) {
      const rest = /^python/.test(name) ? args.slice(2) : args;
      if (rest[0] !== 'install') continue;
      const files: string[] = [];
      rest.forEach((w, i) => {
        if ((w === '-r' || w === '--requirement' || w === '-c' || w === '--constraint') && rest[i + 1]) files.push(rest[i + 1]!);
        const joined = /^(?:-r|-c|--requirement=|--constraint=)(.+)$/.exec(w);
        if (joined) files.push(joined[1]!);
      });
      const valued = new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--platform', '--python-version', '--implementation', '--abi']);
      const local = rest.slice(1).filter((w, i, all) => !w.startsWith('-') && !valued.has(all[i - 1] ?? '') && /^(?:\.|\/|file:)/.test(w));
      for (const w of local) problems.push(`\`${name} install ${w}\` installs the project itself, which is no longer there`);
      if (rest.some((w) => w === '-e' || w === '--editable')) problems.push(`\`${name} install -e\` needs the sources, which come after it now`);
      const queue = [...files];
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        if (!covered(file)) {
          problems.push(`the install reads \`${file}\`, which the manifest COPY does not copy`);
          continue;
        }
        for (const line of (readText(file) ?? '').split(/\r?\n/)) {
          const nested = /^\s*(?:-r|-c|--requirement|--constraint)[\s=]+(\S+)/.exec(line);
          if (nested) queue.push(join(file, '..', nested[1]!).replace(/^\.\//, ''));
          if (/^\s*(?:-e|--editable)\s+(?:\.|\/|file:)|^\s*(?:\.\.?\/|\/|file:)|^\s*\.\s*$/.test(line)) problems.push(`\`${file}\` installs a local path (\`${line.trim()}\`), which is not copied before the install any more`);
        }
      }
    }
    if (name === 'poetry' && args[0] === 'install' && !args.includes('--no-root')) problems.push('`poetry install` without `--no-root` installs the project itself, which is not copied before it any more');
    if (/^(?:npm|yarn|pnpm)$/.test(name) && !args.includes('--ignore-scripts')) {
      try {
        const scripts = (JSON.parse(readText('package.json') ?? '{}') as { scripts?: Record<string, string> }).scripts ?? {};
        for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) if (scripts[hook]) problems.push(`\`${name} ${args[0] ?? ''}\` runs the package's ${hook} script (\`${scripts[hook]}\`) with only the manifests present`);
      } catch {
        // An unreadable package.json fails the install either way.
      }
      // Without a lock file in the context `npm ci` failed before the fix too; with one, it must be copied first.
      const locks = (facts?.files ?? []).filter((f) => /^(?:package-lock|npm-shrinkwrap)\.json$/.test(f) && !facts?.isIgnored?.(f));
      if (name === 'npm' && args[0] === 'ci' && locks.length > 0 && !locks.some(covered)) problems.push(`\`npm ci\` needs ${locks.join(' or ')}, which the manifest COPY does not copy`);
    }
    for (const [re, folder] of OUTPUTS) {
      if (!re.test(name) || !facts?.paths?.has(folder) || facts.isIgnored?.(folder)) continue;
      problems.push(`the broad COPY now comes after \`${name}\` and overwrites the ${folder} it installed with the context's own (not in .dockerignore)`);
    }
  }
  return problems;
}

// ——— Property 4: the new user can write where the application writes ———

const WORLD_WRITABLE = /^\/(?:tmp|var\/tmp|dev\/shm)(?:\/|$)/;
/** Folders of the system the fix does not hand over (its docs: "not of the application"). */
const SYSTEM = /^\/(?:$|(?:etc|usr|bin|sbin|lib|lib32|lib64|libx32|proc|sys|dev|run|var\/run|root|boot)(?:\/|$))/;
const KNOWN_HOMES: Readonly<Record<string, string>> = { node: '/home/node', nonroot: '/home/nonroot', '65532': '/home/nonroot' };

const absolute = (path: string, workdir: string | undefined): string | undefined => {
  if (path.includes('$')) return undefined;
  const joined = path.startsWith('/') ? path : workdir === undefined ? undefined : `${workdir.replace(/\/$/, '')}/${path}`;
  if (joined === undefined) return undefined;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
};
const under = (path: string, folder: string) => path === folder || path.startsWith(`${folder.replace(/\/$/, '')}/`);

export interface UserOutcome {
  readonly problems: string[];
  /** Folders the user cannot be shown to write to, for an unsafe fix: left to the reviewer. */
  readonly gaps: string[];
}

/**
 * Add-USER fixes (`runs-as-root`): after the fix, the final stage's container runs as the new user, and
 * every folder the application may write to is writable by it: each WORKDIR and `mkdir` folder of the
 * final stage made before the USER, and each VOLUME of its chain, must be `chown`ed to the user before
 * the USER (recursively from a parent, or itself after it was made), lie under the user's home (made by
 * `useradd -m`/`adduser`, or the base's for node and distroless' nonroot), or be world-writable (/tmp).
 * When not, a safe fix breaks its promise; an unsafe one leaves it to the reviewer (`gaps`), except that
 * where the fix writes RUN lines (so it counts on a shell) its own docs promise to chown every literal
 * WORKDIR, VOLUME and mkdir folder outside the system folders. A folder the fix chowns must exist by
 * then: VOLUME does not create it (BuildKit only records it), so `chown` of a folder nothing made fails.
 */
export function addUser(a: Applied): UserOutcome {
  const problems: string[] = [];
  const gaps: string[] = [];
  const stages = stagesOf(a.after);
  const index = typeof a.item.finding.data?.stage === 'number' ? a.item.finding.data.stage : stages.length - 1;
  const final = stages[index];
  if (!final) return { problems: [`there is no stage ${index} after the fix`], gaps };
  const chain = chainOf(stages, final);
  const all = chain.flatMap((s) => s.instructions.map((r) => ({ stage: s, r })));
  const users = all.filter(({ r }) => r.name === 'USER');
  const last = users.at(-1);
  const spec = last?.r.args[0]?.trim() ?? '';
  if (!last || /^(?:root|0)(?::|$)/.test(spec)) return { problems: [`the final stage still runs as ${spec || 'root'}`], gaps };
  const user = spec.split(':')[0]!;
  const userAt = all.indexOf(last);
  // Where the fix writes RUN lines it counts on a shell, and its docs promise the chowns.
  const promised = a.diff.changed.some((r) => r.name === 'RUN');

  let home = KNOWN_HOMES[user];
  let workdir: string | undefined;
  const made: { path: string; at: number; how: string }[] = [];
  const chowns: { path: string; at: number; recursive: boolean }[] = [];
  const volumes: { path: string; at: number }[] = [];
  const unknown: string[] = [];
  all.forEach(({ stage, r }, at) => {
    if (r.name === 'WORKDIR') {
      const path = absolute(r.args[0]?.replace(/^["']|["']$/g, '') ?? '', workdir);
      workdir = path;
      if (stage !== final || at > userAt) return;
      if (path) made.push({ path, at, how: 'WORKDIR' });
      else unknown.push(`WORKDIR ${r.args[0]}`);
    } else if (r.name === 'VOLUME') {
      for (const v of r.args) {
        const path = absolute(unquote(v), workdir);
        if (path) volumes.push({ path, at });
        else unknown.push(`VOLUME ${v}`);
      }
    } else if (r.name === 'COPY' || r.name === 'ADD') {
      const dest = copyOf(r).dest;
      const path = absolute(unquote(dest), workdir);
      if (path) made.push({ path: /\/$/.test(dest) ? path : path.replace(/\/[^/]*$/, '') || '/', at, how: 'copy' });
    } else if (r.name === 'RUN') {
      for (const words of runCommands(r) ?? []) {
        const { name, at: p } = program(words);
        const args = words.slice(p + 1);
        if (name === 'mkdir') {
          const dirs = args.filter((w, i) => !w.startsWith('-') && args[i - 1] !== '-m' && args[i - 1] !== '--mode');
          for (const d of dirs) {
            const path = absolute(d, workdir);
            if (!path) {
              if (stage === final && at < userAt) unknown.push(`mkdir ${d}`);
              continue;
            }
            made.push({ path, at, how: stage === final && at < userAt ? 'mkdir' : 'copy' });
          }
        } else if (name === 'chown' && at < userAt) {
          const ops = operandsOf(args);
          const owner = ops[0]?.split(/[:.]/)[0];
          if (owner !== user) continue;
          const recursive = args.some((w) => /^-[a-zA-Z]*R/.test(w) || w === '--recursive');
          for (const target of ops.slice(1)) {
            const path = absolute(target, workdir);
            if (path) chowns.push({ path, at, recursive });
          }
        } else if ((name === 'useradd' || name === 'adduser') && operandsOf(args).at(-1) === user) {
          const value = (short: string, long: string) => {
            const i = args.findIndex((w) => w === short || w === long);
            return i === -1 ? args.find((w) => w.startsWith(`${long}=`))?.slice(long.length + 1) : args[i + 1];
          };
          const creates = name === 'useradd' ? args.some((w) => w === '-m' || w === '--create-home' || /^-[a-zA-Z]*m/.test(w)) : !args.some((w) => w === '-H' || w === '--no-create-home');
          if (creates) home = value(name === 'useradd' ? '-d' : '-h', name === 'useradd' ? '--home-dir' : '--home') ?? `/home/${user}`;
        }
      }
    }
  });
  const folders = [...made.filter((m) => m.how !== 'copy'), ...volumes.map((v) => ({ ...v, how: 'VOLUME' }))];
  // Chowned after it was made: itself, or from a parent with -R.
  const writable = (path: string, at: number) =>
    WORLD_WRITABLE.test(path) || (home !== undefined && under(path, home)) || chowns.some((c) => c.at >= at && (c.path === path || (c.recursive && under(path, c.path))));
  const seen = new Set<string>();
  for (const { path, at, how } of folders) {
    if (seen.has(path)) continue;
    seen.add(path);
    if (writable(path, at)) continue;
    const gap = `${how} ${path} stays root's: ${user} cannot write there`;
    gaps.push(gap);
    if (a.fix.safe) problems.push(gap);
    else if (promised && !SYSTEM.test(path)) problems.push(`${gap} (the fix's docs promise to chown the WORKDIR, VOLUME and mkdir folders)`);
  }
  for (const what of unknown) {
    gaps.push(`${what}: where it is cannot be told from the file`);
    if (a.fix.safe) problems.push(`${what}: a safe fix must not leave a folder it cannot place to chance`);
  }
  // A folder a chown of the fix names must have been made by then (by WORKDIR, COPY, or mkdir, in that RUN or before).
  for (const r of a.diff.changed.filter((x) => x.name === 'RUN')) {
    for (const words of runCommands(r) ?? []) {
      const { name, at } = program(words);
      if (name !== 'chown') continue;
      for (const target of operandsOf(words.slice(at + 1)).slice(1)) {
        const exists = made.some((m) => under(m.path, target));
        if (!exists && volumes.some((v) => v.path === target)) problems.push(`the fix chowns ${target}, which only VOLUME names: VOLUME does not create it, so \`chown\` fails the build unless the base image has it`);
      }
    }
  }
  return { problems, gaps };
}

// ——— Property 6: did you mean ———

/**
 * `copy-source-missing`'s suggestion is a path of the build context of the same kind as the source:
 * a folder for a source written with a trailing `/` (or made from a folder), a file for one made from a
 * file; and it is not a path `.dockerignore` leaves out (the build would fail the same way).
 */
export function didYouMean(a: Applied): string[] {
  const problems: string[] = [];
  const [edit] = a.spans;
  if (a.spans.length !== 1 || !edit) return [`${a.spans.length} edits, not one`];
  const original = unquote(a.analysis.model.document.getText().slice(edit.start, edit.end));
  const suggestion = unquote(edit.newText);
  const path = suggestion.replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '').replace(/\/+$/, '');
  const wanted = /\/$/.test(original) ? 'folder' : a.kase.focus?.kind;
  const facts = a.kase.options.context?.buildContext;
  if (facts?.paths && !facts.paths.has(path)) problems.push(`suggests \`${suggestion}\`, which is not in the build context either`);
  if (facts?.isIgnored?.(path)) problems.push(`suggests \`${suggestion}\`, which .dockerignore leaves out: the build fails the same way`);
  const stat = a.kase.contextDir ? lstatSync(join(a.kase.contextDir, path), { throwIfNoEntry: false }) : undefined;
  const kind = stat ? (stat.isDirectory() ? 'folder' : 'file') : facts?.paths ? ([...facts.paths].some((p) => p.startsWith(`${path}/`)) ? 'folder' : undefined) : undefined;
  if (wanted && kind && kind !== wanted) problems.push(`\`${original}\` is a ${wanted}, but the suggestion \`${suggestion}\` is a ${kind}`);
  // BuildKit reads the same COPY with that one source changed.
  if (a.diff.touched.length === 1 && a.diff.changed.length === 1) {
    const b = inner(a.diff.touched[0]!);
    const c = inner(a.diff.changed[0]!);
    const i = b.args.findIndex((w) => unquote(w) === original);
    const expected = b.args.map((w, k) => (k === i ? (b.json ? suggestion : edit.newText) : w));
    if (c.json !== b.json) problems.push(`BuildKit read ${describe(b)} as ${b.json ? 'a JSON array' : 'shell words'} and reads ${describe(c)} as ${c.json ? 'a JSON array' : 'shell words'}`);
    else if (i === -1 || !same(c.args, expected) || !same(c.flags.map((f) => f.text), b.flags.map((f) => f.text))) problems.push(`${describe(b)} became ${describe(c)}, not the same with \`${suggestion}\` for \`${original}\``);
  } else problems.push(`edits ${a.diff.touched.length} instructions into ${a.diff.changed.length}, not one into one`);
  return problems;
}

// ——— Property 5: safe fixes change only what their title names ———

type SafeCheck = (a: Applied, was: readonly ReadInstruction[], now: readonly ReadInstruction[]) => string[];

/** Exactly one instruction in, one out, of one of these kinds. */
function oneToOne(was: readonly ReadInstruction[], now: readonly ReadInstruction[], names: readonly string[]): [ReadInstruction, ReadInstruction] | string {
  if (was.length !== 1 || now.length !== 1) return `edits ${was.length} instructions into ${now.length}, not one into one`;
  const b = inner(was[0]!);
  const c = inner(now[0]!);
  if (!names.includes(b.name)) return `edits ${describe(b)}, not ${names.join('/')}`;
  return [b, c];
}

/** The instruction with some of its parts normalised, for "equal but for …". */
function keyWith(r: ReadInstruction, change: Partial<Pick<ReadInstruction, 'keyword' | 'args'>> & { flags?: readonly string[] }): string {
  return JSON.stringify([change.keyword ?? r.keyword, change.flags ?? r.flags.map((f) => f.text), change.args ?? r.args, r.json, r.heredocs.map((h) => [h.name, h.content]), r.trigger ? readKey(r.trigger) : null]);
}

function pairCheck(names: readonly string[], check: (b: ReadInstruction, c: ReadInstruction, a: Applied) => string[]): SafeCheck {
  return (a, was, now) => {
    const pair = oneToOne(was, now, names);
    return typeof pair === 'string' ? [pair] : check(pair[0], pair[1], a);
  };
}

/** The commands of a RUN before and after, which must differ in exactly one command, by exactly one inserted word. */
function insertedWord(b: ReadInstruction, c: ReadInstruction, word: string, where: (words: readonly string[], at: number) => string | undefined): string[] {
  const was = runCommands(b);
  const now = runCommands(c);
  if (!was || !now) return [`the RUN's script cannot be read before or after (${describe(b)} → ${describe(c)})`];
  if (was.length !== now.length) return [`the RUN had ${was.length} commands and has ${now.length}`];
  const changed = was.map((w, i) => [w, now[i]!] as const).filter(([w, n]) => !same(w, n));
  if (changed.length !== 1) return [`${changed.length} commands of the RUN changed, not one`];
  const [w, n] = changed[0]!;
  const at = n.findIndex((x, i) => x !== w[i]);
  if (n[at] !== word || !same([...n.slice(0, at), ...n.slice(at + 1)], w)) return [`\`${w.join(' ')}\` became \`${n.join(' ')}\`, not the same with ${word} added`];
  const misplaced = where(w, at);
  return misplaced ? [misplaced] : [];
}

const VERB_INDEX = (words: readonly string[], verbs: readonly string[]) => words.findIndex((x, i) => i > program(words).at && verbs.includes(x));

/** apt and apt-get do the same for these verbs; `apt upgrade` also installs new dependencies, which `apt-get upgrade` holds back. */
const APT_SAME = new Set(['install', 'update', 'remove', 'purge', 'autoremove']);
/** apt's subcommand, skipping options and the values of `-o`, `-c`, `-t`. */
function aptVerb(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (['-o', '-c', '-t', '--option', '--config-file', '--target-release'].includes(args[i]!)) i++;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return '';
}

/** What the cache clean-ups append, as commands. */
const LISTS = /^\/var\/lib\/apt\/lists(?:\/|$)/;

/** Later RUNs of the stage, and of the stages built on it, that read the apt lists an earlier RUN left. */
function laterListReaders(reading: Reading, fixedRun: ReadInstruction): string[] {
  const stages = stagesOf(reading);
  const home = stages.find((s) => s.instructions.includes(fixedRun));
  if (!home) return [];
  const problems: string[] = [];
  const walk = (instructions: readonly ReadInstruction[]) => {
    for (const r of instructions) {
      if (r.name !== 'RUN') continue;
      if (r.flags.some((f) => /type=cache/.test(f.text) && /target=\/var\/lib\/apt/.test(f.text))) continue;
      for (const words of runCommands(r) ?? []) {
        const { name, at } = program(words);
        const verb = operandsOf(words.slice(at + 1))[0];
        if ((name === 'apt-get' || name === 'apt') && verb === 'update') return;
        if (name === 'rm' && words.some((w) => LISTS.test(w))) return;
        if (((name === 'apt-get' || name === 'apt') && ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'source', 'build-dep', 'download'].includes(verb ?? '')) || (name === 'apt-cache' && verb !== 'gencaches')) {
          problems.push(`${describe(r)} runs \`${words.slice(at, at + 3).join(' ')}\` without \`apt-get update\`, on the lists this fix deletes`);
          return;
        }
      }
    }
  };
  walk(home.instructions.slice(home.instructions.indexOf(fixedRun) + 1));
  for (const s of stages) if (s !== home && chainOf(stages, s).includes(home)) walk(s.instructions);
  return problems;
}

/** ADD's flags that COPY refuses (BuildKit: "unknown flag"). */
const ADD_ONLY_FLAGS = /^--(?:checksum|keep-git-dir|unpack)(?:=|$)/;

/** Whether a local file is an archive ADD would unpack (tar, or gzip/bzip2/xz/zstd, which ADD tries as tar). */
function looksLikeArchive(file: string): boolean {
  try {
    const head = Buffer.alloc(512);
    const fd = openSync(file, 'r');
    readSync(fd, head, 0, 512, 0);
    closeSync(fd);
    if (head.subarray(257, 262).toString('latin1') === 'ustar') return true;
    return (head[0] === 0x1f && head[1] === 0x8b) || head.subarray(0, 3).toString('latin1') === 'BZh' || (head[0] === 0xfd && head.subarray(1, 6).toString('latin1') === '7zXZ\u0000') || (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd);
  } catch {
    return false;
  }
}

export interface SafeRule {
  readonly rule: string;
  /** My verdict on marking the fix safe, and why; the check enforces what the verdict rests on. */
  readonly verdict: string;
  readonly title: RegExp;
  readonly check: SafeCheck;
}

/**
 * Every rule whose fix is marked safe, with what its title names and the invariant that makes it safe.
 * A safe fix of a rule not listed here fails the test: someone must first say what it may change.
 */
export const SAFE_FIXES: readonly SafeRule[] = [
  {
    rule: 'instruction-casing',
    verdict: 'safe: BuildKit reads keywords case-insensitively',
    title: /^Write [A-Za-z]+$/,
    check: (a, was, now) => {
      if (was.length !== 1 || now.length !== 1) return [`edits ${was.length} instructions into ${now.length}, not one into one`];
      // An ONBUILD's own keyword, or its trigger's.
      const outer = was[0]!.keyword !== now[0]!.keyword;
      const b = outer ? was[0]! : inner(was[0]!);
      const c = outer ? now[0]! : inner(now[0]!);
      const expected = a.fix.title.slice('Write '.length);
      if (c.keyword !== expected) return [`the keyword is \`${c.keyword}\`, the title says ${expected}`];
      // On FROM the AS word may follow the keyword's case (from-as-casing asks for it; BuildKit reads it case-insensitively).
      const as = expected === expected.toUpperCase() ? 'AS' : 'as';
      const recased = b.name === 'FROM' && b.args[1]?.toLowerCase() === 'as' ? b.args.map((w, i) => (i === 1 ? as : w)) : b.args;
      return keyWith(b, { keyword: expected }) === readKey2(c) || keyWith(b, { keyword: expected, args: recased }) === readKey2(c) ? [] : [`more than the keyword changed: ${describe(b)} → ${describe(c)}`];
    },
  },
  {
    rule: 'from-as-casing',
    verdict: 'safe: AS is read case-insensitively',
    title: /^Write (?:AS|as)$/,
    check: pairCheck(['FROM'], (b, c) => {
      const expected = b.args.map((w, i) => (i === 1 ? c.args[1] ?? w : w));
      return c.args[1]?.toLowerCase() === 'as' && keyWith(b, { args: expected }) === readKey2(c) ? [] : [`${describe(b)} became ${describe(c)}`];
    }),
  },
  {
    rule: 'stage-name-casing',
    verdict: 'safe: BuildKit lower-cases stage names, in FROM, --from and mount from= alike',
    title: /^Rename the stage to /,
    check: (_a, was, now) => {
      if (was.length !== now.length) return [`edits ${was.length} instructions into ${now.length}`];
      const lowered = (r: ReadInstruction) => {
        const x = inner(r);
        const args = x.name === 'FROM' ? x.args.map((w, i) => (i === 0 || i === 2 ? w.toLowerCase() : w)) : x.args;
        const flags = x.flags.map((f) => f.text.replace(/((?:^--from=|[,=]?from=))([^,]*)/, (_m, p: string, v: string) => p + v.toLowerCase()));
        return keyWith(x, { args, flags });
      };
      return was.flatMap((b, i) => (lowered(b) === lowered(now[i]!) ? [] : [`${describe(b)} became ${describe(now[i]!)}, not only lower-cased`]));
    },
  },
  {
    rule: 'legacy-key-value',
    verdict: 'safe: BuildKit processes the legacy value and the quoted key=value value to the same string (quotes and escapes are refused)',
    title: /^Write \S+=…$/,
    check: pairCheck(['ENV', 'LABEL'], (b, c, a) => {
      const pairs = (r: ReadInstruction) => {
        const out: [string, string][] = [];
        for (let i = 0; i < r.args.length; i += 3) out.push([processed(r.args[i]!, a.before.escape), processed(r.args[i + 1] ?? '', a.before.escape)]);
        return out;
      };
      return same(pairs(b), pairs(c)) ? [] : [`BuildKit sets ${show(pairs(b).flat())} before and ${show(pairs(c).flat())} after`];
    }),
  },
  {
    rule: 'maintainer-deprecated',
    verdict: 'safe as titled: the image loses its deprecated Author field and gains the label with the same text, which the title names',
    title: /^Replace with LABEL org\.opencontainers\.image\.authors$/,
    check: pairCheck(['MAINTAINER'], (b, c, a) => {
      if (c.name !== 'LABEL' || c.args.length !== 3 || c.args[0] !== 'org.opencontainers.image.authors') return [`became ${describe(c)}`];
      const value = processed(c.args[1]!, a.before.escape);
      return value === b.args[0] ? [] : [`the label reads \`${value}\`, MAINTAINER was \`${b.args[0]}\``];
    }),
  },
  {
    rule: 'add-local-file',
    verdict: 'safe when no source is an archive and no flag is ADD-only; only the name of the source is checked by the rule, so the content is checked here',
    title: /^Use COPY$/,
    check: pairCheck(['ADD'], (b, c, a) => {
      const problems: string[] = [];
      if (c.name !== 'COPY' || keyWith(b, { keyword: c.keyword }) !== readKey2(c)) problems.push(`${describe(b)} became ${describe(c)}`);
      for (const f of b.flags) if (ADD_ONLY_FLAGS.test(f.text)) problems.push(`COPY refuses ADD's flag ${f.text}`);
      const facts = a.kase.options.context?.buildContext;
      if (a.kase.contextDir && facts?.paths) {
        for (const source of copyOf(b).sources.map(unquote)) {
          const path = source.replace(/^(?:\.\/|\/)+/, '').replace(/\/+$/, '');
          const matches = /[*?[]/.test(path) ? [...facts.paths].filter((p) => globPattern(path).test(p)) : [path];
          for (const m of matches) {
            const file = join(a.kase.contextDir, m);
            if (lstatSync(file, { throwIfNoEntry: false })?.isFile() && looksLikeArchive(file)) problems.push(`\`${m}\` is an archive: ADD unpacks it, COPY does not`);
          }
        }
      }
      return problems;
    }),
  },
  {
    rule: 'copy-destination-not-directory',
    verdict: 'safe: the build failed before ("destination must be a directory"), the slash is all that changes',
    title: /^Add a trailing \/$/,
    check: pairCheck(['COPY', 'ADD'], (b, c) => {
      const args = [...b.args];
      const dest = args.pop() ?? '';
      return keyWith(b, { args: [...args, `${dest}/`] }) === readKey2(c) || keyWith(b, { args: [...args, dest.replace(/(["'])$/, '/$1')] }) === readKey2(c) ? [] : [`${describe(b)} became ${describe(c)}`];
    }),
  },
  {
    rule: 'expose-protocol-casing',
    verdict: 'safe as titled: the exposed port key changes from 80/TCP to 80/tcp, which is the change named',
    title: /^Write the protocol in lower case$/,
    check: pairCheck(['EXPOSE'], (b, c) => {
      // One finding per port: each fix lowers one protocol, and nothing else.
      const changed = b.args.filter((w, i) => c.args[i] !== w);
      const ok = c.args.length === b.args.length && changed.length === 1 && b.args.every((w, i) => c.args[i] === w || c.args[i] === w.replace(/\/[A-Za-z]+$/, (p) => p.toLowerCase()));
      return ok && keyWith(b, { args: c.args }) === readKey2(c) ? [] : [`${describe(b)} became ${describe(c)}`];
    }),
  },
  {
    rule: 'from-platform-redundant',
    verdict: 'safe: a stage is built for $TARGETPLATFORM anyway',
    title: /^Remove --platform=\$TARGETPLATFORM$/,
    check: pairCheck(['FROM'], (b, c) => {
      const flags = b.flags.map((f) => f.text).filter((f) => !/^--platform=\$\{?TARGETPLATFORM\}?$/.test(f));
      return flags.length === b.flags.length - 1 && keyWith(b, { flags }) === readKey2(c) ? [] : [`${describe(b)} became ${describe(c)}`];
    }),
  },
  {
    rule: 'instruction-repeated',
    verdict: 'safe: a later instruction of the same kind replaces it (ENTRYPOINT resets CMD only when the stage has not set one, which removing an earlier one does not change)',
    title: /^Remove the ignored (?:CMD|ENTRYPOINT|HEALTHCHECK)$/,
    check: (a, was, now) => {
      if (was.length !== 1 || now.length !== 0) return [`edits ${was.length} instructions into ${now.length}, not one into none`];
      const before = configsOf(a.before);
      const after = configsOf(a.after);
      return before.flatMap((config, i) => (same(config, after[i]) ? [] : [`stage ${i}'s ${show(Object.values(config).map(String))} became ${show(Object.values(after[i] ?? {}).map(String))}`]));
    },
  },
  {
    rule: 'cmd-shell-form',
    verdict: 'safe only when the container starts the same program with the same arguments; property 2 checks the array, this the process',
    title: /^Switch to exec form$/,
    check: (a) => sameProcess(a).problems,
  },
  {
    rule: 'apt-instead-of-apt-get',
    verdict: 'safe for install/update/remove/purge/autoremove; not for upgrade, where apt also installs new dependencies and apt-get holds those packages back',
    title: /^Use apt-get$/,
    check: pairCheck(['RUN'], (b, c) => {
      const was = runCommands(b);
      const now = runCommands(c);
      if (!was || !now || was.length !== now.length) return [`the RUN's commands changed in number: ${describe(b)} → ${describe(c)}`];
      return was.flatMap((w, i) => {
        const n = now[i]!;
        if (same(w, n)) return [];
        const { at } = program(w);
        if (w[at] !== 'apt' || n[at] !== 'apt-get' || !same([...w.slice(0, at), ...w.slice(at + 1)], [...n.slice(0, at), ...n.slice(at + 1)])) return [`\`${w.join(' ')}\` became \`${n.join(' ')}\``];
        const verb = aptVerb(w.slice(at + 1));
        return APT_SAME.has(verb) ? [] : [`\`apt ${verb}\` and \`apt-get ${verb}\` install different packages: apt ${verb} also installs new dependencies, apt-get ${verb} keeps those packages back`];
      });
    }),
  },
  {
    rule: 'package-install-without-yes',
    verdict: 'safe: the install either asks (and the build fails at the prompt) or installs the same packages',
    title: /^Add -[yn]$/,
    check: pairCheck(['RUN'], (b, c, a) => {
      const word = a.fix.title.slice('Add '.length);
      return insertedWord(b, c, word, (w, at) => {
        const zypper = program(w);
        if (word === '-n') return at === zypper.at + 1 ? undefined : `zypper's -n must come right after zypper, not at word ${at}`;
        return VERB_INDEX(w, ['install', 'groupinstall', 'localinstall', 'reinstall', 'in']) < at ? undefined : `${word} was put before the subcommand`;
      });
    }),
  },
  {
    rule: 'package-cache-not-cleaned',
    verdict: 'safe when only the cache goes: the same packages are installed, and no later RUN of the stage (or of a stage built on it) reads the apt lists without updating them first',
    title: /^Add (?:--no-cache|`.+` to this RUN)$/,
    check: pairCheck(['RUN'], (b, c, a) => {
      if (a.fix.title === 'Add --no-cache') return insertedWord(b, c, '--no-cache', (w, at) => (VERB_INDEX(w, ['add']) < at ? undefined : '--no-cache was put before `add`'));
      const appended = /^Add `(.+)` to this RUN$/.exec(a.fix.title)![1]!;
      const was = runCommands(b);
      const now = runCommands(c);
      const extra = runCommands({ ...b, rest: appended, json: false, heredocs: [] }) ?? [];
      if (!was || !now || !same(now, [...was, ...extra])) return [`the RUN's commands became ${show((now ?? []).map((w) => w.join(' ')))}, not the old ones followed by \`${appended}\``];
      if (!/&&\s*$/.test(c.rest.slice(0, c.rest.lastIndexOf(appended)))) return [`\`${appended}\` is not joined with && after the install's script`];
      return extra.some((w) => w.some((x) => LISTS.test(x))) ? laterListReaders(a.before, b) : [];
    }),
  },
  {
    rule: 'pip-no-cache-dir',
    verdict: 'safe: pip installs the same packages without keeping its download cache',
    title: /^Add --no-cache-dir$/,
    check: pairCheck(['RUN'], (b, c) => insertedWord(b, c, '--no-cache-dir', (w, at) => (VERB_INDEX(w, ['install']) < at ? undefined : '--no-cache-dir was put before `install`'))),
  },
  {
    rule: 'cmd-shell-form',
    verdict:
      'safe when the exec\'d command is the script\'s last, at top level, a program (not a builtin such as cd or wait, nor a function of the script) and no trap is set: the shell would have ended with its status anyway',
    title: /^Run the last command with exec$/,
    check: pairCheck(['CMD', 'ENTRYPOINT'], (b, c) => lastCommandExec(b, c)),
  },
  {
    rule: 'maintainer-deprecated',
    verdict: 'safe: the stage is not one the build ships (not a target nor a stage a target builds FROM), so its image config is thrown away',
    title: /^Remove MAINTAINER \(this stage is not in the image\)$/,
    check: (a, was, now) => {
      if (was.length !== 1 || now.length !== 0 || was[0]!.name !== 'MAINTAINER') return [`edits ${was.length} instructions into ${now.length}, not a MAINTAINER into none`];
      const stages = stagesOf(a.before);
      const home = stages.find((s) => s.instructions.includes(was[0]!));
      const targets = a.kase.options.context?.buildContext?.targets ?? [];
      const shipped = (targets.length > 0 ? stages.filter((s) => s.name !== undefined && targets.some((t) => t.toLowerCase() === s.name)) : stages.slice(-1)).flatMap((s) => chainOf(stages, s));
      return home && !shipped.includes(home) ? [] : [`stage ${home?.index} is in the image the build ships`];
    },
  },
];

/** Shell builtins with no program of the same name: `exec` cannot run them. */
const BUILTIN_ONLY = new Set(['cd', 'wait', 'set', 'unset', 'export', 'readonly', '.', 'source', 'eval', 'trap', 'read', 'ulimit', 'umask', 'exit', 'return', 'shift', 'alias', 'unalias', 'local', 'declare', 'typeset', 'let', 'break', 'continue', 'getopts', 'hash', 'jobs', 'fg', 'bg', 'times', 'exec']);

/** "Run the last command with exec": the same script with `exec ` before the command that ends it, which must be one exec can replace the shell with. */
function lastCommandExec(b: ReadInstruction, c: ReadInstruction): string[] {
  if (b.json || c.json) return [`${describe(b)} became ${describe(c)}: both should be shell form`];
  const was = b.args[0] ?? '';
  const now = c.args[0] ?? '';
  let at = 0;
  while (at < was.length && was[at] === now[at]) at++;
  if (now.slice(at, at + 5) !== 'exec ' || now.slice(0, at) + now.slice(at + 5) !== was) return [`\`${was}\` became \`${now}\`, not the same with \`exec \` put in`];
  const before = parseShell(was, 0);
  const after = parseShell(now, 0);
  const target = before.commands.find((cmd) => cmd.name?.start === at);
  if (!target || before.broken || after.broken) return [`\`exec\` was not put before a command name of \`${was}\``];
  const problems: string[] = [];
  if (target.end !== was.trimEnd().length || target.pipeline) problems.push(`\`${was.slice(target.start, target.end)}\` is not what the script ends with at top level`);
  const name = target.name!.value;
  if (BUILTIN_ONLY.has(name)) problems.push(`\`${name}\` is a shell builtin: \`exec ${name}\` fails`);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`(?:^|[;&|\\s])(?:function\\s+)?${escaped}\\s*\\(\\s*\\)`).test(was)) problems.push(`\`${name}\` is a function of the script: \`exec ${name}\` fails`);
  if (/(?:^|[;&|\s])trap\s/.test(was)) problems.push('the script sets a trap, which does not run once the shell is replaced');
  const words = (cmd: (typeof before.commands)[number]) => [...(cmd.name ? [cmd.name.value] : []), ...cmd.args.map((x) => x.value)];
  const expected = before.commands.map((cmd) => (cmd === target ? ['exec', ...words(cmd)] : words(cmd)));
  if (!same(after.commands.map(words), expected)) problems.push(`the script's commands became ${show(after.commands.map((cmd) => words(cmd).join(' ')))}`);
  return problems;
}

/** `readKey` shaped like `keyWith`, for comparing the two. */
function readKey2(r: ReadInstruction): string {
  return keyWith(r, {});
}

/** The stated invariant for a safe fix, by rule and title. */
export function safeRuleFor(rule: string, title: string): SafeRule | undefined {
  return SAFE_FIXES.find((s) => s.rule === rule && s.title.test(title));
}

export function safeFix(a: Applied): string[] {
  const rule = safeRuleFor(a.item.rule.meta.id, a.fix.title);
  if (!rule) return [`marked safe, but this test states no invariant for ${a.item.rule.meta.id}'s "${a.fix.title}": check what it changes and add it to SAFE_FIXES`];
  return rule.check(a, a.diff.touched, a.diff.changed);
}
