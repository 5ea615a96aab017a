import type { DiagnosticTag, Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../engine/model';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export type Category = 'base-image' | 'security' | 'build-cache' | 'correctness' | 'maintainability' | 'style';

export interface RuleMeta {
  /** Stable kebab-case id: the diagnostic code, the settings key and the docs file name. */
  readonly id: string;
  readonly title: string;
  /** One sentence; shown in settings and in SARIF output. */
  readonly description: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly fixable: 'never' | 'sometimes' | 'always';
  /** Ids of equivalent checks in other tools, so their users find us and their ignores keep working. */
  readonly aliases: { readonly hadolint?: readonly string[]; readonly buildkit?: readonly string[] };
}

/** One problem a rule found; the engine turns it into a diagnostic. */
export interface Finding {
  readonly range: Range;
  readonly message: string;
  /** What a fix or hover needs later, so it does not have to re-derive it. */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly tags?: readonly DiagnosticTag[];
}

/** Rules are pure: they read the model and return findings, with no I/O and no state. */
export interface Rule {
  readonly meta: RuleMeta;
  check(model: DockerfileModel): Finding[];
}
