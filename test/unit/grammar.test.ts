// The TextMate grammar: generated from its source, snapshots of scopes on crafted and real files,
// and every instruction of the corpus recognised where the parser sees it.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { INITIAL } from 'vscode-textmate';
import { grammar } from '../../syntaxes/grammar';
import { corpusFiles } from '../corpus';
import { dockerfileGrammar, snapshot, tokenize } from '../grammar';
import { CORPUS, ROOT } from '../paths';

const FIXTURES = join(ROOT, 'test/fixtures/grammar');
const KEYWORD = 'keyword.other.special-method.dockerfile';

test('syntaxes/dockerfile.tmLanguage.json is generated from syntaxes/grammar.ts (run `npm run generate` when this fails)', () => {
  const onDisk: unknown = JSON.parse(readFileSync(join(ROOT, 'syntaxes/dockerfile.tmLanguage.json'), 'utf8'));
  assert.deepEqual(onDisk, JSON.parse(JSON.stringify(grammar())));
});

for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.Dockerfile'))) {
  test(`scopes of ${name} match the snapshot (DOCKWISE_UPDATE_SNAPSHOT=1 rewrites it)`, async () => {
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    const actual = `${snapshot(text, await tokenize(text))}\n`;
    const path = join(FIXTURES, `${name}.scopes`);
    if (process.env.DOCKWISE_UPDATE_SNAPSHOT || !existsSync(path)) writeFileSync(path, actual);
    assert.equal(actual, readFileSync(path, 'utf8'));
  });
}

const corpus = corpusFiles();
test(`on every corpus file (${corpus.length}), each instruction starts with a keyword token and the file ends outside any instruction`, { skip: corpus.length === 0 && `no corpus at ${CORPUS}` }, async () => {
  const grammarInstance = await dockerfileGrammar();
  const problems: string[] = [];
  for (const file of corpus) {
    const text = readFileSync(file, 'utf8');
    const lines = await tokenize(text);
    for (const instruction of DockerfileParser.parse(text).getInstructions()) {
      const { line, character } = instruction.getInstructionRange().start;
      const token = lines[line]?.find((t, i, all) => all.slice(0, i).reduce((n, p) => n + p.text.length, 0) + t.text.length > character);
      if (!token?.scopes.includes(KEYWORD)) problems.push(`${file}:${line + 1} ${instruction.getKeyword()} → ${token?.scopes.join(' ')}`);
    }
    let stack = INITIAL;
    for (const line of text.split(/\r?\n/)) stack = grammarInstance.tokenizeLine(line, stack).ruleStack;
    const base = /^(?:#[^\n]*\n)*#\s*escape\s*=\s*`/im.test(text) ? 2 : 1;
    if (stack.depth > base) problems.push(`${file}: ends ${stack.depth - base} region(s) deep`);
  }
  assert.deepEqual(problems, []);
});
