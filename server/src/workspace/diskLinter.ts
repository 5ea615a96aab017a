/**
 * Lints Dockerfiles as they lie on disk, with what surrounds them: the build context a compose,
 * bake or devcontainer file gives them (or their folder), its listing and `.dockerignore`, the
 * governing `.dockwise.yaml` and `.hadolint.yaml`, and the build arguments. The CLI and the
 * precision review use it, so both see exactly what CI sees.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { overConfig } from '../config/merge';
import type { ImageRef } from '../language/imageRef';
import { type Analysis, type LintOptions, type RuleLevel } from '../engine/lint';
import type { ImageFacts } from '../engine/rule';
import { DEFAULT_TARGET_PLATFORMS } from '../settings';
import { BuildContextReader } from './buildContext';
import type { BuildDefinition } from './buildDefinition';
import { ConfigFiles, type FoundConfig } from './configFiles';
import { analyze } from '../linter';

export interface DiskLintSettings {
  /** Levels from the command line: per rule, over the configuration file's. */
  readonly rules?: Readonly<Record<string, RuleLevel>>;
  /** From the command line; when there are any, they replace the configuration file's. */
  readonly trustedRegistries?: readonly string[];
  readonly targetPlatforms?: readonly string[];
  /** `--config`: this file for every Dockerfile instead of the nearest `.dockwise.yaml`. */
  readonly configFile?: string;
  /** Registry facts (`--online`), asked with the Dockerfile they are for. */
  readonly images?: (ref: ImageRef, dockerfilePath: string) => ImageFacts | undefined;
  readonly onInternalError?: (what: string, error: unknown) => void;
  /** A file around the Dockerfile could not be used (an unreadable `.hadolint.yaml`, …); each message once. */
  readonly onProblem?: (message: string) => void;
  /** The folders linted (the CLI's working folder and the folders it names): build contexts outside them are not read. */
  readonly roots?: readonly string[];
  /** The day support ends are judged as of (`YYYY-MM-DD`); today by default. Snapshots fix it so they do not drift with the calendar. */
  readonly today?: string;
}

export class DiskLinter {
  private readonly reader: BuildContextReader;
  private readonly reported = new Set<string>();
  private readonly configs: ConfigFiles;

  constructor(
    private readonly definitions: ReadonlyMap<string, readonly BuildDefinition[]>,
    private readonly settings: DiskLintSettings = {},
  ) {
    this.configs = new ConfigFiles(settings.configFile);
    const roots = settings.roots;
    this.reader = new BuildContextReader(roots ? { roots: () => roots } : {});
  }

  /** Says each problem once. */
  private problem(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.settings.onProblem?.(message);
  }

  /** What went wrong around the Dockerfile at `path` since it was last asked (matching `.dockerignore` during the rules adds to it). */
  reportProblems(path: string): void {
    const absolute = resolve(path);
    for (const problem of this.reader.read(absolute, this.definitions.get(absolute)).problems) this.problem(problem);
  }

  /** The `.dockwise.yaml` for a Dockerfile (which need not exist); throws, saying where and why, when it cannot be used. */
  configFor(path: string): FoundConfig | undefined {
    const found = this.configs.lookup(path);
    if (found && 'problem' in found) throw new Error(found.problem);
    return found;
  }

  /** Whether the configuration's `ignorePaths` leave the Dockerfile out. */
  isIgnored(path: string): boolean {
    return this.configs.ignores(this.configFor(path), path);
  }

  /** The options `lint`/`analyze` need for the Dockerfile at `path`. */
  optionsFor(path: string): LintOptions {
    const absolute = resolve(path);
    const surroundings = this.reader.read(absolute, this.definitions.get(absolute));
    const hadolint = surroundings.hadolint;
    if (hadolint?.problem) this.problem(`ignoring ${hadolint.path}: ${hadolint.problem}`);
    for (const problem of surroundings.problems) this.problem(problem);
    const { rules, trustedRegistries, targetPlatforms } = this.settings;
    const layered = overConfig(this.configFor(absolute)?.config, { ...(rules ? { rules } : {}), ...(trustedRegistries ? { trustedRegistries } : {}), ...(targetPlatforms ? { targetPlatforms } : {}) });
    const images = this.settings.images;
    // A path given for stdin need not exist: without its context folder there is nothing to check sources against.
    const inContext = existsSync(surroundings.contextDir);
    return {
      uri: `file://${absolute}`,
      rules: layered.rules,
      buildArgs: surroundings.buildArgs,
      context: {
        ...(inContext ? { buildContext: surroundings.buildContext } : {}),
        trustedRegistries: [...layered.trustedRegistries, ...(hadolint?.config.trustedRegistries ?? [])],
        targetPlatforms: layered.targetPlatforms ?? DEFAULT_TARGET_PLATFORMS,
        ...(images ? { images: (ref: ImageRef) => images(ref, absolute) } : {}),
        ...(this.settings.today ? { today: this.settings.today } : {}),
      },
      ...(hadolint ? { hadolint: hadolint.config } : {}),
      ...(this.settings.onInternalError ? { onInternalError: this.settings.onInternalError } : {}),
    };
  }

  analyze(path: string, text: string): Analysis | undefined {
    const analysis = analyze(text, this.optionsFor(path));
    this.reportProblems(path);
    return analysis;
  }
}
