/**
 * `.dockwise.yaml`, the one configuration file the editor and CI share, read strictly: a typo in a
 * rule id or a level would otherwise change nothing without anyone noticing, so every unknown key,
 * rule id or value is a problem that names its line and key, and callers refuse the whole file.
 * Pure: the caller reads the file.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { editDistance } from '../language/editDistance';
import type { RuleLevel } from '../engine/lint';
import type { NetworkMode } from '../registry/policy';
import { rules } from '../rules';
import { TOOL_NAMES, TOOLS } from '../rules/catalogue/compatibility';
import { NETWORK_MODES, PLATFORM_PATTERN, RULE_LEVELS } from '../settings';

/** Looked for in this order in each folder. */
export const CONFIG_FILE_NAMES = ['.dockwise.yaml', '.dockwise.yml'];

export interface DockwiseConfig {
  readonly rules: Readonly<Record<string, RuleLevel>>;
  /** `undefined` when the file does not say; then the editor's or the command line's list applies. */
  readonly trustedRegistries?: readonly string[];
  readonly targetPlatforms?: readonly string[];
  /** `.gitignore`-style patterns relative to the file's folder: Dockerfiles they match are not linted. */
  readonly ignorePaths: readonly string[];
  /** Which registries `dockwise lint --online` may ask; the editor keeps its own settings for this. */
  readonly registry: { readonly network?: NetworkMode; readonly hosts: readonly string[] };
}

export interface ConfigProblem {
  /** 1-based. */
  readonly line: number;
  /** The key the problem is under, as a path: `rules.image-tag-latst`, `targetPlatforms[1]`; empty for the whole file. */
  readonly key: string;
  readonly message: string;
}

export type ParsedConfig = { readonly config: DockwiseConfig; readonly problem?: never } | { readonly problem: ConfigProblem; readonly config?: never };

/** The keys the file may have, each with what it holds; the JSON schema is written from the same list. */
export const CONFIG_KEYS = ['rules', 'trustedRegistries', 'targetPlatforms', 'ignorePaths', 'registry'] as const;
const REGISTRY_KEYS = ['network', 'hosts'] as const;
const PLATFORM = new RegExp(PLATFORM_PATTERN);

class Problem extends Error {
  constructor(
    readonly node: Node | null | undefined,
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

export function parseDockwiseConfig(text: string): ParsedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lines.linePos(offset).line;
  const [syntax] = doc.errors;
  if (syntax) return { problem: { line: lineAt(syntax.pos[0]), key: keyPathAt(doc.contents, syntax.pos[0]), message: syntax.message } };
  try {
    return { config: readConfig(doc.contents) };
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    return { problem: { line: error.node?.range ? lineAt(error.node.range[0]) : 1, key: error.key, message: error.message } };
  }
}

function readConfig(root: unknown): DockwiseConfig {
  // An empty file (or one with comments only) configures nothing.
  if (root === null || root === undefined) return { rules: {}, ignorePaths: [], registry: { hosts: [] } };
  if (!isMap(root)) throw new Problem(root as Node, '', `must be a mapping with any of ${CONFIG_KEYS.join(', ')}`);
  let config: DockwiseConfig = { rules: {}, ignorePaths: [], registry: { hosts: [] } };
  for (const pair of root.items) {
    const key = keyOf(pair, '');
    const value = pair.value as Node | null;
    switch (key as (typeof CONFIG_KEYS)[number]) {
      case 'rules':
        config = { ...config, rules: readRules(value) };
        break;
      case 'trustedRegistries': {
        const list = readStrings(value, key);
        config = { ...config, ...(list ? { trustedRegistries: list } : {}) };
        break;
      }
      case 'targetPlatforms': {
        const list = readStrings(value, key, (platform) => (PLATFORM.test(platform) ? undefined : 'must be os/arch or os/arch/variant, such as linux/amd64 or linux/arm/v7'));
        config = { ...config, ...(list ? { targetPlatforms: list } : {}) };
        break;
      }
      case 'ignorePaths':
        config = { ...config, ignorePaths: readStrings(value, key) ?? [] };
        break;
      case 'registry':
        config = { ...config, registry: readRegistry(value) };
        break;
      default:
        throw new Problem(pair.key as Node, key, `unknown key${suggestion(key, CONFIG_KEYS)}; the file may have ${CONFIG_KEYS.join(', ')}`);
    }
  }
  return config;
}

function readRules(node: Node | null): Record<string, RuleLevel> {
  const levels: Record<string, RuleLevel> = {};
  if (isEmpty(node)) return levels;
  if (!isMap(node)) throw new Problem(node, 'rules', 'must map rule ids to a level, such as `image-tag-latest: error`');
  for (const pair of node.items) {
    const id = keyOf(pair, 'rules.');
    const path = `rules.${id}`;
    if (!rules.some((r) => r.meta.id === id)) throw new Problem(pair.key as Node, path, `unknown rule id${ruleHint(id)}`);
    const value = pair.value as Node | null;
    const level = isScalar(value) ? value.value : undefined;
    if (typeof level !== 'string' || !RULE_LEVELS.includes(level as RuleLevel)) throw new Problem(value ?? (pair.key as Node), path, `level must be ${RULE_LEVELS.join(', ')}`);
    levels[id] = level as RuleLevel;
  }
  return levels;
}

function readRegistry(node: Node | null): DockwiseConfig['registry'] {
  if (isEmpty(node)) return { hosts: [] };
  if (!isMap(node)) throw new Problem(node, 'registry', `must be a mapping with ${REGISTRY_KEYS.join(' and ')}`);
  let registry: DockwiseConfig['registry'] = { hosts: [] };
  for (const pair of node.items) {
    const key = keyOf(pair, 'registry.');
    const value = pair.value as Node | null;
    if (key === 'network') {
      const mode = isScalar(value) ? value.value : undefined;
      if (typeof mode !== 'string' || !NETWORK_MODES.includes(mode as NetworkMode)) throw new Problem(value ?? (pair.key as Node), 'registry.network', `must be ${NETWORK_MODES.join(', ')}`);
      registry = { ...registry, network: mode as NetworkMode };
    } else if (key === 'hosts') {
      registry = { ...registry, hosts: readStrings(value, 'registry.hosts') ?? [] };
    } else {
      throw new Problem(pair.key as Node, `registry.${key}`, `unknown key${suggestion(key, REGISTRY_KEYS)}; registry may have ${REGISTRY_KEYS.join(' and ')}`);
    }
  }
  return registry;
}

/** A list of non-empty strings, each checked; `undefined` when the key is there with no value. */
function readStrings(node: Node | null, key: string, check: (item: string) => string | undefined = () => undefined): string[] | undefined {
  if (isEmpty(node)) return undefined;
  if (!isSeq(node)) throw new Problem(node, key, 'must be a list');
  return node.items.map((item, index) => {
    const value = isScalar(item) ? item.value : undefined;
    const path = `${key}[${index}]`;
    if (typeof value !== 'string' || value.trim() === '') throw new Problem(item as Node, path, 'must be a non-empty string');
    const problem = check(value.trim());
    if (problem) throw new Problem(item as Node, path, problem);
    return value.trim();
  });
}

const isEmpty = (node: Node | null): node is null => node === null || (isScalar(node) && node.value === null);

function keyOf(pair: Pair, prefix: string): string {
  const key = pair.key as Node | null;
  if (!isScalar(key) || typeof key.value !== 'string') throw new Problem(key, prefix.replace(/\.$/, ''), 'keys must be plain names');
  return key.value;
}

function suggestion(key: string, known: readonly string[]): string {
  const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 3);
  return near ? ` (did you mean ${near}?)` : '';
}

/** Another tool's name (hadolint, BuildKit, Trivy, checkov) gets the id it maps to, or why there is none; a typo gets the nearest id. */
function ruleHint(id: string): string {
  for (const tool of TOOL_NAMES) {
    const { name, checks, canonical } = TOOLS[tool];
    const known = Object.keys(checks).find((check) => check.toLowerCase() === (canonical?.(id) ?? id).toLowerCase());
    if (known === undefined) continue;
    const aliased = rules.find((r) => r.meta.aliases[tool]?.includes(known));
    return aliased ? ` (${id} is ${name}'s name; dockwise calls it ${aliased.meta.id})` : ` (${id} is ${name}'s check for ${checks[known]}, which dockwise leaves out; docs/rules/README.md says why)`;
  }
  const nearest = rules.map((r) => ({ id: r.meta.id, distance: editDistance(r.meta.id, id) })).sort((a, b) => a.distance - b.distance)[0];
  return nearest && nearest.distance <= 3 ? ` (did you mean ${nearest.id}?)` : '';
}

/** The dotted path of the innermost key whose entry holds `offset`, for syntax errors. */
function keyPathAt(node: unknown, offset: number, prefix = ''): string {
  if (!isMap(node)) return prefix.replace(/\.$/, '');
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    const start = key?.range?.[0] ?? Infinity;
    const end = value?.range?.[2] ?? key?.range?.[2] ?? -Infinity;
    if (isScalar(key) && start <= offset && offset <= end) return keyPathAt(value, offset, `${prefix}${String(key.value)}.`);
  }
  return prefix.replace(/\.$/, '');
}
