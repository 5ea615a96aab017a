// Tokenises text with our TextMate grammar the way VS Code does: vscode-textmate with the
// Oniguruma regex engine compiled to WebAssembly. Grammars we embed (shell, JSON, …) are not
// loaded, so tokens show where a region starts and ends, not how the other grammar colours it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import { ROOT } from './paths';

export interface Token {
  readonly text: string;
  /** Scopes below the root `source.dockerfile`, outermost first. */
  readonly scopes: readonly string[];
}

let loaded: Promise<IGrammar> | undefined;

export function dockerfileGrammar(): Promise<IGrammar> {
  loaded ??= (async () => {
    await loadWASM(readFileSync(join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer as ArrayBuffer);
    const registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (sources) => new OnigScanner(sources), createOnigString: (text) => new OnigString(text) }),
      loadGrammar: async (scopeName) => {
        if (scopeName !== 'source.dockerfile') return null;
        const path = join(ROOT, 'syntaxes/dockerfile.tmLanguage.json');
        return parseRawGrammar(readFileSync(path, 'utf8'), path);
      },
    });
    const grammar = await registry.loadGrammar('source.dockerfile');
    if (!grammar) throw new Error('the grammar did not load');
    return grammar;
  })();
  return loaded;
}

/** Tokens per line. */
export async function tokenize(text: string): Promise<Token[][]> {
  const grammar = await dockerfileGrammar();
  let stack = INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1) }));
  });
}

/** A readable, diffable rendering: each line, then each token with its innermost scopes. */
export function snapshot(text: string, lines: readonly Token[][]): string {
  const source = text.split(/\r?\n/);
  return lines
    .map((tokens, i) => [`${i + 1}: ${source[i]}`, ...tokens.filter((t) => t.text.trim() !== '').map((t) => `    ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`)].join('\n'))
    .join('\n');
}
