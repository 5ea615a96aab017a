// The editor features over the whole corpus: formatting keeps every file's meaning and settles
// after one pass; the other features answer on every file without throwing.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildModel } from '../../server/src/language/model';
import { completionContext, completionItems } from '../../server/src/features/completion';
import { foldingRanges } from '../../server/src/features/folding';
import { builderViews, formatEdits, proposedFormatEdits } from '../../server/src/features/formatting';
import { sourceLinks, imageLinks } from '../../server/src/features/links';
import { documentSymbols } from '../../server/src/features/outline';
import { semanticTokens } from '../../server/src/features/semanticTokens';
import { signatureHelp } from '../../server/src/features/signatureHelp';
import { corpusFiles } from '../corpus';
import { CORPUS } from '../paths';

const files = corpusFiles();
const skip = files.length === 0 && `no corpus at ${CORPUS}`;

test(`formatting every corpus file (${files.length}) keeps what the builder sees, and a second pass changes nothing`, { skip }, () => {
  const problems: string[] = [];
  let changed = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const model = buildModel(text);
    const edits = formatEdits(model, { indent: 4 });
    // The safety net (drop edits that change what the builder sees) must not be what keeps real files intact.
    if (edits.length !== proposedFormatEdits(model, { indent: 4 }).length) problems.push(`${relative(CORPUS, file)}: the check had to drop edits`);
    if (edits.length > 0) changed++;
    const formatted = TextDocument.applyEdits(TextDocument.create('u', 'dockerfile', 0, text), edits);
    const again = buildModel(formatted);
    const name = relative(CORPUS, file);
    try {
      assert.deepEqual(builderViews(again), builderViews(model));
    } catch {
      problems.push(`${name}: meaning changed`);
    }
    if (formatEdits(again, { indent: 4 }).length > 0) problems.push(`${name}: not stable after one pass`);
  }
  assert.deepEqual(problems, []);
  assert.ok(changed > 50, `only ${changed} corpus files had anything to format`);
});

test('symbols, folding, links, semantic tokens, completion and signature help answer on every corpus file', { skip }, () => {
  for (const file of files) {
    const model = buildModel(readFileSync(file, 'utf8'));
    documentSymbols(model);
    foldingRanges(model);
    imageLinks(model);
    sourceLinks(model);
    assert.equal(semanticTokens(model).data.length % 5, 0);
    for (const info of model.instructions) {
      const end = info.range.end;
      const context = completionContext(model, end);
      if (context) completionItems(model, context, ['1', 'latest']);
      signatureHelp(model, end);
    }
  }
});
