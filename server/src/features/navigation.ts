/** Go to definition, find references, rename and highlights for stage names and variables. */
import { DocumentHighlightKind, TextEdit, type DocumentHighlight, type Location, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../language/model';
import { declarationOf, occurrenceAt, sameSymbol, type Occurrence } from './occurrences';

export function definition(model: DockerfileModel, position: Position): Location | undefined {
  const at = occurrenceAt(model, position);
  const target = at && (at.declaration ? at : declarationOf(model, at));
  return target ? { uri: model.document.uri, range: target.range } : undefined;
}

export function references(model: DockerfileModel, position: Position, includeDeclaration: boolean): Location[] {
  const at = occurrenceAt(model, position);
  if (!at) return [];
  return sameSymbol(model, at)
    .filter((o) => includeDeclaration || !o.declaration)
    .map((o) => ({ uri: model.document.uri, range: o.range }));
}

export function highlights(model: DockerfileModel, position: Position): DocumentHighlight[] {
  const at = occurrenceAt(model, position);
  if (!at) return [];
  return sameSymbol(model, at).map((o) => ({ range: o.range, kind: o.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}

/** Stage names as BuildKit accepts them; variable names as the shell and the builder do. */
const VALID_NAME: Readonly<Record<Occurrence['kind'], RegExp>> = {
  stage: /^[a-z][a-z0-9._-]*$/i,
  variable: /^[A-Za-z_][A-Za-z0-9_]*$/,
};

export function prepareRename(model: DockerfileModel, position: Position): { range: Range; placeholder: string } | undefined {
  const at = occurrenceAt(model, position);
  return at ? { range: at.range, placeholder: model.document.getText(at.range) } : undefined;
}

/** The edit, or why the rename cannot be done. */
export function rename(model: DockerfileModel, position: Position, newName: string): WorkspaceEdit | { error: string } {
  const at = occurrenceAt(model, position);
  if (!at) return { error: 'Only stage names and variables can be renamed.' };
  if (!VALID_NAME[at.kind].test(newName)) return { error: `\`${newName}\` is not a valid ${at.kind === 'stage' ? 'stage' : 'variable'} name.` };
  if (at.kind === 'stage' && newName.toLowerCase() !== at.name && model.stages.some((s) => s.name === newName.toLowerCase())) {
    return { error: `A stage named \`${newName}\` already exists.` };
  }
  return { changes: { [model.document.uri]: sameSymbol(model, at).map((o) => TextEdit.replace(o.range, newName)) } };
}
