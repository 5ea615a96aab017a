/**
 * `.hadolint.yaml` as hadolint reads it, so teams moving over keep their ignores,
 * severity overrides and trusted registries.
 */
import { parse } from 'yaml';
import type { Severity } from './rule';
import { isRecord } from '../language/isRecord';

export interface HadolintConfig {
  readonly ignored: readonly string[];
  /** hadolint code → severity. */
  readonly override: ReadonlyMap<string, Severity>;
  readonly trustedRegistries: readonly string[];
}

const SEVERITY_OF: Readonly<Record<string, Severity>> = { error: 'error', warning: 'warning', info: 'info', style: 'hint' };

/** Never throws: a broken file yields an empty configuration and a message saying why. */
export function parseHadolintConfig(text: string): { config: HadolintConfig; problem?: string } {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    return { config: emptyConfig(), problem: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
  const doc = isRecord(raw) ? raw : {};
  const override = new Map<string, Severity>();
  if (isRecord(doc.override)) {
    for (const [level, codes] of Object.entries(doc.override)) {
      const severity = SEVERITY_OF[level];
      if (severity) for (const code of strings(codes)) override.set(code.toUpperCase(), severity);
    }
  }
  return {
    config: {
      ignored: strings(doc.ignored).map((c) => c.toUpperCase()),
      override,
      trustedRegistries: strings(doc.trustedRegistries),
    },
  };
}

export function emptyConfig(): HadolintConfig {
  return { ignored: [], override: new Map(), trustedRegistries: [] };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

