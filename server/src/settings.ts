/** The `dockwise.*` settings as the server uses them, read defensively from whatever the client sent. */
import type { RuleLevel } from './engine/lint';
import type { NetworkMode } from './registry/policy';
import { isRecord } from './language/isRecord';

export interface Settings {
  readonly rules: Readonly<Record<string, RuleLevel>>;
  /** Registries base images may come from; empty means any. */
  readonly trustedRegistries: readonly string[];
  /** Platforms the images are built for, `os/arch[/variant]`. */
  readonly targetPlatforms: readonly string[];
  readonly registry: {
    readonly network: NetworkMode;
    /** Extra hosts (private, loopback) that may be contacted. */
    readonly hosts: readonly string[];
    readonly timeoutMs: number;
    /** How long a tag's digest is trusted before asking again. */
    readonly ttlMs: number;
  };
  /** Spaces before continuation lines when formatting; `undefined` uses the editor's tab size. */
  readonly formatIndent?: number;
  readonly inlayHints: { readonly resolvedImages: boolean; readonly digestAge: boolean };
  /** Who reports BuildKit's checks when Docker's own extension runs them too (`dockwise.buildkitChecks`). */
  readonly buildkitChecks: 'dockwise' | 'other';
}

export const DEFAULT_TARGET_PLATFORMS = ['linux/amd64', 'linux/arm64'];

/** What a rule can be set to, wherever it is set: settings, `.dockwise.yaml`, `--rule`. */
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'hint', 'info', 'warning', 'error'];
export const NETWORK_MODES: readonly NetworkMode[] = ['off', 'public', 'all'];
/** `os/arch[/variant]`, as JSON Schema and `.dockwise.yaml` check a target platform. */
export const PLATFORM_PATTERN = '^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$';

const LEVELS: ReadonlySet<string> = new Set(RULE_LEVELS);

/** Unknown keys and bad values are dropped, so a typo in settings.json never breaks linting. */
export function readSettings(raw: unknown): Settings {
  const section = isRecord(raw) ? raw : {};
  const rules: Record<string, RuleLevel> = {};
  if (isRecord(section.rules)) {
    for (const [id, level] of Object.entries(section.rules)) {
      if (typeof level === 'string' && LEVELS.has(level)) rules[id] = level as RuleLevel;
    }
  }
  const registry = isRecord(section.registry) ? section.registry : {};
  const network = registry.network === 'off' || registry.network === 'all' ? registry.network : 'public';
  const seconds = (value: unknown, fallback: number, max: number) => (typeof value === 'number' && value > 0 ? Math.min(value, max) : fallback);
  return {
    rules,
    trustedRegistries: strings(section.trustedRegistries),
    targetPlatforms: Array.isArray(section.targetPlatforms) ? strings(section.targetPlatforms) : DEFAULT_TARGET_PLATFORMS,
    registry: {
      network,
      hosts: strings(registry.hosts),
      timeoutMs: seconds(registry.timeoutSeconds, 5, 60) * 1000,
      ttlMs: seconds(registry.cacheHours, 6, 24 * 30) * 3_600_000,
    },
    ...(isRecord(section.format) && typeof section.format.indentWidth === 'number' && section.format.indentWidth >= 0 ? { formatIndent: Math.min(Math.floor(section.format.indentWidth), 16) } : {}),
    inlayHints: {
      resolvedImages: !(isRecord(section.inlayHints) && section.inlayHints.resolvedImages === false),
      digestAge: !(isRecord(section.inlayHints) && section.inlayHints.digestAge === false),
    },
    buildkitChecks: section.buildkitChecks === 'other' ? 'other' : 'dockwise',
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string' && r.trim() !== '').map((r) => r.trim()) : [];
}


/** Keystrokes arrive faster than anyone reads squiggles; the server lints once typing pauses this long. */
export const DEFAULT_LINT_DELAY_MS = 75;
