import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { declined, MAX_ANALYSED_CHARS, MAX_ANALYSED_LINES } from '../../server/src/engine/lint';
import type { Rule } from '../../server/src/engine/rule';
import { corpusFiles } from '../corpus';
import { CORPUS, ROOT } from '../paths';
import { SNAPSHOT_DAY } from '../snapshotDay';
import { rules } from '../../server/src/rules';
import { BuildContextReader } from '../../server/src/workspace/buildContext';
import { analyze, lint } from '../../server/src/linter';
import { createEngine } from '../../server/src/engine/engine';

const PINNED_ELSEWHERE = 'FROM python\nUSER app\n';

test('a diagnostic names its rule, its docs and its source', () => {
  const [d] = lint(PINNED_ELSEWHERE);
  assert.ok(d);
  assert.equal(d.code, 'image-tag-latest');
  assert.equal(d.source, 'dockwise');
  assert.equal(d.severity, DiagnosticSeverity.Warning);
  assert.match(d.codeDescription!.href, /\/docs\/rules\/image-tag-latest\.md$/);
  assert.deepEqual(d.data, { image: 'docker.io/library/python' });
});

test('settings change a rule level or turn it off', () => {
  assert.equal(lint(PINNED_ELSEWHERE, { rules: { 'image-tag-latest': 'error' } })[0]?.severity, DiagnosticSeverity.Error);
  assert.equal(lint(PINNED_ELSEWHERE, { rules: { 'image-tag-latest': 'hint' } })[0]?.severity, DiagnosticSeverity.Hint);
  assert.deepEqual(lint(PINNED_ELSEWHERE, { rules: { 'image-tag-latest': 'off' } }), []);
});

const meta = { title: 't', description: 'd', category: 'style', severity: 'warning', fixable: 'never', aliases: {}, docs: { why: 'w', bad: 'b', good: 'g', fix: 'f' } } as const;

test('a rule that throws is reported and does not stop the others', () => {
  const broken: Rule = { meta: { ...meta, id: 'broken' }, check: () => { throw new Error('boom'); } };
  const fine: Rule = { meta: { ...meta, id: 'fine' }, check: () => [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, message: 'ok' }] };
  const errors: string[] = [];
  const found = createEngine([broken, fine]).lint('FROM x\n', { onInternalError: (what) => errors.push(what) });
  assert.deepEqual(found.map((d) => d.code), ['fine']);
  assert.deepEqual(errors, ['rule broken']);
});

test('ranges a rule gets wrong are clamped into the document', () => {
  const wild: Rule = {
    meta: { ...meta, id: 'wild' },
    check: () => [{ range: { start: { line: 7, character: 99 }, end: { line: -1, character: 0 } }, message: 'x' }],
  };
  const [d] = createEngine([wild]).lint('FROM x\nRUN y', {});
  assert.deepEqual(d!.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 5 } });
});

function assertInside(document: TextDocument, diagnostics: Diagnostic[], where: string): void {
  const length = document.getText().length;
  for (const d of diagnostics) {
    const start = document.offsetAt(d.range.start);
    const end = document.offsetAt(d.range.end);
    assert.ok(0 <= start && start <= end && end <= length, `${where}: range out of the document`);
    assert.deepEqual(document.positionAt(start), d.range.start, `${where}: start is not a real position`);
    assert.deepEqual(document.positionAt(end), d.range.end, `${where}: end is not a real position`);
  }
}

const files = corpusFiles();
const SNAPSHOT = join(ROOT, 'test/fixtures/corpus-counts.json');

test(`the whole corpus lints without an internal error, with ranges inside each file, and per-rule counts as in the snapshot (${files.length} files)`, { skip: files.length === 0 && `no corpus at ${CORPUS}` }, () => {
  const reader = new BuildContextReader();
  const counts: Record<string, number> = Object.fromEntries(rules.map((r) => [r.meta.id, 0]));
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const failures: string[] = [];
    const found = reader.read(path);
    const diagnostics = lint(text, {
      context: { buildContext: found.buildContext, trustedRegistries: [], today: SNAPSHOT_DAY },
      onInternalError: (what, e) => failures.push(`${what}: ${String(e)}`),
    });
    assert.deepEqual(failures, [], relative(CORPUS, path));
    assertInside(TextDocument.create('file:///x', 'dockerfile', 0, text), diagnostics, relative(CORPUS, path));
    for (const d of diagnostics) counts[String(d.code)]! += 1;
  }
  const snapshot = { files: files.length, counts };
  // A change in what the rules find on real files must show up in review: update the snapshot on purpose.
  if (process.env.DOCKWISE_UPDATE_SNAPSHOT) writeFileSync(SNAPSHOT, `${JSON.stringify(snapshot, null, 2)}\n`);
  assert.deepEqual(snapshot, JSON.parse(readFileSync(SNAPSHOT, 'utf8')), 'corpus counts changed: review, then run with DOCKWISE_UPDATE_SNAPSHOT=1');
});

test('odd input never throws and keeps ranges inside', () => {
  const inputs = ['', '\n', 'FROM', 'FROM \\\n', '\uFEFFFROM python', 'FROM ${', 'FROM $', 'FROM a:b:c:d', 'from\tpython\r\n', '\0FROM x', 'FROM python \\\n  AS x', '# escape=`\nFROM python`\n:latest'];
  for (const text of inputs) {
    const errors: unknown[] = [];
    const diagnostics = lint(text, { onInternalError: (_, e) => errors.push(e) });
    assert.deepEqual(errors, [], JSON.stringify(text));
    assertInside(TextDocument.create('file:///x', 'dockerfile', 0, text), diagnostics, JSON.stringify(text));
  }
});

test('files over the limits are declined with one diagnostic, at either limit, and analysed just under them', () => {
  const many = `FROM alpine:3.20\n${'RUN true\n'.repeat(MAX_ANALYSED_LINES)}`;
  const wide = `FROM alpine:3.20\nRUN echo ${'a'.repeat(MAX_ANALYSED_CHARS)}\n`;
  for (const text of [many, wide]) {
    const diagnostics = lint(text);
    assert.deepEqual(diagnostics.map((d) => d.code), ['file-too-large']);
    assert.equal(analyze(text), undefined);
  }
  const under = `FROM alpine:latest\n${'RUN true\n'.repeat(MAX_ANALYSED_LINES - 3)}`;
  assert.equal(declined(under), undefined);
  assert.ok(lint(under).some((d) => d.code === 'image-tag-latest'));
});

test('a RUN of thousands of nested $( … ) costs a bounded time: the shell parse stops descending', () => {
  const text = `FROM alpine:3.20\nRUN echo ${'"$('.repeat(40_000)}\n`;
  const before = process.cpuUsage();
  const analysis = analyze(text);
  const { user, system } = process.cpuUsage(before);
  assert.ok(analysis);
  // Before the bound on nesting this took about 10 s of CPU here (and overflowed the stack); now ~0.3 s.
  assert.ok((user + system) / 1000 < 1500, `${((user + system) / 1000).toFixed(0)} ms of CPU`);
  assert.equal(analysis.model.stages[0]!.runs[0]!.script.broken, true);
});
