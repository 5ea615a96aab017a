/** The outline of a Dockerfile (stages holding their instructions) and its symbols for workspace search. */
import { SymbolKind, type DocumentSymbol, type Range, type SymbolInformation } from 'vscode-languageserver-types';
import type { DockerfileModel, InstructionInfo, Stage } from '../language/model';

const KIND_BY_KEYWORD: Readonly<Record<string, SymbolKind>> = {
  RUN: SymbolKind.Function,
  CMD: SymbolKind.Function,
  ENTRYPOINT: SymbolKind.Function,
  HEALTHCHECK: SymbolKind.Function,
  SHELL: SymbolKind.Function,
  ONBUILD: SymbolKind.Event,
  COPY: SymbolKind.File,
  ADD: SymbolKind.File,
};
const DETAIL_LENGTH = 60;

export function documentSymbols(model: DockerfileModel): DocumentSymbol[] {
  const global = model.instructions.filter((i) => i.stage === undefined).flatMap(variableSymbols);
  return [...global, ...model.stages.map((stage) => stageSymbol(model, stage))];
}

function stageSymbol(model: DockerfileModel, stage: Stage): DocumentSymbol {
  const from = stage.instructions[0]!;
  const last = stage.instructions.at(-1)!;
  const range: Range = { start: from.range.start, end: last.range.end };
  return {
    name: stageLabel(stage),
    detail: stage.base?.source.text ?? '',
    kind: SymbolKind.Module,
    range,
    selectionRange: stage.nameRange ?? from.keywordRange,
    children: stage.instructions.slice(1).flatMap((info) => (info.keyword === 'ARG' || info.keyword === 'ENV' ? variableSymbols(info) : [instructionSymbol(model, info)])),
  };
}

function stageLabel(stage: Stage): string {
  return stage.name ?? `stage ${stage.index}`;
}

function variableSymbols(info: InstructionInfo): DocumentSymbol[] {
  return info.properties.map((p) => ({
    name: p.getName(),
    detail: `${info.keyword}${p.getValue() !== null ? ` = ${oneLine(p.getValue() ?? '')}` : ''}`,
    kind: info.keyword === 'ARG' ? SymbolKind.Variable : SymbolKind.Constant,
    range: info.range,
    selectionRange: p.getNameRange(),
  }));
}

function instructionSymbol(model: DockerfileModel, info: InstructionInfo): DocumentSymbol {
  const args = info.argumentsRange;
  return {
    name: info.keyword,
    detail: args ? oneLine(model.document.getText(args)) : '',
    kind: KIND_BY_KEYWORD[info.keyword] ?? SymbolKind.Property,
    range: info.range,
    selectionRange: info.keywordRange,
  };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\\?\r?\n\s*/g, ' ').trim();
  return flat.length > DETAIL_LENGTH ? `${flat.slice(0, DETAIL_LENGTH - 1)}…` : flat;
}

/** Stages and global build arguments of one file, for "Go to Symbol in Workspace". */
export function workspaceSymbols(model: DockerfileModel, query: string): SymbolInformation[] {
  const uri = model.document.uri;
  const container = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
  const symbols: SymbolInformation[] = [
    ...model.stages.map((stage) => ({ name: stageLabel(stage), kind: SymbolKind.Module, location: { uri, range: stage.nameRange ?? stage.instructions[0]!.range }, containerName: container })),
    ...model.instructions
      .filter((i) => i.stage === undefined)
      .flatMap((i) => i.properties.map((p) => ({ name: p.getName(), kind: SymbolKind.Variable, location: { uri, range: p.getNameRange() }, containerName: container }))),
  ];
  return symbols.filter((s) => fuzzyMatch(query, s.name));
}

/** The query's characters appear in order, ignoring case, as VS Code's own symbol search does. */
export function fuzzyMatch(query: string, name: string): boolean {
  let at = 0;
  const lower = name.toLowerCase();
  for (const ch of query.toLowerCase()) {
    at = lower.indexOf(ch, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}
