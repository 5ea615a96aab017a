/**
 * Semantic tokens where they add to the grammar: what a name means, which TextMate cannot know.
 * Variables are marked as declarations, build arguments (`readonly`), BuildKit's own
 * (`defaultLibrary`) or declared nowhere in the file (`unresolved`: from the base image, or a typo);
 * stage names as `namespace`.
 */
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import { PLATFORM_ARGS, PROXY_ARGS } from '../language/buildArgs';
import type { DockerfileModel } from '../language/model';
import { declarationOf, occurrences, type Occurrence } from './occurrences';

const TYPES = ['variable', 'namespace'] as const;
const MODIFIERS = ['declaration', 'readonly', 'defaultLibrary', 'unresolved'] as const;

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const BUILDKIT_ARGS = new Set([...PLATFORM_ARGS, ...PROXY_ARGS]);
const bit = (modifier: (typeof MODIFIERS)[number]) => 1 << MODIFIERS.indexOf(modifier);

export function semanticTokens(model: DockerfileModel): SemanticTokens {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const o of occurrences(model)) {
    if (o.range.start.line !== o.range.end.line) continue;
    const deltaLine = o.range.start.line - line;
    data.push(deltaLine, deltaLine === 0 ? o.range.start.character - character : o.range.start.character, o.range.end.character - o.range.start.character, TYPES.indexOf(o.kind === 'stage' ? 'namespace' : 'variable'), modifiers(model, o));
    line = o.range.start.line;
    character = o.range.start.character;
  }
  return { data };
}

function modifiers(model: DockerfileModel, o: Occurrence): number {
  if (o.kind === 'stage') return o.declaration ? bit('declaration') : 0;
  if (o.declaration) return bit('declaration') | (o.declaredBy === 'ARG' ? bit('readonly') : 0);
  const declared = declarationOf(model, o);
  if (declared) return declared.declaredBy === 'ARG' ? bit('readonly') : 0;
  return BUILDKIT_ARGS.has(o.name) ? bit('defaultLibrary') : bit('unresolved');
}
