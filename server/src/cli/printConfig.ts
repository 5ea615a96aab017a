/** `--print-config PATH`: what applies to one Dockerfile once files and flags are merged, as eslint prints it. */
import { dirname, join, relative } from 'node:path';
import { jsonDocument } from '../report/escape';
import { DEFAULT_TARGET_PLATFORMS } from '../settings';
import type { DiskLinter } from '../workspace/diskLinter';

export function printConfig(linter: DiskLinter, path: string, cwd: string): string {
  const shown = (p: string) => relative(cwd, p) || '.';
  const found = linter.configFor(path);
  const { rules, context, hadolint } = linter.optionsFor(path);
  const buildContext = context?.buildContext?.dir;
  return jsonDocument({
    file: shown(path),
    configFile: found ? shown(found.path) : null,
    ignored: linter.isIgnored(path),
    rules: rules ?? {},
    trustedRegistries: context?.trustedRegistries ?? [],
    targetPlatforms: context?.targetPlatforms ?? DEFAULT_TARGET_PLATFORMS,
    ignorePaths: found?.config.ignorePaths ?? [],
    registry: { network: found?.config.registry.network ?? 'public', hosts: found?.config.registry.hosts ?? [] },
    hadolint: hadolint ? { ignored: hadolint.ignored, override: Object.fromEntries(hadolint.override) } : null,
    buildContext: buildContext === undefined ? null : shown(join(dirname(path), buildContext)),
  });
}
