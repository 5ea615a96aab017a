/**
 * The LSP edge: the only module that talks to the connection. It keeps the
 * open documents and per-document settings, and hands text to the pure engine.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  MarkupKind,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Position,
  type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND, fixAllAction, OPEN_DOCS_COMMAND, quickFixes } from './engine/codeActions';
import type { ImageRef } from './engine/imageRef';
import { analyze, declined, type LintOptions } from './engine/lint';
import { imageAt } from './engine/imageAt';
import { buildModel, type DockerfileModel } from './engine/model';
import { CachingRegistry } from './registry/cache';
import { dockerCredentials } from './registry/credentials';
import { HubClient } from './registry/hub';
import { gatherReport, reportHtml } from './registry/baseImageReport';
import { imageHover, type HoverState } from './registry/hoverContent';
import { OciClient, registryBase } from './registry/ociClient';
import { proxyAgent } from './registry/proxyAgents';
import { mostSpecificTag, newerTags, variantCandidates } from './registry/pinning';
import { hostPolicy } from './registry/policy';
import { Transport } from './registry/transport';
import { mainPlatform, platformName, RegistryError, type RegistryClient } from './registry/types';
import { rules } from './rules';
import type { ImageFacts, Rule } from './rules/rule';
import { DEFAULT_LINT_DELAY_MS, readSettings, type Settings } from './settings';
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
import { BuildContextReader, type DockerfileSurroundings } from './workspace/buildContext';
import { BUILD_DEFINITION_GLOBS, findBuildDefinitions, isBuildDefinitionFile, type BuildDefinition } from './workspace/definitions';
import { DOCKERFILE_GLOB, findWorkspaceDockerfiles } from './workspace/scan';

/** The server's own command behind "dockwise: Fix all auto-fixable problems". */
const APPLY_FIX_ALL_COMMAND = 'dockwise.server.applyFixAll';
const REFRESH_REGISTRY_COMMAND = 'dockwise.server.refreshRegistry';
/** Answers with the base-image report page for the image at a position: `{ title, html }` or `{ error }`. */
const BASE_IMAGE_REPORT_COMMAND = 'dockwise.server.baseImageReport';
/** The client's command that shows it; the FROM hover links to it. */
const SHOW_REPORT_COMMAND = 'dockwise.showBaseImageReport';
/** Tells the client how the registry is doing, for its status bar item. */
const REGISTRY_STATUS = 'dockwise/registryStatus';
type RegistryState = 'online' | 'offline' | 'cached' | 'denied' | 'off';
let lastRegistryState: RegistryState | undefined;

function reportRegistry(state: RegistryState, detail: string): void {
  if (state === lastRegistryState && state === 'online') return;
  lastRegistryState = state;
  void connection.sendNotification(REGISTRY_STATUS, { state, detail });
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

/** A hover waits this long for the registry, then says it is still fetching (the fetch goes on and is cached). */
const HOVER_WAIT_MS = 2500;

let lintDelayMs = DEFAULT_LINT_DELAY_MS;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settingsByUri = new Map<string, Promise<Settings>>();
const pendingLint = new Map<string, NodeJS.Timeout>();
let canPullConfiguration = false;
let canWatchFiles = false;
let canRefreshInlayHints = false;
const surroundings = new BuildContextReader();
/** Broken config files and failing rules already reported, so the log says each once. */
const reportedProblems = new Set<string>();
/**
 * `DOCKWISE_FAULT_RULE=<id>` makes that rule throw, so the tests can watch the server survive a
 * broken rule end to end; nothing sets it otherwise.
 */
const activeRules: readonly Rule[] = process.env.DOCKWISE_FAULT_RULE
  ? rules.map((rule) => (rule.meta.id === process.env.DOCKWISE_FAULT_RULE ? { ...rule, check: () => { throw new Error('injected fault'); } } : rule))
  : rules;
let workspaceFolders: string[] = [];
/** Workspace trust from the client: untrusted workspaces get public registries only, anonymously. */
let trusted = true;
let storagePath: string | undefined;
let registry: CachingRegistry | undefined;
let hub: HubClient | undefined;
/** The editor's `http.proxy`; without it the environment's HTTP(S)_PROXY and NO_PROXY apply. */
let editorProxy: string | undefined;
let allowRegistryHost: (host: string) => boolean = () => false;
const credentials = dockerCredentials();
/** Registry facts for base images, by reference as written; filled in the background, never awaited by linting. */
const imageFacts = new Map<string, ImageFacts>();
const factsPending = new Set<string>();
const factsFailedAt = new Map<string, number>();
/** After a failure, leave the image alone this long instead of hammering the registry on every keystroke. */
const FACTS_RETRY_MS = 60_000;
/** Dockerfiles linted from disk because `dockwise.scope` is `"workspace"`. */
const workspaceFiles = new Set<string>();

connection.onInitialize((params): InitializeResult => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  canRefreshInlayHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
  workspaceFolders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []))
    .filter((f) => f.uri.startsWith('file:'))
    .map((f) => fileURLToPath(f.uri));
  const init = (params.initializationOptions ?? {}) as { storagePath?: unknown; trusted?: unknown; proxy?: unknown; lintDelayMs?: unknown };
  if (typeof init.storagePath === 'string') storagePath = init.storagePath;
  // The benchmark measures the work after a keystroke apart from the typing delay.
  if (typeof init.lintDelayMs === 'number' && init.lintDelayMs >= 0) lintDelayMs = init.lintDelayMs;
  if (typeof init.proxy === 'string' && init.proxy) editorProxy = init.proxy;
  trusted = init.trusted !== false;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      executeCommandProvider: { commands: [APPLY_FIX_ALL_COMMAND, OPEN_DOCS_COMMAND, REFRESH_REGISTRY_COMMAND, BASE_IMAGE_REPORT_COMMAND] },
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
    },
    serverInfo: { name: 'dockwise', version: DOCKWISE_VERSION },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dockwise' });
  }
  if (canWatchFiles) {
    // The files around a Dockerfile that change what the rules see.
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [
        { globPattern: '**/{.dockerignore,*.dockerignore,.hadolint.yaml,.hadolint.yml}' },
        { globPattern: DOCKERFILE_GLOB },
        ...BUILD_DEFINITION_GLOBS.map((globPattern) => ({ globPattern })),
        // Files appearing and disappearing in a build context; edits to them do not matter.
        { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
      ],
    });
  }
  void refreshBuildDefinitions();
  void refreshWorkspaceScope();
  void configureRegistry();
});

const SURROUNDINGS = /(?:^|\/)(?:[^/]*\.dockerignore|\.hadolint\.ya?ml)$/;
const DOCKERFILE_NAME = /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[^/]*)?$|\.(?:Dockerfile|dockerfile|containerfile)$/;

connection.onDidChangeWatchedFiles(({ changes }) => {
  const dockerfiles = changes.filter((c) => DOCKERFILE_NAME.test(c.uri) && !SURROUNDINGS.test(c.uri));
  // Any file created or deleted can be a COPY source; ignore files and hadolint configs change what rules see.
  if (changes.some((c) => SURROUNDINGS.test(c.uri) || isBuildDefinitionFile(c.uri) || c.type !== FileChangeType.Changed)) {
    surroundings.forget();
    reportedProblems.clear();
    if (changes.some((c) => isBuildDefinitionFile(c.uri))) void refreshBuildDefinitions();
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
  buildDefinitions = await findBuildDefinitions(workspaceFolders).catch(() => new Map<string, BuildDefinition[]>());
  surroundings.forget();
  for (const document of documents.all()) scheduleLint(document, 0);
}


connection.onDidChangeConfiguration(() => {
  settingsByUri.clear();
  for (const document of documents.all()) scheduleLint(document, 0);
  void refreshWorkspaceScope();
  void configureRegistry();
});

/** (Re)builds the registry client from the window-level settings; the disk cache survives. */
async function configureRegistry(): Promise<CachingRegistry> {
  const raw = canPullConfiguration ? await connection.workspace.getConfiguration('dockwise').catch(() => undefined) : undefined;
  const { registry: options } = readSettings(raw);
  const allowHost = hostPolicy({ mode: options.network, hosts: options.hosts, trusted });
  allowRegistryHost = allowHost;
  if (options.network === 'off') reportRegistry('off', 'dockwise.registry.network is off');
  imageFacts.clear();
  factsFailedAt.clear();
  const transport = new Transport({
    timeoutMs: options.timeoutMs,
    maxBytes: 4 * 1024 * 1024,
    allowHost,
    credentials: (host) => (trusted ? credentials(host) : Promise.resolve(undefined)),
    log: (line) => connection.console.log(`registry: ${line}`),
    ...(editorProxy ? { dispatcher: proxyAgent(editorProxy) } : {}),
  });
  registry = new CachingRegistry(new OciClient(transport), options.ttlMs, storagePath ? join(storagePath, 'registry') : undefined);
  hub = new HubClient(transport, options.ttlMs);
  // Lint again so the new policy decides which images to ask about.
  for (const document of documents.all()) scheduleLint(document, 0);
  return registry;
}

connection.onHover(async ({ textDocument, position }, token): Promise<Hover | null> => {
  const model = modelOf(textDocument.uri);
  const found = model && imageAt(model, position);
  if (!found) return null;
  const { ref, range } = found;
  const settings = await settingsFor(textDocument.uri);
  const client = registry ?? (await configureRegistry());
  // Docker Hub's web API stands in when its registry cannot be asked (pull limits, outages).
  const described = client.describe(ref).catch(async (error: unknown) => (await hub?.tag(ref).catch(() => undefined)) ?? Promise.reject(error));
  const fetched: Promise<HoverState> = Promise.all([
    described,
    ref.tag ? client.tags(ref).catch(() => []) : [],
    hub?.repository(ref).catch(() => undefined),
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
  const reportLink = !('description' in state) ? '' : `\n\n[Open the base image report](command:${SHOW_REPORT_COMMAND}?${encodeURIComponent(JSON.stringify([textDocument.uri, position]))})`;
  return { contents: { kind: MarkupKind.Markdown, value: `${imageHover(ref, state, settings.targetPlatforms)}${reportLink}${context}` }, range };
});

/** Lints every Dockerfile of the workspace from disk when `dockwise.scope` asks for it. */
async function refreshWorkspaceScope(): Promise<void> {
  const [scope, filesExclude] = canPullConfiguration
    ? ((await connection.workspace.getConfiguration([{ section: 'dockwise.scope' }, { section: 'files.exclude' }]).catch(() => [])) as unknown[])
    : [];
  const previous = new Set(workspaceFiles);
  workspaceFiles.clear();
  if (scope === 'workspace') {
    const excludes = typeof filesExclude === 'object' && filesExclude !== null ? (filesExclude as Record<string, unknown>) : {};
    for (const folder of workspaceFolders) {
      for (const path of await findWorkspaceDockerfiles(folder, excludes)) workspaceFiles.add(pathToFileURL(path).href);
    }
  }
  for (const uri of previous) if (!workspaceFiles.has(uri) && !documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  for (const uri of workspaceFiles) if (!documents.get(uri)) await publishFromDisk(uri);
}

function settingsFor(uri: string): Promise<Settings> {
  let settings = settingsByUri.get(uri);
  if (!settings) {
    settings = canPullConfiguration
      ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'dockwise' }).then(readSettings, () => readSettings(undefined))
      : Promise.resolve(readSettings(undefined));
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
  const settings = await settingsFor(uri);
  const text = await readFile(fileURLToPath(uri), 'utf8').catch(() => undefined);
  if (documents.get(uri)) return;
  void connection.sendDiagnostics({ uri, diagnostics: text === undefined ? [] : lintWith(uri, text, settings) });
}

function lintWith(uri: string, text: string, settings: Settings): Diagnostic[] {
  const refused = declined(text);
  if (refused) return [refused];
  const analysis = analyze(text, lintOptions(uri, settings), activeRules);
  if (!analysis) return [];
  requestFacts(analysis.model.stages.flatMap((s) => (s.base?.kind === 'image' ? [s.base.ref] : [])));
  return analysis.reported.map((r) => r.diagnostic);
}

/** The smallest `-slim`/`-alpine` variant of the same version, when it is smaller (the rule judges by how much). */
async function smallerVariant(client: RegistryClient, ref: ImageRef, pinTag: string | undefined, size: number | undefined): Promise<Pick<ImageFacts, 'smallerVariant'>> {
  const tag = ref.tag && /^\d/.test(ref.tag) ? ref.tag : pinTag;
  if (!tag || !size || ref.digest) return {};
  try {
    const candidates = variantCandidates(tag, await client.tags(ref));
    const sized = await Promise.all(
      candidates.map(async (variant) => {
        const d = await client.describe({ ...ref, tag: variant, familiar: ref.familiar.replace(/:[^:@/]+$/, `:${variant}`) });
        const p = mainPlatform(d);
        return p ? { tag: variant, compressedSize: p.compressedSize } : undefined;
      }),
    );
    const best = sized.filter((v): v is { tag: string; compressedSize: number } => !!v && v.compressedSize < size).sort((a, b) => a.compressedSize - b.compressedSize)[0];
    return best ? { smallerVariant: best } : {};
  } catch {
    return {};
  }
}

/** For `tag@digest` pins: the digest the tag has now, and the creation date of that image. */
async function tagNow(client: RegistryClient, ref: ImageRef): Promise<Pick<ImageFacts, 'tagNow'>> {
  if (!ref.digest || !ref.tag) return {};
  try {
    const digest = await client.digestOf(ref, ref.tag);
    if (digest === ref.digest) return { tagNow: { digest } };
    const { digest: _pinned, ...byTag } = ref;
    const now = await client.describe({ ...byTag, familiar: ref.familiar.replace(/@.*$/, '') });
    const created = mainPlatform(now)?.config?.created;
    return { tagNow: { digest, ...(created ? { created } : {}) } };
  } catch {
    return {};
  }
}

/** Asks the registry about images not known yet; when an answer lands, open documents are linted again. */
function requestFacts(refs: readonly ImageRef[]): void {
  for (const ref of refs) {
    const key = ref.familiar;
    const failed = factsFailedAt.get(key);
    if (imageFacts.has(key) || factsPending.has(key) || (failed && Date.now() - failed < FACTS_RETRY_MS)) continue;
    if (!allowRegistryHost(registryBase(ref.domain).host)) continue;
    factsPending.add(key);
    void (async () => {
      const client = registry ?? (await configureRegistry());
      try {
        const repository = hub?.repository(ref).catch(() => undefined);
        const description = await client.describe(ref);
        registryOutcome(description);
        const pinTag = ref.digest ? undefined : await mostSpecificTag(client, ref, description.digest).catch(() => undefined);
        const hubBadge = (await repository)?.badge;
        const main = mainPlatform(description);
        const config = main?.config;
        imageFacts.set(key, {
          digest: description.digest,
          platforms: description.platforms.map(platformName),
          ...(pinTag ? { pinTag } : {}),
          ...(config?.user ? { user: config.user } : {}),
          ...(config?.created ? { created: config.created } : {}),
          ...(hubBadge ? { hubBadge } : {}),
          ...(main ? { compressedSize: main.compressedSize } : {}),
          ...(await smallerVariant(client, ref, pinTag, main?.compressedSize)),
          ...(await tagNow(client, ref)),
        });
        for (const document of documents.all()) if (document.getText().includes(ref.path.split('/').at(-1)!)) scheduleLint(document, 0);
        // The digest-age hints read these facts.
        if (canRefreshInlayHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
      } catch (error) {
        if (error instanceof RegistryError) registryOutcome(error);
        factsFailedAt.set(key, Date.now());
      } finally {
        factsPending.delete(key);
      }
    })();
  }
}

function lintOptions(uri: string, settings: Settings): LintOptions {
  return {
    uri,
    rules: settings.rules,
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
    return { context: { trustedRegistries: settings.trustedRegistries, images: (ref) => imageFacts.get(ref.familiar), targetPlatforms: settings.targetPlatforms } };
  }
  const hadolint = found.hadolint;
  if (hadolint?.problem && !reportedProblems.has(hadolint.path)) {
    reportedProblems.add(hadolint.path);
    connection.console.warn(`dockwise: ignoring ${hadolint.path}: ${hadolint.problem}`);
  }
  return {
    context: {
      buildContext: found.buildContext,
      trustedRegistries: [...settings.trustedRegistries, ...(hadolint?.config.trustedRegistries ?? [])],
      images: (ref) => imageFacts.get(ref.familiar),
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
    const action = fixAllAction(doc, options);
    return action ? [action] : [];
  }
  if (context.only && !context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  // The editor sends the diagnostics under the cursor; their fixes are recomputed from the text, never trusted stale.
  return quickFixes(doc, context.diagnostics, options);
});

connection.onExecuteCommand(async ({ command, arguments: args = [] }) => {
  if (command === OPEN_DOCS_COMMAND && typeof args[0] === 'string') {
    await connection.window.showDocument({ uri: args[0], external: true });
    return;
  }
  if (command === BASE_IMAGE_REPORT_COMMAND && typeof args[0] === 'string') {
    return baseImageReport(args[0], args[1] as Position | undefined);
  }
  if (command === REFRESH_REGISTRY_COMMAND) {
    registry?.refresh();
    imageFacts.clear();
    factsFailedAt.clear();
    for (const document of documents.all()) scheduleLint(document, 0);
    return;
  }
  if (command === APPLY_FIX_ALL_COMMAND && typeof args[0] === 'string') {
    const document = documents.get(args[0]);
    if (!document) return;
    const settings = await settingsFor(document.uri);
    const action = fixAllAction({ uri: document.uri, version: document.version, text: document.getText() }, lintOptions(document.uri, settings));
    if (action?.edit) await connection.workspace.applyEdit({ label: action.title, edit: action.edit });
  }
  return undefined;
});

async function baseImageReport(uri: string, position: Position | undefined): Promise<{ title: string; html: string } | { error: string }> {
  const model = modelOf(uri);
  const found = model && position ? imageAt(model, position) : undefined;
  // Without a position on an image (the command palette), the last stage's base image.
  const lastBase = [...(model?.stages ?? [])].reverse().map((s) => s.base).find((b) => b?.kind === 'image');
  const image = found?.ref ?? (lastBase?.kind === 'image' ? lastBase.ref : undefined);
  if (!image) return { error: 'Put the cursor on an image in a FROM line.' };
  const client = registry ?? (await configureRegistry());
  if (!allowRegistryHost(registryBase(image.domain).host)) return { error: `dockwise may not ask ${image.domain} (dockwise.registry.network and dockwise.registry.hosts).` };
  const report = await gatherReport(client, image);
  return { title: `Base image: ${image.familiar}`, html: reportHtml(report, randomBytes(16).toString('base64')) };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
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
documents.onDidClose((e) => models.delete(e.document.uri));

const TAGS_WAIT_MS = 1500;

connection.onCompletion(async ({ textDocument, position }) => {
  const model = modelOf(textDocument.uri);
  const context = model && completionContext(model, position);
  if (!model || !context) return [];
  if (context.kind !== 'tag') return completionItems(model, context);
  if (!allowRegistryHost(registryBase(context.ref.domain).host) && registry) {
    return [{ label: `${context.ref.canonicalName}: the registry may not be asked (dockwise.registry.network / hosts)`, kind: CompletionItemKind.Text, insertText: '' }];
  }
  const client = registry ?? (await configureRegistry());
  // From the cache when it has them; a slow registry gets a short wait, then nothing rather than a stall.
  const tags = await Promise.race([client.tags(context.ref).catch(() => [] as readonly string[]), new Promise<readonly string[]>((resolve) => setTimeout(() => resolve([]), TAGS_WAIT_MS))]);
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
  const closed = await Promise.all(
    workspaceFolders.map((folder) => findWorkspaceDockerfiles(folder, {})).map(async (found) => {
      const paths = (await found).filter((p) => !openUris.has(pathToFileURL(p).href));
      return Promise.all(paths.map(async (p) => {
        const text = await readFile(p, 'utf8').catch(() => undefined);
        return text === undefined || declined(text) ? undefined : safeModel(text, pathToFileURL(p).href);
      }));
    }),
  );
  return [...open, ...closed.flat().filter((m): m is DockerfileModel => m !== undefined)].flatMap((m) => workspaceSymbols(m, query));
});

function safeModel(text: string, uri: string, buildArgs?: Readonly<Record<string, string>>): DockerfileModel | undefined {
  try {
    return buildModel(text, uri, buildArgs);
  } catch {
    return undefined;
  }
}

connection.onFoldingRanges(({ textDocument }) => {
  const model = modelOf(textDocument.uri);
  return model ? foldingRanges(model) : [];
});

connection.onDocumentLinks(({ textDocument }) => {
  const model = modelOf(textDocument.uri);
  if (!model) return [];
  const links = imageLinks(model);
  const contextDir = surroundingsOf(textDocument.uri)?.contextDir;
  if (!contextDir) return links;
  return [
    ...links,
    ...sourceLinks(model).flatMap(({ range, path }) => {
      const target = resolve(contextDir, path);
      // Only paths inside the context that exist: anything else is not what COPY would read.
      return !relative(contextDir, target).startsWith('..') && existsSync(target) ? [{ range, target: pathToFileURL(target).href, tooltip: 'Open in the build context' }] : [];
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
  return inlayHints(model, range, { ...show, createdOf: (ref) => imageFacts.get(ref.familiar)?.created, now: Date.now() });
});

/** The files around a document on disk (its build context, as compose or bake define it), cached by the reader. */
function surroundingsOf(uri: string): DockerfileSurroundings | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const path = fileURLToPath(uri);
  return surroundings.read(path, buildDefinitions.get(path));
}

connection.onCodeLens(({ textDocument }) => {
  const model = modelOf(textDocument.uri);
  return model ? codeLenses(model, surroundingsOf(textDocument.uri)?.buildContext) : [];
});

documents.listen(connection);
connection.listen();
