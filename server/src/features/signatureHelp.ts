/** Signature help: the syntax of the instruction under the cursor, with the parameter being typed. */
import type { Position, SignatureHelp } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../language/model';
import { contains } from '../language/positions';
import { INSTRUCTION_DOCS, syntaxLine } from './instructionDocs';

export function signatureHelp(model: DockerfileModel, position: Position): SignatureHelp | undefined {
  const info = model.instructions.find((i) => contains(i.range, position));
  const doc = info && INSTRUCTION_DOCS[info.keyword];
  if (!info || !doc) return undefined;
  const keywordEnd = info.keywordRange.end;
  if (position.line === keywordEnd.line && position.character <= keywordEnd.character) return undefined;
  const label = syntaxLine(info.keyword);
  let offset = info.keyword.length + 1;
  const parameters = doc.parameters.map((p) => {
    const start = offset;
    offset += p.label.length + 1;
    return { label: [start, start + p.label.length] as [number, number], documentation: p.documentation };
  });
  const typed = model.document.getText({ start: keywordEnd, end: position });
  const tokens = typed.trimStart().split(/\s+/);
  // The whole word under the cursor names the flag, not only the part before it.
  const rest = /^\S*/.exec(model.document.getText({ start: position, end: { line: position.line, character: Number.MAX_SAFE_INTEGER } }))?.[0] ?? '';
  const current = (tokens.pop() ?? '') + rest;
  const flag = current.startsWith('--') ? current.slice(2).split('=')[0]!.toLowerCase() : undefined;
  const positional = doc.parameters.map((p, i) => [p, i] as const).filter(([p]) => !p.flag);
  const done = tokens.filter((t) => !t.startsWith('--') && t !== '').length;
  const active = flag !== undefined ? doc.parameters.findIndex((p) => p.flag === flag) : positional[Math.min(done, positional.length - 1)]?.[1];
  return {
    signatures: [{ label, documentation: doc.summary, parameters }],
    activeSignature: 0,
    ...(active !== undefined && active >= 0 ? { activeParameter: active } : {}),
  };
}
