/** The `dockwise.*` settings as the server uses them, read defensively from whatever the client sent. */
import type { RuleLevel } from './engine/lint';

export interface Settings {
  readonly rules: Readonly<Record<string, RuleLevel>>;
  /** Registries base images may come from; empty means any. */
  readonly trustedRegistries: readonly string[];
}

const LEVELS: ReadonlySet<string> = new Set<RuleLevel>(['off', 'hint', 'info', 'warning', 'error']);

/** Unknown keys and bad values are dropped, so a typo in settings.json never breaks linting. */
export function readSettings(raw: unknown): Settings {
  const section = isRecord(raw) ? raw : {};
  const rules: Record<string, RuleLevel> = {};
  if (isRecord(section.rules)) {
    for (const [id, level] of Object.entries(section.rules)) {
      if (typeof level === 'string' && LEVELS.has(level)) rules[id] = level as RuleLevel;
    }
  }
  const trustedRegistries = Array.isArray(section.trustedRegistries)
    ? section.trustedRegistries.filter((r): r is string => typeof r === 'string' && r.trim() !== '').map((r) => r.trim())
    : [];
  return { rules, trustedRegistries };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
