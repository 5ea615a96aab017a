/**
 * Good neighbours: other extensions that lint Dockerfiles with Docker's tools, so that no problem
 * is reported twice.
 *
 * - Docker DX (`docker.docker`) runs Docker's language server (docker/docker-language-server). Its
 *   Dockerfile diagnostics are BuildKit's build checks (`docker buildx build --call=check`), coded
 *   with the check's name (`JSONArgsRecommended`) under the source `docker-language-server`, which
 *   the extension renames `Docker DX (docker-language-server)`. It has no setting to turn them off.
 * - Container Tools (`ms-azuretools.vscode-containers`, formerly `ms-azuretools.vscode-docker`) runs
 *   the Dockerfile Language Server, whose validator publishes numbered codes under `dockerfile-utils`;
 *   some are its own versions of BuildKit's checks, and some of those have a
 *   `docker.languageserver.diagnostics.*` setting that turns them off (`"ignore"`).
 *
 * Their checks overlap the rules that carry a BuildKit name in `meta.aliases.buildkit`. The client
 * tells the server which extensions are enabled and what they report on Dockerfiles; this module
 * works out which of our rules they cover, says so once when a problem shows twice, and, with
 * `dockwise.buildkitChecks: "other"`, names the rules to leave to them. Pure: no I/O, no connection.
 */
import { aliasIndex } from './engine/suppression';
import type { Rule } from './engine/rule';
import type { Note, NoteAction, OtherDiagnostic } from '../../shared/protocol';

// The shapes the client and server share live in the protocol module.
export type { Note, NoteAction, OtherDiagnostic };

interface Neighbour {
  readonly key: string;
  readonly name: string;
  /** Extension ids. */
  readonly ids: readonly string[];
  readonly publishes: (source: string) => boolean;
  /** The BuildKit check a diagnostic code of theirs is. */
  readonly checkOf: (code: string) => string | undefined;
  /** The BuildKit checks it runs while enabled: all of them, or these. */
  readonly runs: 'all' | readonly string[];
  /** Its settings that turn a check off, by BuildKit check name. */
  readonly settings?: Readonly<Record<string, readonly string[]>>;
  readonly settingsQuery?: string;
}

/** dockerfile-utils' `ValidationCode`s that are its versions of BuildKit checks. */
const DOCKERFILE_UTILS_CHECKS: Readonly<Record<string, string>> = {
  0: 'ConsistentInstructionCasing', // CASING_INSTRUCTION
  10: 'DuplicateStageName', // DUPLICATE_BUILD_STAGE_NAME
  11: 'NoEmptyContinuation', // EMPTY_CONTINUATION_LINE
  24: 'ExposeInvalidFormat', // INVALID_PORT
  25: 'ExposeInvalidFormat', // INVALID_PROTO
  37: 'MultipleInstructionsDisallowed', // MULTIPLE_INSTRUCTIONS
  45: 'MaintainerDeprecated', // DEPRECATED_MAINTAINER
  50: 'WorkdirRelativePath', // WORKDIR_IS_NOT_ABSOLUTE
};

const CONTAINER_TOOLS_SETTING = 'docker.languageserver.diagnostics';

export const NEIGHBOURS: readonly Neighbour[] = [
  {
    key: 'docker-dx',
    name: 'Docker DX',
    ids: ['docker.docker'],
    publishes: (source) => /(?:^|\()docker-language-server\)?$/.test(source),
    checkOf: (code) => code,
    runs: 'all',
  },
  {
    key: 'container-tools',
    name: 'Container Tools',
    ids: ['ms-azuretools.vscode-containers', 'ms-azuretools.vscode-docker'],
    publishes: (source) => source === 'dockerfile-utils',
    checkOf: (code) => DOCKERFILE_UTILS_CHECKS[code],
    runs: [...new Set(Object.values(DOCKERFILE_UTILS_CHECKS))],
    settings: {
      ConsistentInstructionCasing: [`${CONTAINER_TOOLS_SETTING}.instructionCasing`],
      NoEmptyContinuation: [`${CONTAINER_TOOLS_SETTING}.emptyContinuationLine`],
      MultipleInstructionsDisallowed: [
        `${CONTAINER_TOOLS_SETTING}.instructionCmdMultiple`,
        `${CONTAINER_TOOLS_SETTING}.instructionEntrypointMultiple`,
        `${CONTAINER_TOOLS_SETTING}.instructionHealthcheckMultiple`,
      ],
      MaintainerDeprecated: [`${CONTAINER_TOOLS_SETTING}.deprecatedMaintainer`],
      WorkdirRelativePath: [`${CONTAINER_TOOLS_SETTING}.instructionWorkdirRelative`],
    },
    settingsQuery: CONTAINER_TOOLS_SETTING,
  },
];

export const BUILDKIT_CHECKS_SETTING = 'dockwise.buildkitChecks';

export class Neighbours {
  /** BuildKit check (lower-cased) → its spelling and our rules that map to it. */
  private readonly checks = new Map<string, { name: string; ids: string[] }>();
  private enabled = new Set<string>();
  /** Per document: what the others report there, as our rule ids by neighbour key. */
  private readonly theirs = new Map<string, Map<string, Set<string>>>();
  /** Per document: the rules we reported last, and the setting they were reported under. */
  private readonly ours = new Map<string, { ids: ReadonlySet<string>; mode: 'dockwise' | 'other' }>();
  private readonly noted = new Set<string>();

  constructor(
    rules: readonly Rule[],
    private readonly notify: (note: Note) => void,
  ) {
    const aliases = aliasIndex(rules);
    for (const { meta } of rules) {
      for (const check of meta.aliases.buildkit ?? []) this.checks.set(check.toLowerCase(), { name: check, ids: aliases.resolve(check).filter((id) => aliases.buildkit.has(id)) });
    }
  }

  /** The extensions the client has enabled; `true` when that changes what is left to them. */
  setExtensions(ids: readonly string[]): boolean {
    const keys = () => this.present().map((n) => n.key).join();
    const before = keys();
    this.enabled = new Set(ids.map((id) => id.toLowerCase()));
    return keys() !== before;
  }

  /** What other extensions report on a document; `true` when that changes what is left to them there. */
  setOther(uri: string, diagnostics: readonly OtherDiagnostic[]): boolean {
    const before = this.signature(uri);
    const byNeighbour = new Map<string, Set<string>>();
    for (const { source, code } of diagnostics) {
      const neighbour = NEIGHBOURS.find((n) => n.publishes(source));
      const check = neighbour?.checkOf(code);
      const ids = check ? this.checks.get(check.toLowerCase())?.ids : undefined;
      if (!neighbour || !ids?.length) continue;
      const set = byNeighbour.get(neighbour.key) ?? new Set<string>();
      for (const id of ids) set.add(id);
      byNeighbour.set(neighbour.key, set);
    }
    if (byNeighbour.size) this.theirs.set(uri, byNeighbour);
    else this.theirs.delete(uri);
    this.checkOverlap(uri);
    return this.signature(uri) !== before;
  }

  /** Our rules that a neighbour covers on this document: left out when `dockwise.buildkitChecks` is `"other"`. */
  leftToOthers(uri: string): ReadonlySet<string> {
    const left = new Set<string>();
    for (const neighbour of this.present()) for (const id of this.idsRunBy(neighbour)) left.add(id);
    for (const ids of this.theirs.get(uri)?.values() ?? []) for (const id of ids) left.add(id);
    return left;
  }

  /** What we just published for a document (rule ids), to notice a problem reported twice. */
  reported(uri: string, ruleIds: readonly string[], mode: 'dockwise' | 'other'): void {
    this.ours.set(uri, { ids: new Set(ruleIds), mode });
    this.checkOverlap(uri);
  }

  forget(uri: string): void {
    this.theirs.delete(uri);
    this.ours.delete(uri);
  }

  private present(): Neighbour[] {
    return NEIGHBOURS.filter((n) => n.ids.some((id) => this.enabled.has(id)));
  }

  private idsRunBy(neighbour: Neighbour): string[] {
    if (neighbour.runs === 'all') return [...new Set([...this.checks.values()].flatMap((c) => c.ids))];
    return neighbour.runs.flatMap((check) => this.checks.get(check.toLowerCase())?.ids ?? []);
  }

  private signature(uri: string): string {
    return [...this.leftToOthers(uri)].sort().join();
  }

  private checkOverlap(uri: string): void {
    const ours = this.ours.get(uri);
    const theirs = this.theirs.get(uri);
    if (!ours || ours.mode !== 'dockwise' || !theirs) return;
    for (const [key, ids] of theirs) {
      const twice = [...ids].filter((id) => ours.ids.has(id)).sort();
      const neighbour = NEIGHBOURS.find((n) => n.key === key);
      if (!twice.length || !neighbour || this.noted.has(key)) continue;
      this.noted.add(key);
      this.notify(overlapNote(neighbour, twice, this.checksOf(twice)));
    }
  }

  /** The BuildKit names of some of our rules. */
  private checksOf(ids: readonly string[]): string[] {
    return [...this.checks.values()].filter((c) => c.ids.some((id) => ids.includes(id))).map((c) => c.name);
  }
}

function overlapNote(neighbour: Neighbour, ruleIds: readonly string[], checks: readonly string[]): Note {
  const one = checks.length === 1;
  const what = `${neighbour.runs === 'all' ? '' : 'its own version of '}BuildKit's ${one ? `${checks[0]} check` : `checks ${checks.join(', ')}`}`;
  const opening = `${neighbour.name} also reports ${what}, as dockwise does (${ruleIds.join(', ')}): ${one ? 'that problem shows' : 'those problems show'} twice.`;
  const leave: NoteAction = { title: `Leave them to ${neighbour.name}`, setting: { section: BUILDKIT_CHECKS_SETTING, value: 'other' } };
  const settings = [...new Set(checks.flatMap((c) => neighbour.settings?.[c] ?? []))];
  const key = `neighbour.${neighbour.key}`;
  if (!settings.length) {
    return {
      key,
      message: `${opening} ${neighbour.name} has no setting that turns ${one ? 'it' : 'them'} off; dockwise can leave BuildKit's checks to ${neighbour.name} instead (${BUILDKIT_CHECKS_SETTING}: "other").`,
      actions: [leave],
    };
  }
  return {
    key,
    message: `${opening} Turn ${neighbour.name}'s copies off by setting ${settings.join(', ')} to "ignore", or let dockwise leave BuildKit's checks to ${neighbour.name} (${BUILDKIT_CHECKS_SETTING}: "other").`,
    actions: [{ title: `Open ${neighbour.name} settings`, command: 'workbench.action.openSettings', arguments: [neighbour.settingsQuery] }, leave],
  };
}
