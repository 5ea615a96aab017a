/** Folding: whole stages, instructions over several lines (continuations, heredocs), comment blocks. */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../language/model';

export function foldingRanges(model: DockerfileModel): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine > startLine && !ranges.some((r) => r.startLine === startLine && r.endLine === endLine)) ranges.push({ startLine, endLine, ...(kind ? { kind } : {}) });
  };
  for (const stage of model.stages) add(stage.instructions[0]!.range.start.line, stage.instructions.at(-1)!.range.end.line);
  for (const info of model.instructions) add(info.range.start.line, info.range.end.line);
  let block: { start: number; end: number } | undefined;
  for (const comment of model.ast.getComments()) {
    const line = comment.getRange().start.line;
    if (block && line === block.end + 1) block.end = line;
    else {
      if (block) add(block.start, block.end, FoldingRangeKind.Comment);
      block = { start: line, end: line };
    }
  }
  if (block) add(block.start, block.end, FoldingRangeKind.Comment);
  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
