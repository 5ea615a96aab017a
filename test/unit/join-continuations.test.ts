// A continued instruction joined into one shell line keeps its length, so that shell offsets are
// document offsets: escaped line ends and the comment lines BuildKit drops turn into spaces.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { joinContinuations } from '../../server/src/language/shell';

test('escaped line ends, comment lines and line ends become spaces of the same length', () => {
  const cases: [string, string, string][] = [
    ['apt-get update \\\n  && apt-get install x', '\\', 'apt-get update     && apt-get install x'],
    ['a \\  \t\r\n b', '\\', 'a        b'],
    ['a \\\n# a comment\n  b', '\\', `a${' '.repeat(17)}b`],
    ['# first line stays\nb', '\\', '# first line stays b'],
    ['a `\n b', '`', 'a    b'],
    ['a \\\n b', '`', 'a \\  b'],
    ['a \\\\\n b', '\\', 'a \\   b'],
    ['a \\ \r \n b', '\\', 'a \\ \r   b'],
    ['a\r', '\\', 'a\r'],
    ['', '\\', ''],
  ];
  for (const [text, escape, joined] of cases) {
    assert.equal(joinContinuations(text, escape), joined, JSON.stringify(text));
    assert.equal(joined.length, text.length);
  }
});

/** The rule line by line, as the oracle: a line ends at `\n`; the escape may be followed by blanks and CR before it. */
function reference(text: string, escape: string): string {
  return text
    .split(/(?<=\n)/)
    .map((line, index) => {
      if (index > 0 && /^[ \t]*#/.test(line)) return ' '.repeat(line.length);
      const body = line.replace(/\r?\n$/, '');
      const continued = line.endsWith('\n') && body.replace(/[ \t]*$/, '').endsWith(escape);
      const kept = continued ? body.replace(/[ \t]*$/, '').slice(0, -1) : body;
      return kept + ' '.repeat(line.length - kept.length);
    })
    .join('');
}

test('matches the line-by-line rule on 20,000 random texts', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pieces = ['a', ' ', '\t', '\n', '\r', '\\', '`', '#', '\r\n'];
  for (let n = 0; n < 20_000; n++) {
    const text = Array.from({ length: Math.floor(random() * 14) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (const escape of ['\\', '`']) assert.equal(joinContinuations(text, escape), reference(text, escape), JSON.stringify(text));
  }
});
