/** Renders docs/rules/<id>.md and the index from rule metadata (`npm run generate` writes them). */
import { LEFT_OUT, TOOL_NAMES, TOOLS, type Tool } from './compatibility';
import type { Category, Rule, RuleMeta } from '../../engine/rule';

const FIXABLE: Record<RuleMeta['fixable'], string> = { never: 'no', sometimes: 'sometimes', always: 'yes' };

const section = (title: string, body: string) => [`## ${title}`, '', body.trim(), ''];
const dockerfile = (code: string) => ['```dockerfile', code.trim(), '```'].join('\n');

export function rulePage({ meta }: Rule): string {
  const { id, docs, aliases } = meta;
  const hadolint = aliases.hadolint ?? [];
  const buildkit = aliases.buildkit ?? [];
  const aliasText = TOOL_NAMES.flatMap((tool) => (aliases[tool] ?? []).map((a) => `${TOOLS[tool].name} \`${a}\``)).join(', ') || 'none';
  const suppress = [
    `- On the line above the instruction: \`# dockwise-ignore ${id}\`; for the whole file: \`# dockwise-ignore-file ${id}\`.`,
    ...(hadolint.length ? [`- hadolint's comments work too: \`# hadolint ignore=${hadolint.join(',')}\`, and \`ignored:\` in \`.hadolint.yaml\`.`] : []),
    ...(buildkit.length ? [`- BuildKit's directive works too: \`# check=skip=${buildkit.join(',')}\`.`] : []),
    ...(aliases.trivy?.length || aliases.checkov?.length ? ["- Trivy's `.trivyignore` and checkov's `# checkov:skip=` are read by those tools only; they do not silence dockwise."] : []),
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
  const mapped = (tool: Tool) => new Set(rules.flatMap((r) => r.meta.aliases[tool] ?? []));
  const coverage = (tool: Tool) =>
    Object.entries(TOOLS[tool].checks).map(([name, title]) => {
      const ours = rules.filter((r) => r.meta.aliases[tool]?.includes(name)).map((r) => `[\`${r.meta.id}\`](${r.meta.id}.md)`);
      const status = ours.length ? ours.join(', ') : `left out: ${LEFT_OUT[name] ?? 'not yet'}`;
      return `| \`${name}\` | ${title} | ${status} |`;
    });
  return [
    '# dockwise rules',
    '',
    `${rules.length} rules; ${TOOL_NAMES.map((tool) => `${mapped(tool).size} of ${TOOLS[tool].name}'s ${Object.keys(TOOLS[tool].checks).length} ${TOOLS[tool].noun}`).join(', ')} map onto them.`,
    '',
    "A check maps onto the rule that reports the same problem. The rule may stay quiet where the file shows the harm is absent; a check that flags something wider is listed as left out, naming the rule that covers part of it. The tables of the other tools' checks are at the end.",
    '',
    ...[...byCategory].filter(([, list]) => list.length > 0).flatMap(([category, list]) => [
      `## ${category}`,
      '',
      '| rule | what it flags | default | fix |',
      '|---|---|---|---|',
      ...list.map(({ meta }) => `| [\`${meta.id}\`](${meta.id}.md) | ${meta.description} | ${meta.severity} | ${FIXABLE[meta.fixable]} |`),
      '',
    ]),
    ...TOOL_NAMES.flatMap((tool) => [
      `## ${TOOLS[tool].name} ${TOOLS[tool].noun}`,
      '',
      `From ${TOOLS[tool].source}.`,
      '',
      '| id | what it flags | dockwise |',
      '|---|---|---|',
      ...coverage(tool),
      '',
    ]),
    '<!-- Generated from the rule metadata in server/src/rules/ by `npm run generate`; edit it there. -->',
    '',
  ].join('\n');
}
