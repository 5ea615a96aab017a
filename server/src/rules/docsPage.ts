/** Renders docs/rules/<id>.md and the index from rule metadata (`npm run generate` writes them). */
import { BUILDKIT_CHECKS, HADOLINT_RULES, LEFT_OUT } from './compatibility';
import type { Category, Rule, RuleMeta } from './rule';

const FIXABLE: Record<RuleMeta['fixable'], string> = { never: 'no', sometimes: 'sometimes', always: 'yes' };

const section = (title: string, body: string) => [`## ${title}`, '', body.trim(), ''];
const dockerfile = (code: string) => ['```dockerfile', code.trim(), '```'].join('\n');

export function rulePage({ meta }: Rule): string {
  const { id, docs, aliases } = meta;
  const hadolint = aliases.hadolint ?? [];
  const buildkit = aliases.buildkit ?? [];
  const aliasText = [...hadolint.map((a) => `hadolint \`${a}\``), ...buildkit.map((a) => `BuildKit \`${a}\``)].join(', ') || 'none';
  const suppress = [
    `- On the line above the instruction: \`# dockwise-ignore ${id}\`; for the whole file: \`# dockwise-ignore-file ${id}\`.`,
    ...(hadolint.length ? [`- hadolint's comments work too: \`# hadolint ignore=${hadolint.join(',')}\`, and \`ignored:\` in \`.hadolint.yaml\`.`] : []),
    ...(buildkit.length ? [`- BuildKit's directive works too: \`# check=skip=${buildkit.join(',')}\`.`] : []),
    `- In settings: \`"dockwise.rules": { "${id}": "off" }\`.`,
  ];
  return [
    `# ${id}`,
    '',
    `**${meta.title}**`,
    '',
    `| category | default severity | quick fix | aliases |`,
    `|---|---|---|---|`,
    `| ${meta.category} | ${meta.severity} | ${FIXABLE[meta.fixable]} | ${aliasText} |`,
    '',
    meta.description,
    '',
    ...section('Why', docs.why),
    ...section('Bad', dockerfile(docs.bad)),
    ...section('Good', dockerfile(docs.good)),
    ...section('Fix', docs.fix),
    ...section('Suppress', suppress.join('\n')),
    '<!-- Generated from the rule metadata in server/src/rules/ by `npm run generate`; edit it there. -->',
    '',
  ].join('\n');
}

const CATEGORY_ORDER: readonly Category[] = ['base-image', 'security', 'correctness', 'build-cache', 'image-size', 'maintainability', 'syntax', 'style'];

export function indexPage(rules: readonly Rule[]): string {
  const byCategory = new Map<Category, Rule[]>(CATEGORY_ORDER.map((c) => [c, []]));
  for (const rule of rules) byCategory.get(rule.meta.category)!.push(rule);
  const mapped = (tool: 'hadolint' | 'buildkit') => new Set(rules.flatMap((r) => r.meta.aliases[tool] ?? []));
  const coverage = (tool: 'hadolint' | 'buildkit', all: Readonly<Record<string, string>>) =>
    Object.entries(all).map(([name, title]) => {
      const ours = rules.filter((r) => r.meta.aliases[tool]?.includes(name)).map((r) => `[\`${r.meta.id}\`](${r.meta.id}.md)`);
      const status = ours.length ? ours.join(', ') : `left out: ${LEFT_OUT[name] ?? 'not yet'}`;
      return `| \`${name}\` | ${title} | ${status} |`;
    });
  return [
    '# dockwise rules',
    '',
    `${rules.length} rules; ${mapped('buildkit').size} of BuildKit's ${Object.keys(BUILDKIT_CHECKS).length} checks and ${mapped('hadolint').size} of hadolint's ${Object.keys(HADOLINT_RULES).length} DL rules map onto them.`,
    '',
    ...[...byCategory].filter(([, list]) => list.length > 0).flatMap(([category, list]) => [
      `## ${category}`,
      '',
      '| rule | what it flags | default | fix |',
      '|---|---|---|---|',
      ...list.map(({ meta }) => `| [\`${meta.id}\`](${meta.id}.md) | ${meta.description} | ${meta.severity} | ${FIXABLE[meta.fixable]} |`),
      '',
    ]),
    '## BuildKit checks',
    '',
    '| check | what it flags | dockwise |',
    '|---|---|---|',
    ...coverage('buildkit', BUILDKIT_CHECKS),
    '',
    '## hadolint rules',
    '',
    '| rule | what it flags | dockwise |',
    '|---|---|---|',
    ...coverage('hadolint', HADOLINT_RULES),
    '',
    '<!-- Generated from the rule metadata in server/src/rules/ by `npm run generate`; edit it there. -->',
    '',
  ].join('\n');
}
