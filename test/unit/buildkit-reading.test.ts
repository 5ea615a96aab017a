// Reads as BuildKit reads: each fixture in test/fixtures/buildkit/ is a construct of the Dockerfile
// reference, with what BuildKit's parser and instructions package make of it written down beside it
// (docs/buildkit-reading.md says construct by construct why, with the source it comes from).
// dockwise's reader must produce the same instructions; where BuildKit refuses the file, dockwise
// must report it as an error on that line in BuildKit's words; and a file BuildKit builds gets no error.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { readDockerfile, type ReadInstruction } from '../../server/src/language/reader';
import { expand } from '../../server/src/language/variables';
import { ROOT } from '../paths';
import { lint } from '../../server/src/linter';

const FIXTURES = join(ROOT, 'test/fixtures/buildkit');

interface ExpectedInstruction {
  readonly lines: readonly [number, number];
  readonly keyword: string;
  readonly flags: readonly string[];
  readonly args: readonly string[];
  readonly json: boolean;
  readonly heredocs?: readonly { name: string; expand: boolean; chomp: boolean; content: string; fd?: number }[];
  readonly trigger?: Omit<ExpectedInstruction, 'lines' | 'trigger'>;
}

interface Expected {
  readonly source: string;
  readonly escape?: string;
  readonly directives?: Readonly<Record<string, string>>;
  readonly instructions?: readonly ExpectedInstruction[];
  /** `location: false`: BuildKit's error names no line. */
  readonly refuses?: { readonly line: number; readonly stage: 'parse' | 'instructions' | 'convert'; readonly message: string; readonly location?: false };
  /** BuildKit's parser warnings (empty continuation lines), on the instruction's last line. */
  readonly warnings?: readonly { readonly line: number; readonly message: string }[];
  /** Words expanded by BuildKit's lexer with the given variables. */
  readonly expansions?: readonly {
    readonly word: string;
    readonly env: Readonly<Record<string, string>>;
    readonly escape?: string;
    /** `heredoc`: a heredoc body, where the lexer leaves quotes alone. */
    readonly mode?: 'heredoc';
    readonly result?: string;
    readonly error?: string;
  }[];
}

/** What the reader read, in the fixtures' vocabulary (1-based lines, optional keys left out when empty). */
function described(read: ReadInstruction, withLines = true): Record<string, unknown> {
  return {
    ...(withLines ? { lines: [read.startLine + 1, read.endLine + 1] } : {}),
    keyword: read.keyword,
    flags: read.flags.map((f) => f.text),
    args: read.args,
    json: read.json,
    ...(read.heredocs.length ? { heredocs: read.heredocs.map(({ name, expand, chomp, content, fd }) => ({ name, expand, chomp, content, ...(fd ? { fd } : {}) })) } : {}),
    // The fixtures describe one level of trigger, as BuildKit's node has one child.
    ...(read.trigger && withLines ? { trigger: described(read.trigger, false) } : {}),
  };
}

function normalised(expected: ExpectedInstruction, withLines = true): Record<string, unknown> {
  const { lines, trigger, heredocs, ...rest } = expected;
  return {
    ...(withLines ? { lines } : {}),
    ...rest,
    ...(heredocs?.length ? { heredocs } : {}),
    ...(trigger ? { trigger: normalised(trigger as ExpectedInstruction, false) } : {}),
  };
}

/**
 * Refusals that hang on what the file cannot show: a `--build-arg`, or the base image's environment.
 * dockwise reports these as a warning in BuildKit's words (an error passes too).
 */
const DEPENDS_ON_OUTSIDE: Readonly<Record<string, string>> = {
  'expansion-required-unset': 'the base image may set APPDIR in its environment',
  'heredoc-copy-expansion-error': 'the base image may set NAME in its environment',
  'from-blank-base-name': '--build-arg BASE=… gives the stage a base',
  'from-meta-args-no-defaults': '--build-arg REGISTRY=… OWNER=… make the reference valid',
  'unreachable-stage-blank-base-fails': '--build-arg BASE=… gives the stage a base',
};

const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.Dockerfile')).sort();

describe('BuildKit reading', () => {
  test('there is a fixture for every construct the reading doc covers', () => {
    assert.ok(names.length >= 60, `only ${names.length} fixtures`);
  });
  test('every fixture said to depend on outside is one BuildKit refuses', () => {
    for (const base of Object.keys(DEPENDS_ON_OUTSIDE)) {
      const expected = JSON.parse(readFileSync(join(FIXTURES, `${base}.expected.json`), 'utf8')) as Expected;
      assert.ok(expected.refuses, `${base} is not refused`);
    }
  });
  for (const name of names) {
    const base = name.slice(0, -'.Dockerfile'.length);
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    const expected = JSON.parse(readFileSync(join(FIXTURES, `${base}.expected.json`), 'utf8')) as Expected;
    const reading = readDockerfile(text);
    const parseRefusal = expected.refuses?.stage === 'parse' ? expected.refuses : undefined;

    test(`${base}: reads as BuildKit does (${expected.source})`, () => {
      if (parseRefusal) {
        assert.equal(reading.refusal?.message, parseRefusal.message);
        assert.equal(reading.refusal.startLine + 1, parseRefusal.line);
      } else if (reading.refusal) {
        // dockerfile2llb refuses an empty file before its parser sees it; the reader says so too.
        assert.equal(reading.refusal.message, expected.refuses?.message, `refused: ${reading.refusal.message}`);
      }
      if (expected.escape) assert.equal(reading.escape, expected.escape);
      if (expected.directives) assert.deepEqual(Object.fromEntries(reading.directives.map((d) => [d.name, d.value])), expected.directives);
      if (expected.instructions && !parseRefusal) assert.deepEqual(reading.instructions.map((r) => described(r)), expected.instructions.map((e) => normalised(e)));
      if (!parseRefusal) {
        const warned = reading.instructions.filter((r) => r.emptyContinuationLines.length > 0).map((r) => r.endLine + 1);
        assert.deepEqual(warned, (expected.warnings ?? []).map((w) => w.line), 'empty continuation lines');
      }
    });

    if (expected.expansions) {
      test(`${base}: expands variables as BuildKit's lexer does`, () => {
        for (const e of expected.expansions!) {
          const got = expand(e.word, (name) => e.env[name], e.escape ?? '\\', e.mode !== 'heredoc');
          if (e.error !== undefined) assert.ok(got.error?.includes(e.error), `${e.word}: expected the error "${e.error}", got ${JSON.stringify(got)}`);
          else assert.equal(got.value, e.result, e.word);
        }
      });
    }

    const errors = () => lint(text).filter((d) => d.severity === DiagnosticSeverity.Error);
    if (expected.refuses) {
      const { line, message, location } = expected.refuses;
      const outside = DEPENDS_ON_OUTSIDE[base];
      test(`${base}: reported as the ${outside ? 'warning (or error)' : 'error'} BuildKit gives (${expected.refuses.stage})`, () => {
        const found = outside ? lint(text).filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning) : errors();
        const onLine = (d: (typeof found)[number]) => location === false || (d.range.start.line + 1 <= line && line <= d.range.end.line + 1);
        // Our message may say more than BuildKit's, but never suggest what BuildKit does not.
        const says = (d: (typeof found)[number]) => String(d.message).includes(message) && (message.includes('did you mean') || !String(d.message).includes('did you mean'));
        assert.ok(
          found.some((d) => onLine(d) && says(d)),
          `expected ${outside ? 'a warning' : 'an error'} on line ${line} saying "${message}"${outside ? ` (it depends on outside: ${outside})` : ''}, got ${JSON.stringify(found.map((d) => `${d.range.start.line + 1} ${d.code} ${d.message}`))}`,
        );
      });
    } else {
      test(`${base}: BuildKit builds it, so no error`, () => {
        assert.deepEqual(errors().map((d) => `${d.range.start.line + 1} ${d.code} ${d.message}`), []);
      });
    }
  }
});
