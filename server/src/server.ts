/**
 * The LSP edge: the only module that talks to the connection. It keeps the open documents and
 * per-document settings, and hands text to the pure engine. `createServer` wires the handlers to
 * a connection the entry made (`node/main.ts`, `browser/main.ts`); what it needs from the machine
 * comes in as services (`services.ts`), and what a platform lacks is left out quietly.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  MarkupKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Position,
  type Range,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND } from './engine/codeActions';
import { ClientCommand, Notification, ServerCommand, type BaseImageReportResult, type InitializationOptions, type NeighboursParams, type OtherDiagnosticsParams, type RegistryState, type RegistryStatusParams } from '../../shared/protocol';
import { declined, type LintOptions } from './engine/lint';
import { imageAt } from './language/imageAt';
import { buildModel, type DockerfileModel } from './language/model';
import { gatherReport, reportHtml } from './registry/baseImageReport';
import { imageHover, type HoverState } from './registry/hoverContent';
import { supportHover } from './registry/supportHover';
import { utcToday } from './language/eolSupport';
import { newerTags } from './registry/pinning';
import { RegistryError } from './registry/types';
import { FactsService, wantedFacts } from './lsp/facts';
import type { RegistryConnection, ServerServices } from './services';
import { DEFAULT_LINT_DELAY_MS, readSettings, type Settings } from './settings';
import { Neighbours, type OtherDiagnostic } from './neighbours';
import { withConfigFile } from './config/merge';
import type { FoundConfig } from './workspace/configFiles';
import { codeLenses, contextLabel } from './features/codeLens';
import { completionContext, completionItems } from './features/completion';
import { foldingRanges } from './features/folding';
import { formatEdits } from './features/formatting';
import { inlayHints } from './features/inlayHints';
import { imageLinks, sourceLinks } from './features/links';
import { definition, highlights, prepareRename, references, rename } from './features/navigation';
import { documentSymbols, workspaceSymbols } from './features/outline';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './features/semanticTokens';
import { signatureHelp } from './features/signatureHelp';
import type { DockerfileSurroundings } from './workspace/buildContext';
import type { BuildDefinition } from './workspace/definitions';
import { tooLargeDiagnostic } from './workspace/tooLarge';
import { createEngine } from './engine/engine';

/** A hover waits this long for the registry, then says it is still fetching (the fetch goes on and is cached). */
const HOVER_WAIT_MS = 2500;
const TAGS_WAIT_MS = 1500;
const SURROUNDINGS = /(?:^|\/)(?:[^/]*\.dockerignore|\.hadolint\.ya?ml|\.dockwise\.ya?ml)$/;
const CONFIG_FILE = /(?:^|\/)\.dockwise\.ya?ml$/;
const DOCKERFILE_NAME = /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[^/]*)?$|\.(?:Dockerfile|dockerfile|containerfile)$/;

/** The CSP nonce of a report page. */
function nonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function safeModel(text: string, uri: string, buildArgs?: Readonly<Record<string, string>>): DockerfileModel | undefined {
  try {
    return buildModel(text, uri, buildArgs);
  } catch {
    return undefined;
  }
}

/** Wires every handler to `connection` and starts listening. Nothing runs on import. */
export function createServer(connection: Connection, services: ServerServices): void {
  const { disk, rules: activeRules } = services;
  const engine = createEngine(activeRules);
  let lastRegistryState: RegistryState | undefined;

  function reportRegistry(state: RegistryState, detail: string): void {
    if (state === lastRegistryState && state === 'online') return;
    lastRegistryState = state;
    void connection.sendNotification(Notification.registryStatus, { state, detail } satisfies RegistryStatusParams);
  }

  /** What a registry answer or failure means for the status bar. */
  function registryOutcome(result: { stale?: boolean } | RegistryError): void {
    if (result instanceof RegistryError) {
      const state: RegistryState = result.kind === 'denied-by-policy' ? 'denied' : ['offline', 'timeout', 'rate-limited', 'server-error'].includes(result.kind) ? 'offline' : 'online';
      reportRegistry(state, result.message);
    } else {
      reportRegistry(result.stale ? 'cached' : 'online', result.stale ? 'a registry is unreachable; showing cached data' : 'registries answering');
    }
  }

  let lintDelayMs = DEFAULT_LINT_DELAY_MS;

  const documents = new TextDocuments(TextDocument);
  const settingsByUri = new Map<string, Promise<Settings>>();
  const pendingLint = new Map<string, ReturnType<typeof setTimeout>>();
  let canPullConfiguration = false;
  let canWatchFiles = false;
  let canRefreshInlayHints = false;
  /** Contexts outside the workspace folders are not read (a compose `context: /`). */
  const surroundings = disk?.buildContexts(() => workspaceFolders);
  /** Broken config files and failing rules already reported, so the log says each once. */
  const reportedProblems = new Set<string>();
  /** A file the workspace holds that dockwise would not read (a FIFO, a link out, too big…): logged once until files change. */
  function logOnce(message: string): void {
    if (reportedProblems.has(message)) return;
    reportedProblems.add(message);
    connection.console.warn(`dockwise: ${message}`);
  }
  let workspaceFolders: string[] = [];
  /** Workspace trust from the client: untrusted workspaces get public registries only, anonymously. */
  let trusted = false;
  let storagePath: string | undefined;
  let connected: RegistryConnection | undefined;
  /** Registry facts for base images, fetched as enabled rules need them; never awaited by linting. */
  const facts = new FactsService({ onOutcome: registryOutcome });
  facts.onDidChange(({ uris }) => {
    for (const uri of uris) {
      const document = documents.get(uri);
      if (document) scheduleLint(document, 0);
      else if (workspaceFiles.has(uri)) void publishFromDisk(uri);
    }
    // The digest-age hints read these facts.
    if (canRefreshInlayHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
  });
  /** Dockerfiles linted from disk because `dockwise.scope` is `"workspace"`. */
  const workspaceFiles = new Set<string>();

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canRefreshInlayHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    workspaceFolders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []))
      .flatMap((f) => disk?.pathOf(f.uri) ?? []);
    const init = (params.initializationOptions ?? {}) as { readonly [K in keyof InitializationOptions]?: unknown };
    if (typeof init.storagePath === 'string') storagePath = init.storagePath;
    // The benchmark measures the work after a keystroke apart from the typing delay.
    if (typeof init.lintDelayMs === 'number' && init.lintDelayMs >= 0) lintDelayMs = init.lintDelayMs;
    // Fail closed: only a client that says the workspace is trusted gets the user's hosts and credentials.
    trusted = init.trusted === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: Object.values(ServerCommand) },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['$', '{', '-', ':', '=', '#'] },
        signatureHelpProvider: { triggerCharacters: [' '], retriggerCharacters: ['=', ','] },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        // How many rules there are, for the client's language status item.
        experimental: { dockwise: { rules: activeRules.length } },
      },
      serverInfo: { name: 'dockwise', version: DOCKWISE_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration) {
      // `http`: the editor's proxy and certificate settings, which the registry connection follows.
      void connection.client.register(DidChangeConfigurationNotification.type, { section: ['dockwise', 'http'] });
    }
    if (canWatchFiles && disk) {
      // The files around a Dockerfile that change what the rules see.
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/{.dockerignore,*.dockerignore,.hadolint.yaml,.hadolint.yml,.dockwise.yaml,.dockwise.yml}' },
          { globPattern: disk.dockerfileGlob },
          ...disk.buildDefinitionGlobs.map((globPattern) => ({ globPattern })),
          // Files appearing and disappearing in a build context; edits to them do not matter.
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ],
      });
    }
    void refreshBuildDefinitions();
    void refreshWorkspaceScope();
    if (services.registry) void configureRegistry();
    else reportRegistry('unavailable', 'image facts in hovers, tag completion, pins and the base image report');
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const dockerfiles = changes.filter((c) => DOCKERFILE_NAME.test(c.uri) && !SURROUNDINGS.test(c.uri));
    // Any file created or deleted can be a COPY source; ignore files and hadolint configs change what rules see.
    if (changes.some((c) => SURROUNDINGS.test(c.uri) || disk?.isBuildDefinitionFile(c.uri) || c.type !== FileChangeType.Changed)) {
      surroundings?.forget();
      reportedProblems.clear();
      // Settings are cached with the `.dockwise.yaml` under them.
      if (changes.some((c) => CONFIG_FILE.test(c.uri))) {
        configFiles?.forget();
        settingsByUri.clear();
      }
      if (changes.some((c) => disk?.isBuildDefinitionFile(c.uri))) void refreshBuildDefinitions();
      for (const document of documents.all()) scheduleLint(document, 0);
      for (const uri of workspaceFiles) if (!documents.get(uri)) void publishFromDisk(uri);
    }
    if (dockerfiles.some((c) => c.type !== FileChangeType.Changed)) void refreshWorkspaceScope();
    for (const change of dockerfiles) {
      if (change.type === FileChangeType.Changed && workspaceFiles.has(change.uri) && !documents.get(change.uri)) void publishFromDisk(change.uri);
    }
  });

  /** Compose services and bake targets of the workspace, by the Dockerfile they build. */
  let buildDefinitions = new Map<string, BuildDefinition[]>();
  async function refreshBuildDefinitions(): Promise<void> {
    if (!disk) return;
    buildDefinitions = await disk.findBuildDefinitions(workspaceFolders, logOnce).catch(() => new Map<string, BuildDefinition[]>());
    surroundings?.forget();
    for (const document of documents.all()) scheduleLint(document, 0);
  }


  connection.onDidChangeConfiguration(() => {
    settingsByUri.clear();
    for (const document of documents.all()) scheduleLint(document, 0);
    void refreshWorkspaceScope();
    if (services.registry) void configureRegistry();
  });

  /** (Re)builds the registry client from the window-level settings; the disk cache survives. Undefined without a registry service. */
  async function configureRegistry(): Promise<RegistryConnection | undefined> {
    if (!services.registry) return undefined;
    const [raw, http] = canPullConfiguration ? ((await connection.workspace.getConfiguration([{ section: 'dockwise' }, { section: 'http' }]).catch(() => [])) as unknown[]) : [];
    const { registry: options } = readSettings(raw);
    if (options.network === 'off') reportRegistry('off', 'dockwise.registry.network is off');
    facts.reset();
    connected = services.registry.connect({
      settings: options,
      trusted,
      ...(storagePath ? { storagePath } : {}),
      http,
      // One line per registry request: debug level, shown when the output channel's level is Debug.
      log: (line) => connection.console.debug(`registry: ${line}`),
    });
    // Lint again so the new policy decides which images to ask about.
    for (const document of documents.all()) scheduleLint(document, 0);
    return connected;
  }

  /** The registry connection, made on first use; undefined where there is no registry (the browser). */
  async function registryConnection(): Promise<RegistryConnection | undefined> {
    return connected ?? configureRegistry();
  }

  // The registry cache writes in the background; what is pending goes to disk before the editor stops the server.
  connection.onShutdown(() => connected?.registry.flush());

  connection.onHover(async ({ textDocument, position }, token): Promise<Hover | null> => {
    const model = modelOf(textDocument.uri);
    const found = model && imageAt(model, position);
    if (!found) return null;
    const { ref, range } = found;
    const settings = await settingsFor(textDocument.uri);
    const registry = await registryConnection();
    if (!registry) return null;
    const { registry: client, hub } = registry;
    // Docker Hub's web API stands in when its registry cannot be asked (pull limits, outages).
    const described = client.describe(ref).catch(async (error: unknown) => (await hub.tag(ref).catch(() => undefined)) ?? Promise.reject(error));
    const fetched: Promise<HoverState> = Promise.all([
      described,
      ref.tag ? client.tags(ref).catch(() => []) : [],
      hub.repository(ref).catch(() => undefined),
    ]).then(
      ([description, tags, repository]) => ({ description, newer: ref.tag ? newerTags(ref.tag, tags) : [], ...(repository ? { hub: repository } : {}) }),
      (error: unknown) => ({ error: error instanceof RegistryError ? error : new RegistryError('invalid-response', 'unexpected failure; see the dockwise log.') }),
    );
    fetched.then((state) => {
      if ('error' in state) connection.console.warn(`registry: ${ref.familiar}: ${state.error.message}`);
      if (!('loading' in state)) registryOutcome('error' in state ? state.error : state.description);
    }, () => undefined);
    const cancelled = new Promise<'cancelled'>((resolve) => token.onCancellationRequested(() => resolve('cancelled')));
    const state = await Promise.race([fetched, cancelled, new Promise<HoverState>((resolve) => setTimeout(() => resolve({ loading: true }), HOVER_WAIT_MS))]);
    // The fetch goes on and lands in the cache; only this answer is dropped.
    if (state === 'cancelled') throw new ResponseError(LSPErrorCodes.RequestCancelled, 'hover cancelled');
    // Trouble and loading stay one short line; the report link and the context go with real data.
    const facts = 'description' in state && model.stages.some((s) => s.base?.source.range === range) ? surroundingsOf(textDocument.uri)?.buildContext : undefined;
    const context = facts ? `\n\n---\n${contextLabel(facts)}` : '';
    const reportLink = !('description' in state) ? '' : `\n\n[Open the base image report](command:${ClientCommand.showBaseImageReport}?${encodeURIComponent(JSON.stringify([textDocument.uri, position]))})`;
    // Support dates are offline: shown whatever the registry answered.
    const support = supportHover(ref, utcToday());
    return { contents: { kind: MarkupKind.Markdown, value: `${imageHover(ref, state, settings.targetPlatforms)}${support ? `\n\n${support}` : ''}${reportLink}${context}` }, range };
  });

  /** Lints every Dockerfile of the workspace from disk when `dockwise.scope` asks for it. */
  async function refreshWorkspaceScope(): Promise<void> {
    if (!disk) return;
    const [scope, filesExclude] = canPullConfiguration
      ? ((await connection.workspace.getConfiguration([{ section: 'dockwise.scope' }, { section: 'files.exclude' }]).catch(() => [])) as unknown[])
      : [];
    const previous = new Set(workspaceFiles);
    workspaceFiles.clear();
    // Finding and linting every Dockerfile of a large workspace takes a while: the editor shows progress.
    const progress = scope === 'workspace' ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin('dockwise: linting the workspace', 0, 'finding Dockerfiles');
    try {
      if (scope === 'workspace') {
        const excludes = typeof filesExclude === 'object' && filesExclude !== null ? (filesExclude as Record<string, unknown>) : {};
        for (const folder of workspaceFolders) {
          for (const path of await disk.findDockerfiles(folder, excludes, logOnce)) workspaceFiles.add(disk.uriOf(path));
        }
      }
      for (const uri of previous) if (!workspaceFiles.has(uri) && !documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      const unopened = [...workspaceFiles].filter((uri) => !documents.get(uri));
      for (const [index, uri] of unopened.entries()) {
        progress?.report(Math.floor((index / unopened.length) * 100), `${index + 1} of ${unopened.length} Dockerfiles`);
        await publishFromDisk(uri);
      }
    } finally {
      progress?.done();
    }
  }

  /** `.dockwise.yaml` files, found upward from each document on disk; one that cannot be used is logged once and left out. */
  const configFiles = disk?.configFiles();
  function configFileOf(uri: string): FoundConfig | undefined {
    const path = disk?.pathOf(uri);
    const found = path === undefined ? undefined : configFiles?.lookup(path);
    if (!found || !('problem' in found)) return found;
    if (!reportedProblems.has(found.problem)) {
      reportedProblems.add(found.problem);
      connection.console.warn(`dockwise: ignoring ${found.problem}`);
    }
    return undefined;
  }

  function settingsFor(uri: string): Promise<Settings> {
    let settings = settingsByUri.get(uri);
    if (!settings) {
      settings = canPullConfiguration
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'dockwise' }).then(readSettings, () => readSettings(undefined))
        : Promise.resolve(readSettings(undefined));
      // The editor's settings win over the `.dockwise.yaml` above the document.
      settings = settings.then((read) => withConfigFile(read, configFileOf(uri)?.config));
      settingsByUri.set(uri, settings);
    }
    return settings;
  }

  function scheduleLint(document: TextDocument, delay = lintDelayMs): void {
    clearTimeout(pendingLint.get(document.uri));
    pendingLint.set(
      document.uri,
      setTimeout(() => {
        pendingLint.delete(document.uri);
        void publish(document.uri);
      }, delay),
    );
  }

  async function publish(uri: string): Promise<void> {
    const settings = await settingsFor(uri);
    // The document may have changed or closed while settings were on their way.
    const document = documents.get(uri);
    if (!document) return;
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics: lintWith(uri, document.getText(), settings) });
  }

  /** For workspace scope: a Dockerfile nobody has open, linted as it is on disk. */
  async function publishFromDisk(uri: string): Promise<void> {
    const path = disk?.pathOf(uri);
    if (!disk || path === undefined) return;
    const settings = await settingsFor(uri);
    const read = disk.readDockerfile(path, workspaceFolders);
    if (documents.get(uri)) return;
    if ('problem' in read && read.reason !== 'missing') logOnce(`${path}: ${read.problem}`);
    const diagnostics = 'text' in read ? lintWith(uri, read.text, settings) : read.reason === 'too-large' ? [tooLargeDiagnostic(read.bytes ?? 0)] : [];
    void connection.sendDiagnostics({ uri, diagnostics });
  }

  function lintWith(uri: string, text: string, settings: Settings): Diagnostic[] {
    const config = configFileOf(uri);
    const path = disk?.pathOf(uri);
    if (config && path !== undefined && configFiles?.ignores(config, path)) return [];
    const refused = declined(text);
    if (refused) return [refused];
    const options = lintOptions(uri, settings);
    const analysis = engine.analyze(text, options);
    if (!analysis) return [];
    const refs = analysis.model.stages.flatMap((s) => (s.base?.kind === 'image' ? [s.base.ref] : []));
    facts.request(uri, refs, wantedFacts(activeRules, options.rules, settings.inlayHints.digestAge ? ['created'] : []), connected);
    neighbours.reported(uri, analysis.reported.map((r) => r.rule.meta.id), settings.buildkitChecks);
    return analysis.reported.map((r) => r.diagnostic);
  }

  /**
   * Good neighbours (see neighbours.ts): the client says which extensions are enabled and what they
   * report on Dockerfiles; a problem reported twice gets a note once, and `dockwise.buildkitChecks:
   * "other"` leaves what they cover to them.
   */
  const neighbours = new Neighbours(activeRules, (note) => void connection.sendNotification(Notification.note, note));
  connection.onNotification(Notification.neighbours, ({ extensions }: Partial<NeighboursParams>) => {
    if (!Array.isArray(extensions) || !neighbours.setExtensions(extensions.filter((e): e is string => typeof e === 'string'))) return;
    for (const document of documents.all()) scheduleLint(document, 0);
    for (const uri of workspaceFiles) if (!documents.get(uri)) void publishFromDisk(uri);
  });
  connection.onNotification(Notification.otherDiagnostics, ({ uri, diagnostics }: Partial<OtherDiagnosticsParams>) => {
    if (typeof uri !== 'string' || !Array.isArray(diagnostics)) return;
    const found = diagnostics.filter((d): d is OtherDiagnostic => typeof d?.source === 'string' && typeof d?.code === 'string').slice(0, 1000);
    if (!neighbours.setOther(uri, found)) return;
    const document = documents.get(uri);
    if (document) scheduleLint(document, 0);
    else if (workspaceFiles.has(uri)) void publishFromDisk(uri);
  });

  function lintOptions(uri: string, settings: Settings): LintOptions {
    return {
      uri,
      rules: settings.buildkitChecks === 'other' ? { ...settings.rules, ...Object.fromEntries([...neighbours.leftToOthers(uri)].map((id) => [id, 'off' as const])) } : settings.rules,
      ...contextFor(uri, settings),
      onInternalError: (what, error) => {
        // A rule that throws does so on every keystroke; the log says it once per rule and error.
        const key = `${what}: ${describe(error)}`;
        if (reportedProblems.has(key)) return;
        reportedProblems.add(key);
        connection.console.error(`dockwise: ${what} failed on ${uri}: ${describe(error)} (its findings are left out; other rules still report)`);
      },
    };
  }

  /** What the rules need from outside the text; unsaved documents get settings only. */
  function contextFor(uri: string, settings: Settings): Pick<LintOptions, 'context' | 'hadolint' | 'buildArgs'> {
    const found = surroundingsOf(uri);
    if (!found) {
      return { context: { trustedRegistries: settings.trustedRegistries, images: (ref) => facts.get(ref), targetPlatforms: settings.targetPlatforms } };
    }
    const hadolint = found.hadolint;
    if (hadolint?.problem && !reportedProblems.has(hadolint.path)) {
      reportedProblems.add(hadolint.path);
      connection.console.warn(`dockwise: ignoring ${hadolint.path}: ${hadolint.problem}`);
    }
    for (const problem of found.problems) logOnce(problem);
    return {
      context: {
        buildContext: found.buildContext,
        trustedRegistries: [...settings.trustedRegistries, ...(hadolint?.config.trustedRegistries ?? [])],
        images: (ref) => facts.get(ref),
        targetPlatforms: settings.targetPlatforms,
      },
      ...(hadolint ? { hadolint: hadolint.config } : {}),
      buildArgs: found.buildArgs,
    };
  }

  connection.onCodeAction(async ({ textDocument, context }, token): Promise<CodeAction[]> => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    const settings = await settingsFor(document.uri);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'code actions cancelled');
    const options = lintOptions(document.uri, settings);
    const doc = { uri: document.uri, version: document.version, text: document.getText() };
    const wantsFixAll = context.only?.some((kind) => FIX_ALL_KIND.startsWith(kind) && kind.startsWith(CodeActionKind.Source));
    if (wantsFixAll) {
      const action = engine.fixAllAction(doc, options);
      return action ? [action] : [];
    }
    if (context.only && !context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
    // The editor sends the diagnostics under the cursor; their fixes are recomputed from the text, never trusted stale.
    return engine.quickFixes(doc, context.diagnostics, options);
  });

  connection.onExecuteCommand(async ({ command, arguments: args = [] }) => {
    if (command === ServerCommand.openRuleDocs && typeof args[0] === 'string') {
      await connection.window.showDocument({ uri: args[0], external: true });
      return;
    }
    if (command === ServerCommand.baseImageReport && typeof args[0] === 'string') {
      return baseImageReport(args[0], args[1] as Position | undefined);
    }
    if (command === ServerCommand.refreshRegistry) {
      connected?.registry.refresh();
      facts.reset();
      for (const document of documents.all()) scheduleLint(document, 0);
      return;
    }
    if (command === ServerCommand.applyFixAll && typeof args[0] === 'string') {
      const document = documents.get(args[0]);
      if (!document) return;
      const settings = await settingsFor(document.uri);
      const action = engine.fixAllAction({ uri: document.uri, version: document.version, text: document.getText() }, lintOptions(document.uri, settings));
      if (action?.edit) await connection.workspace.applyEdit({ label: action.title, edit: action.edit });
    }
    return undefined;
  });

  async function baseImageReport(uri: string, position: Position | undefined): Promise<BaseImageReportResult> {
    const model = modelOf(uri);
    const found = model && position ? imageAt(model, position) : undefined;
    // Without a position on an image (the command palette), the last stage's base image.
    const lastBase = [...(model?.stages ?? [])].reverse().map((s) => s.base).find((b) => b?.kind === 'image');
    const image = found?.ref ?? (lastBase?.kind === 'image' ? lastBase.ref : undefined);
    if (!image) return { error: 'Put the cursor on an image in a FROM line.' };
    const registry = await registryConnection();
    if (!registry) return { error: 'The base image report needs the registry, which the desktop app of VS Code can ask; this one cannot.' };
    if (!registry.allows(image)) return { error: `dockwise may not ask ${image.domain} (dockwise.registry.network and dockwise.registry.hosts).` };
    const report = await gatherReport(registry.registry, image);
    return { title: `Base image: ${image.familiar}`, html: reportHtml(report, nonce()) };
  }

  // TextDocuments reports an open as a content change too; only the open skips the typing delay.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => justOpened.add(e.document.uri));
  documents.onDidChangeContent((e) => scheduleLint(e.document, justOpened.delete(e.document.uri) ? 0 : lintDelayMs));
  documents.onDidClose((e) => {
    clearTimeout(pendingLint.get(e.document.uri));
    pendingLint.delete(e.document.uri);
    settingsByUri.delete(e.document.uri);
    // In workspace scope a closed file keeps its diagnostics, now from what is on disk.
    if (workspaceFiles.has(e.document.uri)) void publishFromDisk(e.document.uri);
    else void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** The model of an open document at its current version, built once for all the features asking. */
  const models = new Map<string, { version: number; model: DockerfileModel }>();
  function modelOf(uri: string): DockerfileModel | undefined {
    const document = documents.get(uri);
    if (!document || declined(document.getText())) return undefined;
    const cached = models.get(uri);
    if (cached?.version === document.version) return cached.model;
    // Compose or bake build arguments resolve `FROM ${VAR}` in hovers and hints as they do in rules.
    const model = safeModel(document.getText(), uri, surroundingsOf(uri)?.buildArgs);
    if (model) models.set(uri, { version: document.version, model });
    return model;
  }
  documents.onDidClose((e) => {
    models.delete(e.document.uri);
    facts.forget(e.document.uri);
  });

  connection.onCompletion(async ({ textDocument, position }) => {
    const model = modelOf(textDocument.uri);
    const context = model && completionContext(model, position);
    if (!model || !context) return [];
    if (context.kind !== 'tag') return completionItems(model, context);
    if (connected && !connected.allows(context.ref)) {
      return [{ label: `${context.ref.canonicalName}: the registry may not be asked (dockwise.registry.network / hosts)`, kind: CompletionItemKind.Text, insertText: '' }];
    }
    const registry = await registryConnection();
    // Without a registry (the browser), the tags it would offer are simply not there.
    if (!registry) return completionItems(model, context, []);
    // From the cache when it has them; a slow registry gets a short wait, then nothing rather than a stall.
    const tags = await Promise.race([registry.registry.tags(context.ref).catch(() => [] as readonly string[]), new Promise<readonly string[]>((resolve) => setTimeout(() => resolve([]), TAGS_WAIT_MS))]);
    return { isIncomplete: tags.length === 0, items: completionItems(model, context, tags) };
  });

  connection.onSignatureHelp(({ textDocument, position }) => {
    const model = modelOf(textDocument.uri);
    return (model && signatureHelp(model, position)) ?? null;
  });

  connection.onDefinition(({ textDocument, position }) => {
    const model = modelOf(textDocument.uri);
    return (model && definition(model, position)) ?? null;
  });

  connection.onReferences(({ textDocument, position, context }) => {
    const model = modelOf(textDocument.uri);
    return model ? references(model, position, context.includeDeclaration) : [];
  });

  connection.onDocumentHighlight(({ textDocument, position }) => {
    const model = modelOf(textDocument.uri);
    return model ? highlights(model, position) : [];
  });

  connection.onPrepareRename(({ textDocument, position }) => {
    const model = modelOf(textDocument.uri);
    return (model && prepareRename(model, position)) ?? null;
  });

  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const model = modelOf(textDocument.uri);
    if (!model) return null;
    const result = rename(model, position, newName);
    if ('error' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.error);
    return result;
  });

  connection.onDocumentSymbol(({ textDocument }) => {
    const model = modelOf(textDocument.uri);
    return model ? documentSymbols(model) : [];
  });

  connection.onWorkspaceSymbol(async ({ query }) => {
    const open = documents.all().flatMap((d) => {
      const model = modelOf(d.uri);
      return model ? [model] : [];
    });
    // Dockerfiles nobody has open count too, read from disk (in every scope: searching is explicit).
    const openUris = new Set(open.map((m) => m.document.uri));
    const closed = !disk
      ? []
      : await Promise.all(
          workspaceFolders.map((folder) => disk.findDockerfiles(folder, {}, logOnce)).map(async (found) => {
            const paths = (await found).filter((p) => !openUris.has(disk.uriOf(p)));
            return paths.map((p) => {
              const read = disk.readDockerfile(p, workspaceFolders);
              return 'problem' in read || declined(read.text) ? undefined : safeModel(read.text, disk.uriOf(p));
            });
          }),
        );
    return [...open, ...closed.flat().filter((m): m is DockerfileModel => m !== undefined)].flatMap((m) => workspaceSymbols(m, query));
  });

  connection.onFoldingRanges(({ textDocument }) => {
    const model = modelOf(textDocument.uri);
    return model ? foldingRanges(model) : [];
  });

  connection.onDocumentLinks(({ textDocument }) => {
    const model = modelOf(textDocument.uri);
    if (!model) return [];
    const links = imageLinks(model);
    const found = surroundingsOf(textDocument.uri);
    if (!found || !surroundings || !disk) return links;
    return [
      ...links,
      ...sourceLinks(model).flatMap(({ range, path }) => {
        // Only files that exist and really lie inside a context in the workspace: anything else is not what COPY would read.
        const target = surroundings.contextFile(found, path);
        return target ? [{ range, target: disk.uriOf(target), tooltip: 'Open in the build context' }] : [];
      }),
    ];
  });

  async function formatting(uri: string, tabSize: number, range?: Range) {
    const model = modelOf(uri);
    if (!model) return [];
    const settings = await settingsFor(uri);
    return formatEdits(model, { indent: settings.formatIndent ?? tabSize }, range);
  }
  connection.onDocumentFormatting(({ textDocument, options }) => formatting(textDocument.uri, options.tabSize));
  connection.onDocumentRangeFormatting(({ textDocument, options, range }) => formatting(textDocument.uri, options.tabSize, range));

  connection.languages.semanticTokens.on(({ textDocument }) => {
    const model = modelOf(textDocument.uri);
    return model ? semanticTokens(model) : { data: [] };
  });

  connection.languages.inlayHint.on(async ({ textDocument, range }) => {
    const model = modelOf(textDocument.uri);
    if (!model) return [];
    const { inlayHints: show } = await settingsFor(textDocument.uri);
    return inlayHints(model, range, { ...show, createdOf: (ref) => facts.get(ref)?.created, now: Date.now() });
  });

  /** The files around a document on disk (its build context, as compose or bake define it), cached by the reader. */
  function surroundingsOf(uri: string): DockerfileSurroundings | undefined {
    const path = disk?.pathOf(uri);
    return path === undefined ? undefined : surroundings?.read(path, buildDefinitions.get(path));
  }

  connection.onCodeLens(({ textDocument }) => {
    const model = modelOf(textDocument.uri);
    return model ? codeLenses(model, surroundingsOf(textDocument.uri)?.buildContext) : [];
  });

  documents.listen(connection);
  connection.listen();
}
