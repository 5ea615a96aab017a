/**
 * `.dockwise.yaml` under what is said closer to the user: editor settings in the editor, flags on
 * the command line. What they say wins: per rule for levels, and a whole list when it has entries.
 */
import type { RuleLevel } from '../engine/lint';
import { DEFAULT_TARGET_PLATFORMS, type Settings } from '../settings';
import type { DockwiseConfig } from './dockwiseConfig';

export interface Layered {
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly trustedRegistries: readonly string[];
  /** `undefined` when neither says. */
  readonly targetPlatforms?: readonly string[];
}

export function overConfig(config: DockwiseConfig | undefined, said: Partial<Layered>): Layered {
  const pick = (over: readonly string[] | undefined, under: readonly string[] | undefined) => (over?.length ? over : under);
  const targetPlatforms = pick(said.targetPlatforms, config?.targetPlatforms);
  return {
    rules: { ...config?.rules, ...said.rules },
    trustedRegistries: pick(said.trustedRegistries, config?.trustedRegistries) ?? [],
    ...(targetPlatforms ? { targetPlatforms } : {}),
  };
}

/**
 * The editor's settings over the file. VS Code sends every setting with its default filled in, so
 * target platforms left at the default say nothing. The registry settings stay the editor's own: a
 * file in a cloned repository must not widen which hosts the editor contacts.
 */
export function withConfigFile(settings: Settings, config: DockwiseConfig | undefined): Settings {
  if (!config) return settings;
  const platformsSaid = settings.targetPlatforms.join() !== DEFAULT_TARGET_PLATFORMS.join();
  const layered = overConfig(config, { rules: settings.rules, trustedRegistries: settings.trustedRegistries, ...(platformsSaid ? { targetPlatforms: settings.targetPlatforms } : {}) });
  return { ...settings, rules: layered.rules, trustedRegistries: layered.trustedRegistries, targetPlatforms: layered.targetPlatforms ?? settings.targetPlatforms };
}
