/**
 * The source of syntaxes/dockerfile.tmLanguage.json (written by `npm run generate`, checked for
 * staleness by a test). It is a program rather than hand-written JSON because every rule exists
 * twice: once for the default escape character `\` and once for files that start with
 * `# escape=\``, where the backtick continues lines. TextMate cannot carry a setting from one line
 * to later ones, so a file whose directive says backtick is tokenised inside a region that never ends.
 *
 * It replaces the built-in grammar for the `dockerfile` language under the same scope name, so
 * themes and other extensions' injections into `source.dockerfile` keep working; the scope names
 * of instructions, comments and strings are the built-in grammar's where it has one.
 */
import { INSTRUCTIONS } from '../server/src/language/instructionTable';

type Rule = Record<string, unknown>;

/** Instructions whose arguments get their own treatment below. */
const SPECIAL = new Set(['FROM', 'RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK', 'ARG', 'ENV', 'LABEL', 'EXPOSE', 'COPY', 'ADD', 'ONBUILD']);
const PLAIN = Object.keys(INSTRUCTIONS).filter((k) => !SPECIAL.has(k));

/** Heredoc destinations whose content is shown in their own language. */
const HEREDOC_LANGUAGES: readonly (readonly [string, string, string])[] = [
  ['json', 'source.json', 'json'],
  ['ya?ml', 'source.yaml', 'yaml'],
  ['py', 'source.python', 'python'],
  ['sh|bash', 'source.shell', 'shell'],
  ['js|mjs|cjs', 'source.js', 'js'],
  ['conf', 'source.nginx', 'nginx'],
];

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const KEYWORD = 'keyword.other.special-method.dockerfile';

function rules(esc: string, suffix: string): { repository: Record<string, Rule>; patterns: Rule[] } {
  const e = esc === '\\' ? '\\\\' : esc;
  const ref = (name: string) => ({ include: `#${name}${suffix}` });
  const instruction = (keywords: string, rest: string = '') => `^[ \\t]*(?i:(ONBUILD)[ \\t]+)?(?i:(${keywords}))(?=[ \\t]|${e}?$)${rest}`;
  // An instruction goes on while lines end in the escape character; comment lines inside it are
  // dropped by the builder and consume their newline, so the end cannot match after them.
  const end = `(?<!${e})(?<!\\n)$`;
  const keywordCaptures = { 1: { name: 'keyword.control.onbuild.dockerfile' }, 2: { name: KEYWORD } };
  const common = [ref('continuation'), ref('comment-line')];
  const flagsThen = (keywords: string, rest = '') => instruction(keywords, `((?:[ \\t]+--[A-Za-z][\\w-]*(?:=(?:"[^"]*"|[^ \\t\\n]*))?)*)${rest}`);
  const withFlags = { ...keywordCaptures, 3: { patterns: [ref('flag')] } };

  const repository: Record<string, Rule> = {
    continuation: { match: `${e}[ \\t]*$`, name: 'constant.character.escape.line-continuation.dockerfile' },
    'comment-line': {
      match: '^[ \\t]*(#).*\\n?',
      name: 'comment.line.number-sign.dockerfile',
      captures: { 1: { name: 'punctuation.definition.comment.dockerfile' } },
    },
    directive: {
      match: '^[ \\t]*(#)[ \\t]*(?i:(syntax|escape|check))[ \\t]*(=)[ \\t]*(.*)$',
      name: 'meta.directive.dockerfile',
      captures: {
        1: { name: 'punctuation.definition.comment.dockerfile' },
        2: { name: 'keyword.other.directive.dockerfile' },
        3: { name: 'keyword.operator.assignment.dockerfile' },
        4: { name: 'string.unquoted.directive.dockerfile' },
      },
    },
    comment: {
      match: '^[ \\t]*(#).*$',
      name: 'comment.line.number-sign.dockerfile',
      captures: { 1: { name: 'punctuation.definition.comment.dockerfile' } },
    },
    variable: {
      patterns: [
        {
          match: `(\\$\\{)(${NAME})(?:(:?[-+?])([^}]*))?(\\})`,
          name: 'meta.variable.dockerfile',
          captures: {
            1: { name: 'punctuation.definition.variable.begin.dockerfile' },
            2: { name: 'variable.other.dockerfile' },
            3: { name: 'keyword.operator.modifier.dockerfile' },
            4: { name: 'string.unquoted.default.dockerfile' },
            5: { name: 'punctuation.definition.variable.end.dockerfile' },
          },
        },
        { match: `(\\$)(${NAME})`, captures: { 1: { name: 'punctuation.definition.variable.dockerfile' }, 2: { name: 'variable.other.dockerfile' } } },
      ],
    },
    string: {
      patterns: [
        { begin: '"', end: `"|(?<!${e})$`, name: 'string.quoted.double.dockerfile', patterns: [{ match: `${e}.`, name: 'constant.character.escape.dockerfile' }, ref('variable')] },
        { begin: "'", end: `'|(?<!${e})$`, name: 'string.quoted.single.dockerfile' },
      ],
    },
    flag: {
      match: '(--)([A-Za-z][\\w-]*)(?:(=)("[^"]*"|[^ \\t\\n]*))?',
      captures: {
        1: { name: 'punctuation.definition.flag.dockerfile' },
        2: { name: 'variable.parameter.flag.dockerfile' },
        3: { name: 'keyword.operator.assignment.dockerfile' },
        4: { name: 'string.unquoted.flag-value.dockerfile', patterns: [ref('variable')] },
      },
    },
    'json-array': {
      begin: '\\[(?=[ \\t]*")',
      end: `\\]|${end}`,
      name: 'meta.array.exec-form.dockerfile',
      beginCaptures: { 0: { name: 'punctuation.definition.array.begin.dockerfile' } },
      endCaptures: { 0: { name: 'punctuation.definition.array.end.dockerfile' } },
      patterns: [
        ...common,
        { match: '"(?:[^"\\\\]|\\\\.)*"', name: 'string.quoted.double.json.dockerfile' },
        { match: ',', name: 'punctuation.separator.array.dockerfile' },
      ],
    },
    'heredoc-shell': heredoc('source.shell', 'shell', [ref('continuation'), { include: 'source.shell' }]),
    'heredoc-copy': {
      patterns: [
        ...HEREDOC_LANGUAGES.map(([ext, scope, name]) => heredoc(scope, name, [{ include: scope }], `(?=.*\\.(?:${ext})[ \\t]*$)`)),
        heredoc(undefined, 'text', []),
      ],
    },
    from: {
      begin: flagsThen('FROM'),
      beginCaptures: withFlags,
      end,
      name: 'meta.instruction.from.dockerfile',
      patterns: [
        ...common,
        { match: `(?i:[ \\t](AS))[ \\t]+([^ \\t\\n]+)`, captures: { 1: { name: 'keyword.other.as.dockerfile' }, 2: { name: 'entity.name.type.stage.dockerfile' } } },
        { match: '(?<=[ \\t])(?!-)[^ \\t\\n]+', name: 'entity.name.type.base-image.dockerfile', captures: { 0: { patterns: [ref('variable')] } } },
      ],
    },
    'exec-form': {
      begin: instruction('RUN|CMD|ENTRYPOINT|SHELL', '[ \\t]+(?=\\[[ \\t]*")'),
      beginCaptures: keywordCaptures,
      end,
      name: 'meta.instruction.exec-form.dockerfile',
      patterns: [...common, ref('json-array')],
    },
    run: {
      begin: flagsThen('RUN|CMD|ENTRYPOINT'),
      beginCaptures: withFlags,
      end,
      name: 'meta.instruction.shell-form.dockerfile',
      contentName: 'meta.embedded.line.shell',
      patterns: [...common, ref('heredoc-shell'), { include: 'source.shell' }],
    },
    healthcheck: {
      begin: flagsThen('HEALTHCHECK', '(?:[ \\t]+(?i:(CMD)|(NONE))\\b)?'),
      beginCaptures: { ...withFlags, 4: { name: KEYWORD }, 5: { name: 'constant.language.none.dockerfile' } },
      end,
      name: 'meta.instruction.healthcheck.dockerfile',
      patterns: [...common, ref('json-array'), { include: 'source.shell' }],
    },
    'key-value': {
      // `ENV NAME value` and `ARG NAME` name their key first, without `=`.
      begin: instruction('ARG|ENV|LABEL', '(?:[ \\t]+([A-Za-z_][\\w.-]*)(?=[ \\t]|$))?'),
      beginCaptures: { ...keywordCaptures, 3: { name: 'variable.other.key.dockerfile' } },
      end,
      name: 'meta.instruction.key-value.dockerfile',
      patterns: [
        ...common,
        { match: '([A-Za-z_][\\w.-]*|"[^"]*")(=)', captures: { 1: { name: 'variable.other.key.dockerfile' }, 2: { name: 'keyword.operator.assignment.dockerfile' } } },
        ref('string'),
        ref('variable'),
      ],
    },
    expose: {
      begin: instruction('EXPOSE'),
      beginCaptures: keywordCaptures,
      end,
      name: 'meta.instruction.expose.dockerfile',
      patterns: [
        ...common,
        { match: '\\b(\\d+(?:-\\d+)?)(?:(/)(?i:(tcp|udp|sctp)))?\\b', captures: { 1: { name: 'constant.numeric.port.dockerfile' }, 2: { name: 'punctuation.separator.protocol.dockerfile' }, 3: { name: 'constant.language.protocol.dockerfile' } } },
        ref('variable'),
      ],
    },
    copy: {
      begin: flagsThen('COPY|ADD'),
      beginCaptures: withFlags,
      end,
      name: 'meta.instruction.copy.dockerfile',
      patterns: [...common, ref('heredoc-copy'), ref('json-array'), ref('string'), ref('variable')],
    },
    plain: {
      begin: instruction(PLAIN.join('|')),
      beginCaptures: keywordCaptures,
      end,
      name: 'meta.instruction.dockerfile',
      patterns: [...common, ref('json-array'), ref('string'), ref('variable')],
    },
  };

  /**
   * `<<EOF` … `EOF`: the body in `scope`'s language from the next line on, the rest of the opening
   * line (`<<EOF > /etc/app.json`) still Dockerfile text; `<<-` allows tabs before the delimiter.
   */
  function heredoc(scope: string | undefined, name: string, body: Rule[], condition = ''): Rule {
    return {
      begin: `(<<(-?))(["']?)(${NAME})(\\3)${condition}`,
      end: '^\\t*(\\4)$',
      name: `meta.heredoc.${name}.dockerfile`,
      beginCaptures: {
        1: { name: 'keyword.operator.heredoc.dockerfile' },
        3: { name: 'punctuation.definition.string.begin.dockerfile' },
        4: { name: 'entity.name.tag.heredoc.dockerfile' },
        5: { name: 'punctuation.definition.string.end.dockerfile' },
      },
      endCaptures: { 1: { name: 'entity.name.tag.heredoc.dockerfile' } },
      // The body's scope covers the rest of the opening line too: a nested region cannot end at
      // the delimiter, since back-references only reach the captures of their own rule.
      contentName: scope ? `meta.embedded.block.${name}` : 'string.unquoted.heredoc.dockerfile',
      patterns: [{ begin: '\\G', end: '$', patterns: [ref('flag'), ref('string'), ref('variable')] }, ...body],
    };
  }

  const names = ['directive', 'comment', 'from', 'exec-form', 'run', 'healthcheck', 'key-value', 'expose', 'copy', 'plain'];
  return {
    repository: Object.fromEntries(Object.entries(repository).map(([k, v]) => [`${k}${suffix}`, v])),
    patterns: names.map(ref),
  };
}

export function grammar(): Rule {
  const plain = rules('\\', '');
  const backtick = rules('`', '-backtick');
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Dockerfile (dockwise)',
    scopeName: 'source.dockerfile',
    comment: 'Generated from syntaxes/grammar.ts by `npm run generate`; edit that file instead.',
    patterns: [
      {
        // From a `# escape=`\`` directive on, the backtick continues lines (directives come first in a file).
        begin: '^(?=[ \\t]*#[ \\t]*(?i:escape)[ \\t]*=[ \\t]*`[ \\t]*$)',
        end: '(?!)',
        name: 'meta.escape-backtick.dockerfile',
        patterns: backtick.patterns,
      },
      ...plain.patterns,
    ],
    repository: { ...plain.repository, ...backtick.repository },
  };
}
