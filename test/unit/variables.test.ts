import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { expand } from '../../server/src/language/variables';

const vars: Record<string, string> = { A: 'alpha', EMPTY: '' };
const lookup = (name: string) => vars[name];

const cases: [string, string, string[]][] = [
  ['plain', 'plain', []],
  ['$A', 'alpha', []],
  ['${A}:1', 'alpha:1', []],
  ['x$A-y', 'xalpha-y', []],
  ['${MISSING}', '', ['MISSING']],
  ['$MISSING/x', '/x', ['MISSING']],
  ['${MISSING:-def}', 'def', []],
  ['${EMPTY:-def}', 'def', []],
  ['${EMPTY-def}', '', []],
  ['${A:+set}', 'set', []],
  ['${EMPTY:+set}', '', []],
  ['${EMPTY+set}', 'set', []],
  ['${MISSING+set}', '', []],
  ['${MISSING:-$A}', 'alpha', []],
  ['${MISSING:-$OTHER}', '', ['OTHER']],
  ['\\$A', '$A', []],
  ['$', '$', []],
  // The builder's lexer reads `$1` as a variable named 1, which is never set (BuildKit's shell/lex.go processName).
  ['$1x', 'x', []],
  ['${A%a}', 'alph', []],
  ['${A#*l}', 'pha', []],
  ['${A/l/L}', 'aLpha', []],
  ['${MISSING:?}', '', ['MISSING']],
];

for (const [text, value, unresolved] of cases) {
  test(`expands ${text}`, () => assert.deepEqual(expand(text, lookup), { value, unresolved }));
}

test('honours a backtick escape character', () => {
  assert.deepEqual(expand('`$A and \\$A', lookup, '`'), { value: '$A and \\alpha', unresolved: [] });
});
