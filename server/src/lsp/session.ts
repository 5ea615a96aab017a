/**
 * What the language server does, without the connection: the open documents' analyses (one per
 * version, serving lint and every feature), linting on change with settings per resource, the
 * workspace scope, registry facts, hover, links, symbols, code actions and commands. The edge
 * (`server.ts`) hands each request here in one line and sends what comes back; what this needs
 * to say to the client goes through `ClientPort`, so a test can run it with a fake one.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, CompletionItemKind, type CodeAction, type Diagnostic, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver-types';
import { Notification, ServerCommand, type BaseImageReportResult, type InitializationOptions, type RegistryState, type RegistryStatusParams } from '../../../shared/protocol';
import { FIX_ALL_KIND } from '../engine/codeActions';
import { createEngine, type Engine } from '../engine/engine';
import { declined, type Analysis, type LintOptions } from '../engine/lint';
import { codeLenses } from '../features/codeLens';
import { completionContext, completionItems } from '../features/completion';
import { formatEdits } from '../features/formatting';
import { inlayHints } from '../features/inlayHints';
import { imageAt } from '../language/imageAt';
import { buildModel, type DockerfileModel } from '../language/model';
import { Neighbours, type OtherDiagnostic } from '../neighbours';
import { gatherReport, reportHtml } from '../registry/baseImageReport';
import { RegistryError, type ImageDescription } from '../registry/types';
import type { DiskServices, ServerServices } from '../services';
import type { Settings } from '../settings';
import type { BuildContextReader, DockerfileSurroundings } from '../workspace/buildContext';
import type { ConfigFiles, FoundConfig } from '../workspace/configFiles';
import type { BuildDefinition } from '../workspace/definitions';
import { tooLargeDiagnostic } from '../workspace/tooLarge';
import { FactsService, wantedFacts } from './facts';
import { HoverService, type Cancellation } from './hover';
import { LinksService } from './links';
import { RegistryConnections, SettingsCache } from './settings';
import { WorkspaceSymbolIndex, type FileEvent } from './symbols';

/** What the session says to the client; the edge fills it in over the connection. */
export interface ClientPort {
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void;
  notify(method: string, params: unknown): void;
  log(level: 'debug' | 'warn' | 'error', message: string): void;
  /** `workspace/configuration`; rejects or gives `[]` when the client cannot answer. */
  configuration(items: readonly { readonly scopeUri?: string; readonly section: string }[]): Promise<unknown[]>;
  refreshInlayHints(): void;
  applyEdit(label: string, edit: WorkspaceEdit): Promise<unknown>;
  showDocument(uri: string): Promise<unknown>;
  /** Progress for a long task, when the client shows it. */
  progress(title: string): Promise<{ report(percentage: number, message: string): void; done(): void } | undefined>;
}

/** What the client said it can do, from `initialize`. */
export interface ClientAbilities {
  readonly pullConfiguration: boolean;
  readonly refreshInlayHints: boolean;
}

export interface OpenDocuments {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

const TAGS_WAIT_MS = 1500;
const SURROUNDINGS = /(?:^|\/)(?:[^/]*\.dockerignore|\.hadolint\.ya?ml|\.dockwise\.ya?ml)$/;
const CONFIG_FILE = /(?:^|\/)\.dockwise\.ya?ml$/;
const DOCKERFILE_NAME = /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[^/]*)?$|\.(?:Dockerfile|dockerfile|containerfile)$/;
/** Lint options kept for documents linted from disk; open documents keep theirs until closed. */
const MAX_OPTIONS = 5000;
const MAX_REPORTED = 1000;
/**
 * Analyses kept, for the documents last linted or asked about (the one being typed in, the visible
 * editors): a model costs ~50 times its text (the reader's lines, words, shell
 * commands), and most open documents are tabs nobody looks at. Another one is analysed afresh when
 * a feature or a change asks for it.
 */
const MAX_ANALYSES = 16;

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function safeModel(text: string, uri: string, buildArgs?: Readonly<Record<string, string>>, previous?: DockerfileModel): DockerfileModel | undefined {
  try {
    return buildModel(text, uri, buildArgs, previous);
  } catch {
    return undefined;
  }
}

/** The CSP nonce of a report page. */
function nonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

interface KeptAnalysis {
  readonly version: number;
  readonly model: DockerfileModel;
  readonly analysis?: Analysis;
}

/** The documents on disk a file event concerns, as the symbol index takes them. */
const EVENT_TYPE = { 1: 'created', 2: 'changed', 3: 'deleted' } as const;

/**
 * Runs `run` after `delay` ms and returns how to cancel it. No delay means the next turn of the event
 * loop, after the messages already read: Node holds a `setTimeout` of 0 for 1 ms, which every lint
 * without a typing delay (an open, a settings change) would wait for nothing. The browser worker has
 * no `setImmediate`.
 */
function later(delay: number, run: () => void): () => void {
  if (delay > 0 || typeof setImmediate !== 'function') {
    const timer = setTimeout(run, delay);
    return () => clearTimeout(timer);
  }
  const immediate = setImmediate(run);
  return () => clearImmediate(immediate);
}

export class Session {
  readonly engine: Engine;
  private readonly disk: DiskServices | undefined;
  private abilities: ClientAbilities = { pullConfiguration: false, refreshInlayHints: false };
  private workspaceFolders: string[] = [];
  private lintDelayMs: number;
  private readonly settings: SettingsCache;
  private connections: RegistryConnections;
  private readonly facts: FactsService;
  private readonly hovers: HoverService;
  private readonly links: LinksService<DockerfileSurroundings>;
  private readonly symbols: WorkspaceSymbolIndex;
  private readonly neighbours: Neighbours;
  private readonly surroundings: BuildContextReader | undefined;
  private readonly configFiles: ConfigFiles | undefined;
  private buildDefinitions = new Map<string, BuildDefinition[]>();
  /**
   * Per open document, for the last `MAX_ANALYSES` used, least recently used first: the model of
   * its current version, for every feature, and its last analysis (of that version, or of an earlier
   * one when a feature asked before the lint), which the next lint hands the engine to reuse.
   */
  private readonly analyses = new Map<string, KeptAnalysis>();
  /** The same options object while nothing outside the text changed, so the engine can reuse its work. */
  private readonly optionsByUri = new Map<string, { readonly settings: Settings; readonly options: LintOptions }>();
  /** Per document, how to cancel its lint that is waiting for its turn. */
  private readonly pendingLint = new Map<string, () => void>();
  /** Dockerfiles linted from disk because `dockwise.scope` is `"workspace"`. */
  private readonly workspaceFiles = new Set<string>();
  /** Broken config files, failing rules and unreadable files already reported, so the log says each once. */
  private readonly reported = new Set<string>();
  private lastRegistryState: RegistryState | undefined;

  constructor(
    private readonly services: ServerServices,
    private readonly client: ClientPort,
    private readonly documents: OpenDocuments,
    lintDelayMs: number,
  ) {
    this.disk = services.disk;
    this.lintDelayMs = lintDelayMs;
    this.engine = createEngine(services.rules);
    this.surroundings = this.disk?.buildContexts(() => this.workspaceFolders);
    this.configFiles = this.disk?.configFiles();
    this.settings = new SettingsCache({
      pull: (uri) => (this.abilities.pullConfiguration ? this.client.configuration([{ scopeUri: uri, section: 'dockwise' }, { scopeUri: uri, section: 'http' }]) : Promise.resolve([])),
      configFile: (uri) => this.configFileOf(uri)?.config,
    });
    this.connections = this.newConnections({});
    this.facts = new FactsService({ onOutcome: (result) => this.registryOutcome(result) });
    this.facts.onDidChange(({ uris }) => {
      for (const uri of uris) {
        this.optionsByUri.delete(uri);
        this.relint(uri);
      }
      // The digest-age hints read these facts.
      if (this.abilities.refreshInlayHints) this.client.refreshInlayHints();
    });
    this.hovers = new HoverService({ log: (line) => this.client.log('warn', line), onOutcome: (result) => this.registryOutcome(result) });
    const { disk, surroundings } = this;
    this.links = new LinksService({
      resolve: (context, path) => surroundings?.contextFile(context, path),
      uriOf: (path) => disk?.uriOf(path) ?? path,
    });
    this.symbols = new WorkspaceSymbolIndex({
      list: async () => (disk ? (await Promise.all(this.workspaceFolders.map((folder) => disk.findDockerfiles(folder, {}, (m) => this.logOnce(m))))).flat().map((p) => disk.uriOf(p)) : []),
      read: (uri) => {
        const path = disk?.pathOf(uri);
        const read = path === undefined ? undefined : disk?.readDockerfile(path, this.workspaceFolders);
        return !read || 'problem' in read || declined(read.text) ? undefined : safeModel(read.text, uri);
      },
    });
    this.neighbours = new Neighbours(services.rules, (note) => this.client.notify(Notification.note, note));
  }

  // ——— lifecycle ———

  initialize(abilities: ClientAbilities, folders: readonly string[], init: { readonly [K in keyof InitializationOptions]?: unknown }): void {
    this.abilities = abilities;
    this.workspaceFolders = folders.flatMap((uri) => this.disk?.pathOf(uri) ?? []);
    // The benchmark measures the work after a keystroke apart from the typing delay.
    if (typeof init.lintDelayMs === 'number' && init.lintDelayMs >= 0) this.lintDelayMs = init.lintDelayMs;
    // Fail closed: only a client that says the workspace is trusted gets the user's hosts and credentials.
    this.connections = this.newConnections({ trusted: init.trusted === true, ...(typeof init.storagePath === 'string' ? { storagePath: init.storagePath } : {}) });
  }

  initialized(): void {
    void this.refreshBuildDefinitions();
    void this.refreshWorkspaceScope();
    if (!this.services.registry) this.reportRegistry('unavailable', 'image facts in hovers, tag completion, pins and the base image report');
  }

  shutdown(): Promise<void> {
    return this.connections.flush();
  }

  configurationChanged(): void {
    this.settings.clear();
    this.optionsByUri.clear();
    this.connections.clear();
    this.facts.reset();
    this.lintAll();
    void this.refreshWorkspaceScope();
  }

  // ——— documents ———

  opened(uri: string): void {
    this.scheduleLint(uri, 0);
  }

  changed(uri: string): void {
    this.scheduleLint(uri, this.lintDelayMs);
  }

  closed(uri: string): void {
    this.pendingLint.get(uri)?.();
    this.pendingLint.delete(uri);
    this.analyses.delete(uri);
    this.optionsByUri.delete(uri);
    this.settings.forget(uri);
    this.facts.forget(uri);
    // In workspace scope a closed file keeps its diagnostics, now from what is on disk.
    if (this.workspaceFiles.has(uri)) void this.publishFromDisk(uri);
    else this.client.publish(uri, []);
  }

  /** The model of an open document at its current version: the last lint's, or built once for the features asking first. */
  modelOf(uri: string): DockerfileModel | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const kept = this.analyses.get(uri);
    if (kept?.version === document.version) {
      this.keep(uri, kept);
      return kept.model;
    }
    const text = document.getText();
    if (declined(text)) return undefined;
    // Compose or bake build arguments resolve `FROM ${VAR}` in hovers and hints as they do in rules;
    // the previous version's model lends the parse of unchanged instructions.
    const model = safeModel(text, uri, this.surroundingsOf(uri)?.buildArgs, kept?.model);
    if (model) this.keep(uri, { version: document.version, model, ...(kept?.analysis ? { analysis: kept.analysis } : {}) });
    return model;
  }

  /** Keeps a document's analysis as the most recently used one, dropping the least recently used beyond the bound. */
  private keep(uri: string, kept: KeptAnalysis): void {
    this.analyses.delete(uri);
    this.analyses.set(uri, kept);
    if (this.analyses.size > MAX_ANALYSES) this.analyses.delete(this.analyses.keys().next().value!);
  }

  /** The open documents' models, for workspace symbols. */
  openModels(): DockerfileModel[] {
    return this.documents.all().flatMap((d) => this.modelOf(d.uri) ?? []);
  }

  fileEvents(changes: readonly { readonly uri: string; readonly type: 1 | 2 | 3 }[]): void {
    const dockerfiles = changes.filter((c) => DOCKERFILE_NAME.test(c.uri) && !SURROUNDINGS.test(c.uri));
    this.symbols.update(dockerfiles.map((c): FileEvent => ({ uri: c.uri, type: EVENT_TYPE[c.type] })));
    // Any file created or deleted can be a COPY source; ignore files and hadolint configs change what rules see.
    if (changes.some((c) => SURROUNDINGS.test(c.uri) || this.disk?.isBuildDefinitionFile(c.uri) || c.type !== 2)) {
      this.surroundings?.forget();
      this.links.forget();
      this.optionsByUri.clear();
      this.reported.clear();
      // Settings are cached with the `.dockwise.yaml` under them.
      if (changes.some((c) => CONFIG_FILE.test(c.uri))) {
        this.configFiles?.forget();
        this.settings.clear();
      }
      if (changes.some((c) => this.disk?.isBuildDefinitionFile(c.uri))) void this.refreshBuildDefinitions();
      this.lintAll();
    }
    if (dockerfiles.some((c) => c.type !== 2)) void this.refreshWorkspaceScope();
    for (const change of dockerfiles) {
      if (change.type === 2 && this.workspaceFiles.has(change.uri) && !this.documents.get(change.uri)) void this.publishFromDisk(change.uri);
    }
  }

  // ——— good neighbours ———

  neighboursChanged(extensions: unknown): void {
    if (!Array.isArray(extensions) || !this.neighbours.setExtensions(extensions.filter((e): e is string => typeof e === 'string'))) return;
    this.optionsByUri.clear();
    this.lintAll();
  }

  otherDiagnostics(uri: unknown, diagnostics: unknown): void {
    if (typeof uri !== 'string' || !Array.isArray(diagnostics)) return;
    const found = diagnostics.filter((d): d is OtherDiagnostic => typeof d?.source === 'string' && typeof d?.code === 'string').slice(0, 1000);
    if (!this.neighbours.setOther(uri, found)) return;
    this.optionsByUri.delete(uri);
    this.relint(uri);
  }

  // ——— requests ———

  async hover(uri: string, position: Position, token: Cancellation) {
    const model = this.modelOf(uri);
    if (!model || !imageAt(model, position)) return null;
    const resource = await this.settings.get(uri);
    return this.hovers.hover(
      { uri, model, position, targetPlatforms: resource.settings.targetPlatforms, ...(this.surroundingsOf(uri) ? { buildContext: this.surroundingsOf(uri)!.buildContext } : {}) },
      this.connections.for(resource),
      token,
    );
  }

  async completion(uri: string, position: Position) {
    const model = this.modelOf(uri);
    const context = model && completionContext(model, position);
    if (!model || !context) return [];
    if (context.kind !== 'tag') return completionItems(model, context);
    const registry = this.connections.for(await this.settings.get(uri));
    // Without a registry (the browser), the tags it would offer are simply not there.
    if (!registry) return completionItems(model, context, []);
    if (!registry.allows(context.ref)) return [{ label: `${context.ref.canonicalName}: the registry may not be asked (dockwise.registry.network / hosts)`, kind: CompletionItemKind.Text, insertText: '' }];
    // From the cache when it has them; a slow registry gets a short wait, then nothing rather than a stall.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tags = await Promise.race([registry.registry.tags(context.ref).catch(() => [] as readonly string[]), new Promise<readonly string[]>((resolve) => (timer = setTimeout(() => resolve([]), TAGS_WAIT_MS)))]);
    clearTimeout(timer);
    return { isIncomplete: tags.length === 0, items: completionItems(model, context, tags) };
  }

  documentLinks(uri: string) {
    const model = this.modelOf(uri);
    if (!model) return [];
    const found = this.surroundingsOf(uri);
    return this.links.links(model, found?.contextReadable ? found : undefined);
  }

  workspaceSymbols(query: string) {
    return this.symbols.query(query, this.openModels());
  }

  async formatting(uri: string, tabSize: number, range?: Range) {
    const model = this.modelOf(uri);
    if (!model) return [];
    const { settings } = await this.settings.get(uri);
    return formatEdits(model, { indent: settings.formatIndent ?? tabSize }, range);
  }

  async inlayHints(uri: string, range: Range) {
    const model = this.modelOf(uri);
    if (!model) return [];
    const { settings } = await this.settings.get(uri);
    return inlayHints(model, range, { ...settings.inlayHints, createdOf: (ref) => this.facts.get(ref)?.created, now: Date.now() });
  }

  codeLenses(uri: string) {
    const model = this.modelOf(uri);
    return model ? codeLenses(model, this.surroundingsOf(uri)?.buildContext) : [];
  }

  /** Code actions for the diagnostics under the cursor, or the fix-all action; `undefined` when cancelled meanwhile. */
  async codeActions(uri: string, only: readonly string[] | undefined, diagnostics: readonly Diagnostic[], token: { readonly isCancellationRequested: boolean }): Promise<CodeAction[] | 'cancelled'> {
    const document = this.documents.get(uri);
    if (!document) return [];
    const options = await this.lintOptions(uri);
    if (token.isCancellationRequested) return 'cancelled';
    const doc = { uri, version: document.version, text: document.getText() };
    if (only?.some((kind) => FIX_ALL_KIND.startsWith(kind) && kind.startsWith(CodeActionKind.Source))) {
      const action = this.engine.fixAllAction(doc, options);
      return action ? [action] : [];
    }
    if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
    // The editor sends the diagnostics under the cursor; their fixes are recomputed from the text, never trusted stale.
    return this.engine.quickFixes(doc, diagnostics, options);
  }

  async executeCommand(command: string, args: readonly unknown[]): Promise<BaseImageReportResult | undefined> {
    if (command === ServerCommand.openRuleDocs && typeof args[0] === 'string') {
      await this.client.showDocument(args[0]);
    } else if (command === ServerCommand.baseImageReport && typeof args[0] === 'string') {
      return this.baseImageReport(args[0], args[1] as Position | undefined);
    } else if (command === ServerCommand.refreshRegistry) {
      this.connections.refresh();
      this.facts.reset();
      this.lintAll();
    } else if (command === ServerCommand.applyFixAll && typeof args[0] === 'string') {
      const document = this.documents.get(args[0]);
      if (!document) return undefined;
      const action = this.engine.fixAllAction({ uri: document.uri, version: document.version, text: document.getText() }, await this.lintOptions(document.uri));
      if (action?.edit) await this.client.applyEdit(action.title, action.edit);
    }
    return undefined;
  }

  private async baseImageReport(uri: string, position: Position | undefined): Promise<BaseImageReportResult> {
    const model = this.modelOf(uri);
    const found = model && position ? imageAt(model, position) : undefined;
    // Without a position on an image (the command palette), the last stage's base image.
    const lastBase = [...(model?.stages ?? [])].reverse().map((s) => s.base).find((b) => b?.kind === 'image');
    const image = found?.ref ?? (lastBase?.kind === 'image' ? lastBase.ref : undefined);
    if (!image) return { error: 'Put the cursor on an image in a FROM line.' };
    const registry = this.connections.for(await this.settings.get(uri));
    if (!registry) return { error: 'The base image report needs the registry, which the desktop app of VS Code can ask; this one cannot.' };
    if (!registry.allows(image)) return { error: `dockwise may not ask ${image.domain} (dockwise.registry.network and dockwise.registry.hosts).` };
    const report = await gatherReport(registry.registry, image);
    return { title: `Base image: ${image.familiar}`, html: reportHtml(report, nonce()) };
  }

  // ——— linting ———

  private lintAll(): void {
    for (const document of this.documents.all()) this.scheduleLint(document.uri, 0);
    for (const uri of this.workspaceFiles) if (!this.documents.get(uri)) void this.publishFromDisk(uri);
  }

  /** Lints one document again, open or (in workspace scope) on disk. */
  private relint(uri: string): void {
    if (this.documents.get(uri)) this.scheduleLint(uri, 0);
    else if (this.workspaceFiles.has(uri)) void this.publishFromDisk(uri);
  }

  private scheduleLint(uri: string, delay: number): void {
    this.pendingLint.get(uri)?.();
    this.pendingLint.set(
      uri,
      later(delay, () => {
        this.pendingLint.delete(uri);
        void this.publish(uri);
      }),
    );
  }

  private async publish(uri: string): Promise<void> {
    const resource = await this.settings.get(uri);
    // The document may have changed or closed while settings were on their way.
    const document = this.documents.get(uri);
    if (!document) return;
    const keep = (analysis: Analysis) => this.keep(uri, { version: document.version, model: analysis.model, analysis });
    const diagnostics = await this.lintWith(uri, document.getText(), resource.settings, keep, this.analyses.get(uri)?.analysis);
    if (this.documents.get(uri)?.version === document.version) this.client.publish(uri, diagnostics, document.version);
  }

  /** For workspace scope: a Dockerfile nobody has open, linted as it is on disk. */
  private async publishFromDisk(uri: string): Promise<void> {
    const path = this.disk?.pathOf(uri);
    if (!this.disk || path === undefined) return;
    const { settings } = await this.settings.get(uri);
    const read = this.disk.readDockerfile(path, this.workspaceFolders);
    if (this.documents.get(uri)) return;
    if ('problem' in read && read.reason !== 'missing') this.logOnce(`${path}: ${read.problem}`);
    const diagnostics = 'text' in read ? await this.lintWith(uri, read.text, settings) : read.reason === 'too-large' ? [tooLargeDiagnostic(read.bytes ?? 0)] : [];
    this.client.publish(uri, diagnostics);
  }

  /** `previous`: the document's last analysis, whose parse of unchanged instructions the engine reuses. */
  private async lintWith(uri: string, text: string, settings: Settings, keep?: (analysis: Analysis) => void, previous?: Analysis): Promise<Diagnostic[]> {
    const config = this.configFileOf(uri);
    const path = this.disk?.pathOf(uri);
    if (config && path !== undefined && this.configFiles?.ignores(config, path)) return [];
    const refused = declined(text);
    if (refused) return [refused];
    const options = await this.lintOptions(uri);
    const analysis = this.engine.analyze(text, options, previous);
    if (!analysis) return [];
    keep?.(analysis);
    const refs = analysis.model.stages.flatMap((s) => (s.base?.kind === 'image' ? [s.base.ref] : []));
    const byRules = wantedFacts(this.services.rules, options.rules);
    // The digest-age hints show on digest pins only.
    const withAge = settings.inlayHints.digestAge ? new Set([...byRules, 'created' as const]) : byRules;
    this.facts.request(uri, refs, (ref) => (ref.digest ? withAge : byRules), this.connections.for(await this.settings.get(uri)));
    this.neighbours.reported(uri, analysis.reported.map((r) => r.rule.meta.id), settings.buildkitChecks);
    return analysis.reported.map((r) => r.diagnostic);
  }

  private async lintOptions(uri: string): Promise<LintOptions> {
    const { settings } = await this.settings.get(uri);
    const kept = this.optionsByUri.get(uri);
    if (kept?.settings === settings) return kept.options;
    const leftToOthers = settings.buildkitChecks === 'other' ? this.neighbours.leftToOthers(uri) : new Set<string>();
    const options: LintOptions = {
      uri,
      rules: leftToOthers.size ? { ...settings.rules, ...Object.fromEntries([...leftToOthers].map((id) => [id, 'off' as const])) } : settings.rules,
      ...this.contextFor(uri, settings),
      onInternalError: (what, error) => {
        // A rule that throws does so on every keystroke; the log says it once per rule and error
        // (by its message: the stack differs with the path the lint was scheduled by).
        const key = `${what}: ${error instanceof Error ? error.message : String(error)}`;
        if (this.firstTime(key)) this.client.log('error', `dockwise: ${what} failed on ${uri}: ${describe(error)} (its findings are left out; other rules still report)`);
      },
    };
    if (this.optionsByUri.size >= MAX_OPTIONS) this.optionsByUri.clear();
    this.optionsByUri.set(uri, { settings, options });
    return options;
  }

  /** What the rules need from outside the text; unsaved documents get settings only. */
  private contextFor(uri: string, settings: Settings): Pick<LintOptions, 'context' | 'hadolint' | 'buildArgs'> {
    const images = (ref: Parameters<FactsService['get']>[0]) => this.facts.get(ref);
    const found = this.surroundingsOf(uri);
    if (!found) return { context: { trustedRegistries: settings.trustedRegistries, images, targetPlatforms: settings.targetPlatforms } };
    const hadolint = found.hadolint;
    if (hadolint?.problem && this.firstTime(hadolint.path)) this.client.log('warn', `dockwise: ignoring ${hadolint.path}: ${hadolint.problem}`);
    for (const problem of found.problems) this.logOnce(problem);
    return {
      context: {
        buildContext: found.buildContext,
        trustedRegistries: [...settings.trustedRegistries, ...(hadolint?.config.trustedRegistries ?? [])],
        images,
        targetPlatforms: settings.targetPlatforms,
      },
      ...(hadolint ? { hadolint: hadolint.config } : {}),
      buildArgs: found.buildArgs,
    };
  }

  // ——— the workspace ———

  /** Compose services and bake targets of the workspace, by the Dockerfile they build. */
  private async refreshBuildDefinitions(): Promise<void> {
    if (!this.disk) return;
    this.buildDefinitions = await this.disk.findBuildDefinitions(this.workspaceFolders, (m) => this.logOnce(m)).catch(() => new Map<string, BuildDefinition[]>());
    this.surroundings?.forget();
    this.optionsByUri.clear();
    for (const document of this.documents.all()) this.scheduleLint(document.uri, 0);
  }

  /** Lints every Dockerfile of the workspace from disk when `dockwise.scope` asks for it. */
  private async refreshWorkspaceScope(): Promise<void> {
    const disk = this.disk;
    if (!disk) return;
    const [scope, filesExclude] = this.abilities.pullConfiguration ? await this.client.configuration([{ section: 'dockwise.scope' }, { section: 'files.exclude' }]).catch(() => []) : [];
    const previous = new Set(this.workspaceFiles);
    this.workspaceFiles.clear();
    // Finding and linting every Dockerfile of a large workspace takes a while: the editor shows progress.
    const progress = scope === 'workspace' ? await this.client.progress('dockwise: linting the workspace').catch(() => undefined) : undefined;
    try {
      if (scope === 'workspace') {
        const excludes = typeof filesExclude === 'object' && filesExclude !== null ? (filesExclude as Record<string, unknown>) : {};
        for (const folder of this.workspaceFolders) {
          for (const path of await disk.findDockerfiles(folder, excludes, (m) => this.logOnce(m))) this.workspaceFiles.add(disk.uriOf(path));
        }
      }
      for (const uri of previous) if (!this.workspaceFiles.has(uri) && !this.documents.get(uri)) this.client.publish(uri, []);
      const unopened = [...this.workspaceFiles].filter((uri) => !this.documents.get(uri));
      for (const [index, uri] of unopened.entries()) {
        progress?.report(Math.floor((index / unopened.length) * 100), `${index + 1} of ${unopened.length} Dockerfiles`);
        await this.publishFromDisk(uri);
      }
    } finally {
      progress?.done();
    }
  }

  /** The files around a document on disk (its build context, as compose or bake define it), cached by the reader. */
  private surroundingsOf(uri: string): DockerfileSurroundings | undefined {
    const path = this.disk?.pathOf(uri);
    return path === undefined ? undefined : this.surroundings?.read(path, this.buildDefinitions.get(path));
  }

  /** The `.dockwise.yaml` found upward from a document on disk; one that cannot be used is logged once and left out. */
  private configFileOf(uri: string): FoundConfig | undefined {
    const path = this.disk?.pathOf(uri);
    const found = path === undefined ? undefined : this.configFiles?.lookup(path);
    if (!found || !('problem' in found)) return found;
    if (this.firstTime(found.problem)) this.client.log('warn', `dockwise: ignoring ${found.problem}`);
    return undefined;
  }

  /** A file the workspace holds that dockwise would not read (a FIFO, a link out, too big…): logged once until files change. */
  private logOnce(message: string): void {
    if (this.firstTime(message)) this.client.log('warn', `dockwise: ${message}`);
  }

  /** Whether a problem is new since files last changed; past the bound the log may repeat itself, memory does not grow. */
  private firstTime(key: string): boolean {
    if (this.reported.has(key)) return false;
    if (this.reported.size >= MAX_REPORTED) this.reported.clear();
    this.reported.add(key);
    return true;
  }

  // ——— the registry's state ———

  private newConnections(init: { trusted?: boolean; storagePath?: string }): RegistryConnections {
    return new RegistryConnections(this.services.registry, {
      trusted: init.trusted === true,
      ...(init.storagePath ? { storagePath: init.storagePath } : {}),
      // One line per registry request: debug level, shown when the output channel's level is Debug.
      log: (line) => this.client.log('debug', `registry: ${line}`),
      onOff: () => this.reportRegistry('off', 'dockwise.registry.network is off'),
    });
  }

  private reportRegistry(state: RegistryState, detail: string): void {
    if (state === this.lastRegistryState && state === 'online') return;
    this.lastRegistryState = state;
    this.client.notify(Notification.registryStatus, { state, detail } satisfies RegistryStatusParams);
  }

  /** What a registry answer or failure means for the status bar. */
  private registryOutcome(result: ImageDescription | RegistryError): void {
    if (result instanceof RegistryError) {
      const state: RegistryState = result.kind === 'denied-by-policy' ? 'denied' : ['offline', 'timeout', 'rate-limited', 'server-error'].includes(result.kind) ? 'offline' : 'online';
      this.reportRegistry(state, result.message);
    } else {
      this.reportRegistry(result.stale ? 'cached' : 'online', result.stale ? 'a registry is unreachable; showing cached data' : 'registries answering');
    }
  }
}
