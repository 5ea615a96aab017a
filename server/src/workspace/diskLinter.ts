/**
 * Lints Dockerfiles as they lie on disk, with what surrounds them: the build context a compose,
 * bake or devcontainer file gives them (or their folder), its listing and `.dockerignore`, the
 * governing `.hadolint.yaml`, and the build arguments. The CLI and the precision review use it,
 * so both see exactly what CI sees.
 */
import { resolve } from 'node:path';
import { analyze, type Analysis, type LintOptions, type RuleLevel } from '../engine/lint';
import { BuildContextReader } from './buildContext';
import type { BuildDefinition } from './buildDefinition';

export interface DiskLintSettings {
  readonly rules?: Readonly<Record<string, RuleLevel>>;
  readonly trustedRegistries?: readonly string[];
  readonly onInternalError?: (what: string, error: unknown) => void;
  /** A file around the Dockerfile could not be used (an unreadable `.hadolint.yaml`, …). */
  readonly onProblem?: (message: string) => void;
}

export class DiskLinter {
  private readonly reader = new BuildContextReader();

  constructor(
    private readonly definitions: ReadonlyMap<string, readonly BuildDefinition[]>,
    private readonly settings: DiskLintSettings = {},
  ) {}

  /** The options `lint`/`analyze` need for the Dockerfile at `path`. */
  optionsFor(path: string): LintOptions {
    const absolute = resolve(path);
    const surroundings = this.reader.read(absolute, this.definitions.get(absolute));
    const hadolint = surroundings.hadolint;
    if (hadolint?.problem) this.settings.onProblem?.(`ignoring ${hadolint.path}: ${hadolint.problem}`);
    return {
      uri: `file://${absolute}`,
      ...(this.settings.rules ? { rules: this.settings.rules } : {}),
      buildArgs: surroundings.buildArgs,
      context: {
        buildContext: surroundings.buildContext,
        trustedRegistries: [...(this.settings.trustedRegistries ?? []), ...(hadolint?.config.trustedRegistries ?? [])],
      },
      ...(hadolint ? { hadolint: hadolint.config } : {}),
      ...(this.settings.onInternalError ? { onInternalError: this.settings.onInternalError } : {}),
    };
  }

  analyze(path: string, text: string): Analysis | undefined {
    return analyze(text, this.optionsFor(path));
  }
}
