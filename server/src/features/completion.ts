/**
 * Completion: instructions (as snippets), parser directives, flags per instruction, `--mount`
 * options, stage names after `--from=`, ARG/ENV names after `$`, and in `FROM` image names and
 * tags. Tags come from the registry, fetched by the caller: `completionContext` says what is
 * needed, `completionItems` turns it (and the tags, if any) into items.
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver-types';
import { PLATFORM_ARGS, PROXY_ARGS } from '../language/buildArgs';
import { parseImageRef, type ImageRef } from '../language/imageRef';
import type { DockerfileModel, InstructionInfo } from '../language/model';
import { contains } from '../language/positions';
import { isTag } from '../registry/validate';
import { INSTRUCTIONS } from '../language/instructionTable';
import { FLAGS, INSTRUCTION_DOCS, MOUNT_OPTIONS, syntaxLine } from './instructionDocs';
import { occurrences } from './occurrences';

export type CompletionContext =
  | { readonly kind: 'directive'; readonly range: Range }
  | { readonly kind: 'instruction'; readonly range: Range; readonly afterOnbuild: boolean }
  | { readonly kind: 'flag'; readonly keyword: string; readonly used: readonly string[]; readonly range: Range }
  | { readonly kind: 'mount-option'; readonly range: Range }
  | { readonly kind: 'stage'; readonly before: number | undefined; readonly range: Range }
  | { readonly kind: 'variable'; readonly stage: number | undefined; readonly range: Range }
  | { readonly kind: 'image'; readonly stage: number; readonly range: Range }
  | { readonly kind: 'tag'; readonly ref: ImageRef; readonly range: Range }
  | { readonly kind: 'as'; readonly range: Range };

/** Images worth offering by name in `FROM` before anything is typed: the common official bases. */
const COMMON_IMAGES: readonly string[] = [
  'alpine', 'debian', 'ubuntu', 'busybox', 'python', 'node', 'golang', 'rust', 'eclipse-temurin', 'openjdk', 'ruby', 'php',
  'nginx', 'httpd', 'postgres', 'redis', 'mysql', 'mariadb', 'mongo', 'gcr.io/distroless/static-debian12',
  'gcr.io/distroless/base-debian12', 'gcr.io/distroless/cc-debian12', 'mcr.microsoft.com/dotnet/aspnet', 'mcr.microsoft.com/dotnet/sdk', 'scratch',
];
const DIRECTIVES: readonly (readonly [string, string, string])[] = [
  ['syntax', 'syntax=${1:docker/dockerfile:1}', 'The BuildKit frontend that reads this file.'],
  ['escape', 'escape=${1|\\`,\\\\|}', 'The character that escapes and continues lines (`\\` or `` ` ``).'],
  ['check', 'check=${1|skip=,error=true|}', 'Which BuildKit build checks to skip, and whether warnings fail the build.'],
];
const MAX_TAGS = 500;

export function completionContext(model: DockerfileModel, position: Position): CompletionContext | undefined {
  const lines = model.document.getText().split(/\r\n|\r|\n/);
  const lineText = (lines[position.line] ?? '').slice(0, position.character);
  const word = (length: number): Range => ({ start: { line: position.line, character: position.character - length }, end: position });
  const info = model.instructions.find((i) => contains(i.range, position) && !(i.range.start.line === position.line && onKeyword(i, position)));
  if (!info) {
    const directive = /^\s*#\s*(\w*)$/.exec(lineText);
    if (directive) return lines.slice(0, position.line).every((l) => /^\s*#\s*\w+\s*=/.test(l)) ? { kind: 'directive', range: word(directive[1]!.length) } : undefined;
    const keyword = /^\s*(?:(onbuild)\s+)?([A-Za-z]*)$/i.exec(lineText);
    return keyword && !continues(lines, position.line, model.escapeChar) ? { kind: 'instruction', range: word(keyword[2]!.length), afterOnbuild: !!keyword[1] } : undefined;
  }
  const before = model.document.getText({ start: info.range.start, end: position });
  const variable = /\$\{?([A-Za-z_]\w*)?$/.exec(before);
  if (variable) return { kind: 'variable', stage: info.keyword === 'FROM' ? undefined : info.stage, range: word(variable[1]?.length ?? 0) };
  const stageValue = /(?:--from=|--mount=\S*\bfrom=)([\w.-]*)$/i.exec(before);
  if (stageValue) return { kind: 'stage', before: info.stage, range: word(stageValue[1]!.length) };
  const mountOption = /--mount=(?:\S*,)?([\w-]*)$/i.exec(before);
  if (mountOption) return { kind: 'mount-option', range: word(mountOption[1]!.length) };
  const tokens = before.slice(info.keywordRange.end.character - info.range.start.character).trimStart().split(/\s+/);
  const current = tokens.pop() ?? '';
  const flagsOnly = tokens.every((t) => t.startsWith('--'));
  if (flagsOnly && current.startsWith('-') && INSTRUCTIONS[info.keyword]?.length) {
    return { kind: 'flag', keyword: info.keyword, used: tokens.map((t) => t.slice(2).split('=')[0]!.toLowerCase()), range: word(current.length) };
  }
  if (info.keyword !== 'FROM' || info.stage === undefined) return undefined;
  const positional = tokens.filter((t) => !t.startsWith('--'));
  if (positional.length === 1 && /^a?s?$/i.test(current)) return { kind: 'as', range: word(current.length) };
  if (positional.length > 0 || current.includes('$') || current.includes('@')) return undefined;
  const colon = current.lastIndexOf(':');
  if (colon > current.lastIndexOf('/')) {
    const parsed = parseImageRef(current.slice(0, colon));
    return parsed ? { kind: 'tag', ref: parsed.ref, range: word(current.length - colon - 1) } : undefined;
  }
  return { kind: 'image', stage: info.stage, range: word(current.length) };
}

function onKeyword(info: InstructionInfo, position: Position): boolean {
  const keyword = info.keywordRange;
  return position.character <= keyword.end.character;
}

function continues(lines: readonly string[], line: number, escapeChar: string): boolean {
  for (let i = line - 1; i >= 0; i--) {
    const text = lines[i]!.trimEnd();
    if (/^\s*#/.test(text)) continue;
    return text.endsWith(escapeChar);
  }
  return false;
}

/** Items for a context; `tags` are the repository's tags when the context asks for them. */
export function completionItems(model: DockerfileModel, context: CompletionContext, tags: readonly string[] = []): CompletionItem[] {
  const edit = (newText: string) => ({ range: context.range, newText });
  switch (context.kind) {
    case 'directive':
      return DIRECTIVES.map(([label, snippet, doc]) => ({ label, kind: CompletionItemKind.Keyword, detail: 'parser directive', documentation: doc, insertTextFormat: InsertTextFormat.Snippet, textEdit: edit(snippet) }));
    case 'instruction':
      return Object.entries(INSTRUCTION_DOCS)
        .filter(([keyword]) => !context.afterOnbuild || !['FROM', 'ONBUILD', 'MAINTAINER'].includes(keyword))
        .map(([keyword, doc]) => ({
          label: keyword,
          kind: CompletionItemKind.Keyword,
          detail: doc.summary,
          documentation: { kind: MarkupKind.Markdown, value: `\`\`\`\n${syntaxLine(keyword)}\n\`\`\`\n${doc.summary}` },
          insertTextFormat: InsertTextFormat.Snippet,
          textEdit: edit(doc.snippet),
          ...(keyword === 'MAINTAINER' ? { tags: [1] } : {}),
        }));
    case 'flag':
      return (INSTRUCTIONS[context.keyword] ?? [])
        .filter((name) => FLAGS[name] && (name === 'mount' || !context.used.includes(name)))
        .map((name) => ({ label: `--${name}`, kind: CompletionItemKind.Property, detail: FLAGS[name]!.label, documentation: FLAGS[name]!.documentation, insertTextFormat: InsertTextFormat.Snippet, textEdit: edit(FLAGS[name]!.snippet) }));
    case 'mount-option':
      return MOUNT_OPTIONS.map((option) => ({ label: option, kind: CompletionItemKind.Property, textEdit: edit(option === 'readonly' ? option : `${option}=`) }));
    case 'stage':
      return model.stages
        .filter((s) => s.name && (context.before === undefined || s.index < context.before))
        .map((s) => ({ label: s.name!, kind: CompletionItemKind.Module, detail: `stage ${s.index}: FROM ${s.base?.source.text ?? ''}`, textEdit: edit(s.name!) }));
    case 'variable':
      return variableNames(model, context.stage).map(([name, detail]) => ({ label: name, kind: CompletionItemKind.Variable, detail, textEdit: edit(name) }));
    case 'as':
      return [{ label: 'AS', kind: CompletionItemKind.Keyword, detail: 'name this stage', insertTextFormat: InsertTextFormat.Snippet, textEdit: edit('AS ${1:name}') }];
    case 'image':
      return imageNames(model, context.stage).map(([name, detail], i) => ({ label: name, kind: CompletionItemKind.Module, detail, sortText: String(i).padStart(4, '0'), textEdit: edit(name) }));
    case 'tag':
      // Only what the tag grammar allows becomes insert text (a cached list may predate the client's own check).
      return orderTags(tags.filter(isTag))
        .slice(0, MAX_TAGS)
        .map((tag, i) => ({ label: tag, kind: CompletionItemKind.Constant, detail: `${context.ref.canonicalName}:${tag}`, sortText: String(i).padStart(4, '0'), textEdit: edit(tag) }));
  }
}

/** Declared names a `$` can refer to here, with where each comes from. */
function variableNames(model: DockerfileModel, stage: number | undefined): [string, string][] {
  const names = new Map<string, string>();
  for (const o of occurrences(model)) {
    if (o.kind === 'variable' && o.declaration && (o.stage === undefined || stage === undefined || o.stage <= stage)) {
      names.set(o.name, o.stage === undefined ? 'global ARG' : `${o.declaredBy} in stage ${o.stage}`);
    }
  }
  for (const name of PLATFORM_ARGS) if (!names.has(name)) names.set(name, stage === undefined ? 'set by BuildKit' : 'set by BuildKit (declare it with ARG in the stage)');
  for (const name of PROXY_ARGS) if (!names.has(name)) names.set(name, 'proxy, set by BuildKit when given');
  return [...names];
}

/** Earlier stages, images this file already uses, then the common bases. */
function imageNames(model: DockerfileModel, stage: number): [string, string][] {
  const names = new Map<string, string>();
  for (const s of model.stages) if (s.index < stage && s.name) names.set(s.name, `stage ${s.index}`);
  for (const s of model.stages) if (s.base?.kind === 'image') names.set(s.base.ref.familiar.replace(/[:@].*$/, ''), 'used in this file');
  for (const image of COMMON_IMAGES) if (!names.has(image)) names.set(image, 'common base image');
  return [...names];
}

/** Newest versions first and, within a version, the most specific tag first; other tags last. */
export function orderTags(tags: readonly string[]): string[] {
  // Versions parsed once per tag, not once per comparison: a tag list has up to 10,000 entries.
  const keyed = tags.map((tag) => ({ tag, version: /^v?(\d+(?:\.\d+)*)/.exec(tag)?.[1]?.split('.').map(Number) }));
  return keyed
    .sort(({ tag: a, version: va }, { tag: b, version: vb }) => {
      if (!va || !vb) return va ? -1 : vb ? 1 : a.localeCompare(b);
      for (let i = 0; i < Math.min(va.length, vb.length); i++) if (va[i] !== vb[i]) return vb[i]! - va[i]!;
      return vb.length - va.length || a.length - b.length || a.localeCompare(b);
    })
    .map((k) => k.tag);
}
