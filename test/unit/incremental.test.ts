// Analysis that reuses the previous version's work gives what a fresh analysis gives, edit after edit.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Analysis, LintOptions } from '../../server/src/engine/lint';
import type { RuleContext } from '../../server/src/engine/rule';
import type { DockerfileModel } from '../../server/src/language/model';
import { readDockerfile, type ReadInstruction, type Reading } from '../../server/src/language/reader';
import { variablesOf } from '../../server/src/language/query';
import { analyze } from '../../server/src/linter';
import { corpusFiles } from '../corpus';
import { ROOT } from '../paths';

/** What a rule can see of the model's instructions, as plain data. */
function shape(model: DockerfileModel): unknown {
  return {
    directives: model.directives,
    stages: model.stages.map((s) => ({ name: s.name, base: s.base, from: s.from.range, platform: s.platformFlag?.getValue(), written: s.writtenName, runs: s.runs.map((r) => ({ form: r.form, script: r.script, mounts: r.mounts })) })),
    instructions: model.instructions.map((i) => ({
      keyword: i.keyword,
      stage: i.stage,
      range: i.range,
      written: i.written,
      keywordRange: i.keywordRange,
      argumentsRange: i.argumentsRange,
      argumentsContent: i.argumentsContent,
      words: i.words.map((w) => [w.getValue(), w.getRange()]),
      args: i.args.map((a) => [a.getValue(), a.getRange()]),
      flags: i.flags.map((f) => [f.getName(), f.getValue(), f.getRange(), f.getNameRange(), f.getValueRange(), f.getOptions().map((o) => [o.getName(), o.getValue(), o.getRange(), o.getValueRange()])]),
      properties: i.properties.map((p) => [p.getName(), p.getValue(), p.getRange()]),
      read: { start: i.read.start, end: i.read.end, args: i.read.args },
      variables: variablesOf(model, i).map((v) => [v.getName(), v.getNameRange(), v.getModifier()]),
    })),
  };
}

const result = (a: Analysis | undefined) => (a ? { diagnostics: a.reported.map((r) => r.diagnostic), model: shape(a.model) } : undefined);

/** Edits a typist makes, and ones that move instruction boundaries: new lines, continuations, heredocs, comments, directives. */
const INSERTS = ['x', ' ', '\n', '\\', '\\\n', '#', '<<EOF\n', '"', '[', '\r', '\n\n', 'RUN a\n', 'FROM b AS c\n', '# escape=`\n'];

function* edits(text: string, count: number, seed: number): Generator<string> {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  let current = text;
  for (let i = 0; i < count; i++) {
    const at = next() % (current.length + 1);
    current = next() % 3 === 0 ? current.slice(0, at) + current.slice(at + 1 + (next() % 3)) : current.slice(0, at) + INSERTS[next() % INSERTS.length]! + current.slice(at);
    yield current;
  }
}

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name.endsWith('.workspace') ? [] : fixtureFiles(path);
    return name.endsWith('.Dockerfile') ? [path] : [];
  });
}

/**
 * A context that wakes the rules reading it: a build context (a target stage, a listing without the
 * files the Dockerfile copies), registry facts for every image, a fixed day. The same object for every
 * version of a file, as the server keeps it, so stage rules' findings are reused.
 */
function richContext(text: string): RuleContext {
  const target = /^FROM\s+\S+\s+AS\s+(\S+)/im.exec(text)?.[1];
  return {
    trustedRegistries: ['docker.io'],
    today: '2026-06-01',
    buildContext: { hasDockerignore: false, files: ['package.json', 'src'], paths: new Set(['package.json', 'src', 'src/main.go']), dir: '.', ...(target ? { targets: [target] } : {}) },
    images: () => ({ digest: `sha256:${'a'.repeat(64)}`, platforms: ['linux/amd64'], created: '2020-01-01T00:00:00Z', hubBadge: 'none', user: 'app', manifestKind: 'index' }),
  };
}

test('reusing the previous version gives the same model and diagnostics as analysing afresh', () => {
  const files = [...corpusFiles(), ...fixtureFiles(join(ROOT, 'test/fixtures/rules')), ...fixtureFiles(join(ROOT, 'test/fixtures/buildkit'))];
  assert.ok(files.length > 100, 'the corpus and the fixtures are there');
  let compared = 0;
  let reusedStages = 0;
  files.forEach((file, index) => {
    const original = readFileSync(file, 'utf8');
    for (const options of [{}, { context: richContext(original) }] as LintOptions[]) {
      let previous = analyze(original, options);
      for (const text of edits(original, 12, index + 1)) {
        const reused = analyze(text, options, previous);
        assert.deepEqual(result(reused), result(analyze(text, options)), `${file} after an edit:\n${text}`);
        if (reused && previous) reusedStages += [...reused.stageFindings.keys()].filter((key) => previous!.stageFindings.has(key)).length;
        previous = reused;
        compared++;
      }
    }
  });
  assert.ok(compared > 2000);
  // The comparison above means something only if stages were in fact taken from the previous version.
  assert.ok(reusedStages > 1000, `${reusedStages} stages reused`);
});

/**
 * A reading as plain data: each instruction's offsetAt as the offsets it gives for every index of its
 * line. Named fields only: a moved instruction's symbol-keyed link to its first reading says where it
 * came from, not what it reads.
 */
function plainReading(reading: Reading): unknown {
  const plain = (read: ReadInstruction): unknown => ({
    ...Object.fromEntries(Object.entries(read)),
    offsetAt: [...read.line].map((_, index) => read.offsetAt(index)),
    ...(read.trigger ? { trigger: plain(read.trigger) } : {}),
  });
  return { ...reading, instructions: reading.instructions.map(plain) };
}

test('the reader, handed the previous version, reads each version as it reads it afresh', () => {
  const files = [...corpusFiles(), ...fixtureFiles(join(ROOT, 'test/fixtures/rules')), ...fixtureFiles(join(ROOT, 'test/fixtures/buildkit'))];
  let compared = 0;
  let taken = 0;
  files.forEach((file, index) => {
    let text = readFileSync(file, 'utf8');
    let reading = readDockerfile(text);
    // Typing goes on from each version: moved instructions are moved again.
    for (const next of edits(text, 12, index + 7)) {
      const again = readDockerfile(next, { reading, text });
      assert.deepEqual(plainReading(again), plainReading(readDockerfile(next)), `${file} after an edit:\n${next}`);
      // Instructions before the edit come back as the very objects read before.
      taken += again.instructions.filter((read) => reading.instructions.includes(read)).length;
      [text, reading] = [next, again];
      compared++;
    }
  });
  assert.ok(compared > 2000);
  assert.ok(taken > 10_000, `${taken} instructions taken as they were`);
});

test('an edit that makes BuildKit refuse the file is seen by the stages after it', () => {
  // `ENV FOO` has no value: BuildKit's reader stops there and reads no instruction of stage b.
  const before = 'FROM alpine AS a\nENV FOO=1\n\nFROM alpine AS b\nRUN ["curl", "-k", "https://example.com/x"]\n';
  const after = before.replace('ENV FOO=1', 'ENV FOO');
  const first = analyze(before);
  assert.ok(first?.reported.some((r) => r.rule.meta.id === 'download-insecure'), 'curl -k is reported while BuildKit reads the file');
  assert.deepEqual(result(analyze(after, {}, first)), result(analyze(after)));
});
