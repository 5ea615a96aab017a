// Every fix offered on real Dockerfiles, applied, and held to what it promises. The files: the corpus,
// the projects (linted as the CLI lints them, with their real build contexts), the rule fixtures,
// variants derived from real files for the rarer fixes, and a few probes (test/fixProperties/cases.ts).
// The properties:
//   0. sound: the result parses, the finding is gone, nothing new appears, fix-all is idempotent;
//   1. reading: BuildKit does not refuse the result (when it took the original), and reads every
//      instruction the edits do not touch exactly as before; whatever is new or different overlaps an edit;
//   2. exec form: the array BuildKit reads is what the shell would have run, and the fix is never
//      offered on what BuildKit already reads as exec form;
//   3. reorder: COPY/ADD per stage are the old ones plus one narrower manifest COPY, the broad COPY moves
//      just past the install, and the same files reach the image (checks.ts `reorder` states it exactly);
//   4. add-USER: the folders the application writes to stay writable by the new user, or the fix is unsafe;
//   5. safe: a safe fix changes only what its title names (checks.ts `SAFE_FIXES`, one invariant per rule);
//   6. did-you-mean: the suggested path exists, is not ignored, and is of the source's kind.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixesOf } from '../../server/src/engine/fixes';
import { type LintOptions, type Reported } from '../../server/src/engine/lint';
import { buildModel } from '../../server/src/language/model';
import { readDockerfile } from '../../server/src/language/reader';
import { corpusCases, derivedCases, fixtureCases, probeCases, projectCases, type Case, type CaseSet } from '../fixProperties/cases';
import { addUser, apply, didYouMean, execForm, reorder, safeFix, safeRuleFor, sameProcess } from '../fixProperties/checks';
import { CORPUS, PROJECTS } from '../paths';
import { analyze, fixAll, lint } from '../../server/src/linter';

const PROPERTIES = ['sound', 'reading', 'exec form', 'reorder', 'add-USER', 'safe', 'did you mean'] as const;
type Property = (typeof PROPERTIES)[number];

interface Results {
  readonly files: Map<CaseSet, number>;
  /** Fixes applied, by `set rule`. */
  readonly applied: Map<string, number>;
  readonly exercised: Map<Property, number>;
  readonly failures: Map<Property, string[]>;
  /** Safe fix titles seen, by `rule: title` (titles that name a variable are grouped). */
  readonly safeTitles: Map<string, number>;
  /** Folders an unsafe add-USER fix leaves root's: the reviewer's job, listed for them. */
  readonly gaps: string[];
  /** Safe exec-form fixes whose container process depends on the base image's unknown ENTRYPOINT. */
  unverifiable: number;
}

function counts(text: string, options: LintOptions): Map<string, number> {
  const result = new Map<string, number>();
  for (const d of lint(text, options)) result.set(String(d.code), (result.get(String(d.code)) ?? 0) + 1);
  return result;
}

const bump = <K>(map: Map<K, number>, key: K, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

function check(results: Results, kase: Case): void {
  const fail = (property: Property, message: string) => results.failures.get(property)!.push(message);
  const { text, options, focus } = kase;
  const analysis = analyze(text, options);
  if (!analysis) return;
  const before = counts(text, options);
  const reading = analysis.model.reading;
  for (const item of analysis.reported) {
    const rule = item.rule.meta.id;
    const line = item.diagnostic.range.start.line;
    if (focus && (focus.rule !== rule || focus.line !== line)) continue;
    for (const fix of fixesOf(analysis, item)) {
      bump(results.applied, `${kase.set} ${rule}`);
      const where = `${kase.name}:${line + 1} ${rule} "${fix.title}"${fix.safe ? ' (safe)' : ''}`;
      const applied = apply(kase, analysis, item, fix);
      // 0. sound
      bump(results.exercised, 'sound');
      try {
        buildModel(applied.fixed);
      } catch (error) {
        fail('sound', `${where}: result does not parse: ${String(error)}`);
        continue;
      }
      const after = counts(applied.fixed, options);
      if ((after.get(rule) ?? 0) >= (before.get(rule) ?? 0)) fail('sound', `${where}: the finding is still there`);
      // A fix that turns a derived variant back into the real file brings back the real file's findings, which the variant hid.
      if (applied.fixed !== kase.origin) for (const [other, n] of after) if (other !== rule && n > (before.get(other) ?? 0)) fail('sound', `${where}: new ${other} finding`);
      // 1. reading
      bump(results.exercised, 'reading');
      for (const p of applied.diff.problems) fail('reading', `${where}: ${p}`);
      const run = (property: Property, body: () => readonly string[]) => {
        bump(results.exercised, property);
        try {
          for (const p of body()) fail(property, `${where}: ${p}`);
        } catch (error) {
          fail(property, `${where}: the check threw ${error instanceof Error ? error.stack : String(error)}`);
        }
      };
      // 2–6
      if (/exec form/i.test(fix.title)) {
        run('exec form', () => execForm(applied));
        if (fix.safe && sameProcess(applied).unverifiable) results.unverifiable++;
      }
      if (rule === 'copy-before-dependency-install') run('reorder', () => reorder(applied));
      if (rule === 'runs-as-root') {
        run('add-USER', () => {
          const outcome = addUser(applied);
          results.gaps.push(...outcome.gaps.map((g) => `${where}: ${g}`));
          return outcome.problems;
        });
      }
      if (rule === 'copy-source-missing') run('did you mean', () => didYouMean(applied));
      if (fix.safe) {
        bump(results.safeTitles, `${rule}: ${fix.title.replace(/^Write [A-Za-z_][A-Za-z0-9_.-]*=…$/, 'Write <NAME>=…').replace(/^Rename the stage to .*/, 'Rename the stage to <name>')}`);
        run('safe', () => safeFix(applied));
      }
    }
  }
  if (focus) return;
  const once = fixAll(text, options);
  if (fixAll(once, options) !== once) fail('sound', `${kase.name}: fix-all twice differs from once`);
  const onceReading = readDockerfile(once);
  if (!reading.refusal && onceReading.refusal) fail('reading', `${kase.name}: BuildKit refuses the fix-all result: "${onceReading.refusal.message}" (line ${onceReading.refusal.startLine + 1})`);
}

async function collect(): Promise<Results> {
  const results: Results = {
    files: new Map(),
    applied: new Map(),
    exercised: new Map(PROPERTIES.map((p) => [p, 0])),
    failures: new Map(PROPERTIES.map((p) => [p, []])),
    safeTitles: new Map(),
    gaps: [],
    unverifiable: 0,
  };
  const corpus = corpusCases();
  const projects = await projectCases();
  const fixtures = fixtureCases();
  const derived = derivedCases([...corpus, ...projects]);
  for (const kase of [...corpus, ...projects, ...fixtures, ...derived, ...probeCases()]) {
    bump(results.files, kase.set);
    check(results, kase);
  }
  return results;
}

let collected: Promise<Results> | undefined;
const results = () => (collected ??= collect());

const perSet = (r: Results, set: CaseSet) => [...r.applied].filter(([k]) => k.startsWith(`${set} `)).reduce((n, [, v]) => n + v, 0);

test('fixes are applied on the corpus, the projects, the fixtures, derived variants and probes', async (t) => {
  const r = await results();
  for (const set of ['corpus', 'projects', 'fixtures', 'derived', 'probes'] as const) t.diagnostic(`${set}: ${r.files.get(set) ?? 0} files, ${perSet(r, set)} fixes`);
  for (const [key, n] of [...r.applied].sort()) t.diagnostic(`  ${key}: ${n}`);
  for (const [key, n] of [...r.safeTitles].sort()) {
    const [rule, title] = key.split(': ') as [string, string];
    t.diagnostic(`safe: ${key} ×${n} — ${safeRuleFor(rule, title.replace('<NAME>', 'X'))?.verdict ?? 'no invariant stated'}`);
  }
  for (const [p, n] of r.exercised) t.diagnostic(`property ${p}: checked ${n} times`);
  t.diagnostic(`add-USER gaps left to review (unsafe fixes): ${r.gaps.length}`);
  for (const gap of r.gaps.slice(0, 30)) t.diagnostic(`  ${gap}`);
  t.diagnostic(`safe exec-form fixes whose process depends on the base image's ENTRYPOINT: ${r.unverifiable}`);
  if ((r.files.get('corpus') ?? 0) > 0) assert.ok(perSet(r, 'corpus') > 100, `only ${perSet(r, 'corpus')} fixes were offered on the corpus (${CORPUS})`);
  if ((r.files.get('projects') ?? 0) > 0) assert.ok(perSet(r, 'projects') > 50, `only ${perSet(r, 'projects')} fixes were offered on the projects (${PROJECTS})`);
  assert.ok(perSet(r, 'fixtures') > 0, 'no fix was offered on the rule fixtures');
});

for (const property of PROPERTIES) {
  test(`property: ${property}`, async () => {
    const r = await results();
    assert.ok(r.exercised.get(property)! > 0, `no fix exercised the ${property} property`);
    assert.deepEqual(r.failures.get(property), []);
  });
}

// The checks themselves: each rejects a fix that breaks the promise it checks, so none of them passes
// for want of looking. The fixes here are deliberately wrong; the files are small versions of real ones.
function broken(text: string, rule: string, fix: { title: string; safe: boolean; edits: [string, string][] }, data?: Record<string, unknown>, options: LintOptions = {}, contextDir?: string) {
  const kase: Case = { set: 'fixtures', name: 'self-test', path: '/self-test/Dockerfile', text, options, ...(contextDir ? { contextDir } : {}) };
  const analysis = analyze(text, options)!;
  const edits = fix.edits.map(([find, replacement]) => {
    const start = text.indexOf(find);
    assert.ok(start !== -1, `self-test: \`${find}\` is not in the text`);
    return { range: { start: analysis.model.document.positionAt(start), end: analysis.model.document.positionAt(start + find.length) }, newText: replacement };
  });
  const range = edits[0]!.range;
  const item = { rule: { meta: { id: rule } }, finding: { range, message: '', ...(data ? { data } : {}) }, diagnostic: { range, message: '' } } as unknown as Reported;
  return apply(kase, analysis, item, { title: fix.title, safe: fix.safe, edits });
}

test('the checks reject fixes that break their promise', () => {
  const folder = mkdtempSync(join(tmpdir(), 'fix-properties-'));
  writeFileSync(join(folder, 'requirements.txt'), 'flask\n');
  const context = { context: { trustedRegistries: [], buildContext: { hasDockerignore: false, files: ['requirements.txt'], paths: new Set(['requirements.txt']) } } };
  const twoRuns = 'FROM alpine:3.20\nRUN echo a\nRUN echo b\n';
  const cases: [string, readonly string[]][] = [
    ['1: a continuation that swallows the next instruction', broken(twoRuns, 'r', { title: 't', safe: false, edits: [['echo a', 'echo a \\']] }).diff.problems],
    ['1: a heredoc left open', broken(twoRuns, 'r', { title: 't', safe: false, edits: [['RUN echo b', 'RUN <<EOF']] }).diff.problems],
    ['2: an array that is not the shell words', execForm(broken('FROM python:3.12-slim\nCMD gunicorn --bind 0.0.0.0:8000 app:app\n', 'cmd-shell-form', { title: 'Switch to exec form', safe: true, edits: [['gunicorn --bind 0.0.0.0:8000 app:app', '["gunicorn", "--bind 0.0.0.0:8000", "app:app"]']] }))],
    ['2: offered on exec form', execForm(broken('FROM python:3.12-slim\nCMD ["a", "b"]\n', 'cmd-shell-form', { title: 'Switch to exec form', safe: true, edits: [['["a", "b"]', '["a", "b"] ']] }))],
    ['5: an ENTRYPOINT that now takes the CMD', safeFix(broken('FROM python:3.12-slim\nENTRYPOINT python app.py\nCMD ["--debug"]\n', 'cmd-shell-form', { title: 'Switch to exec form', safe: true, edits: [['python app.py', '["python", "app.py"]']] }))],
    ['3: the broad COPY dropped', reorder(broken('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n', 'copy-before-dependency-install', { title: 'Copy requirements.txt first and the rest after the install', safe: false, edits: [['COPY . .', 'COPY requirements.txt ./']] }, { copyLine: 2, installLine: 3 }, context, folder))],
    ['3: an install of the project itself', reorder(broken('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt -e .\n', 'copy-before-dependency-install', { title: 'Copy requirements.txt first and the rest after the install', safe: false, edits: [['COPY . .', 'COPY requirements.txt ./'], ['-e .\n', '-e .\nCOPY . .\n']] }, { copyLine: 2, installLine: 3 }, context, folder))],
    ['4: chown of a folder only VOLUME names', addUser(broken('FROM alpine:3.20\nVOLUME /data\nCMD ["app"]\n', 'runs-as-root', { title: 'Run as `app` instead of root', safe: false, edits: [['CMD', 'RUN adduser -S -D app\nRUN chown app /data\nUSER app\nCMD']] }, { stage: 0 })).problems],
    ['4: a safe USER that cannot write its WORKDIR', addUser(broken('FROM debian:12\nWORKDIR /srv\nCMD ["app"]\n', 'runs-as-root', { title: 'Run as `nobody` instead of root', safe: true, edits: [['CMD', 'USER nobody\nCMD']] }, { stage: 0 })).problems],
    ['5: more than the flag the title names', safeFix(broken('FROM python:3.12-slim\nRUN pip install -r r.txt\n', 'pip-no-cache-dir', { title: 'Add --no-cache-dir', safe: true, edits: [['install', 'install --no-cache-dir --user']] }))],
    ['5: lists deleted that a later RUN reads', safeFix(broken('FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n', 'package-cache-not-cleaned', { title: 'Add `rm -rf /var/lib/apt/lists/*` to this RUN', safe: true, edits: [['curl', 'curl && rm -rf /var/lib/apt/lists/*']] }))],
    ['5: a safe fix nobody stated an invariant for', safeFix(broken(twoRuns, 'some-new-rule', { title: 'Tidy up', safe: true, edits: [['echo a', 'echo  a']] }))],
    ['6: a file suggested for a folder', didYouMean(broken('FROM python:3.12-slim\nCOPY requirements/ /app/\n', 'copy-source-missing', { title: 'Change to requirements.txt', safe: false, edits: [['requirements/', 'requirements.txt']] }, undefined, context, folder))],
  ];
  for (const [what, problems] of cases) assert.ok(problems.length > 0, `property ${what}: the check found nothing wrong`);
});
