/**
 * The LSP edge: wiring only. `createServer` declares the capabilities, gives the session
 * (`lsp/session.ts`, where the work is) a port to the client, and hands every request and
 * notification to it or to a pure feature in one line. Nothing runs on import; the entries make the
 * connection (`node/main.ts`, `browser/main.ts`) and the tests make one in memory.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Notification, ServerCommand, type ExperimentalCapabilities, type InitializationOptions, type NeighboursParams, type OtherDiagnosticsParams } from '../../shared/protocol';
import { FIX_ALL_KIND } from './engine/codeActions';
import { foldingRanges } from './features/folding';
import { definition, highlights, prepareRename, references, rename } from './features/navigation';
import { documentSymbols } from './features/outline';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './features/semanticTokens';
import { signatureHelp } from './features/signatureHelp';
import { Session, type ClientPort } from './lsp/session';
import type { ServerServices } from './services';
import { DEFAULT_LINT_DELAY_MS } from './settings';

/** A session's `'cancelled'` as LSP says it. */
function unlessCancelled<T>(answer: T | 'cancelled'): T {
  if (answer === 'cancelled') throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
  return answer;
}

/** A rename the feature refuses, as LSP says it. */
function renamed(result: ReturnType<typeof rename>): Exclude<ReturnType<typeof rename>, { readonly error: string }> {
  if ('error' in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.error);
  return result;
}

/** What the session says to the client, over the connection. */
function portOf(connection: Connection): ClientPort {
  return {
    publish: (uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics, ...(version === undefined ? {} : { version }) }),
    notify: (method, params) => void connection.sendNotification(method, params),
    log: (level, message) => connection.console[level](message),
    configuration: async (items) => ((await connection.workspace.getConfiguration([...items])) as unknown[]) ?? [],
    refreshInlayHints: () => void connection.languages.inlayHint.refresh().catch(() => undefined),
    applyEdit: (label, edit) => connection.workspace.applyEdit({ label, edit }),
    showDocument: (uri) => connection.window.showDocument({ uri, external: true }),
    progress: async (title) => {
      const progress = await connection.window.createWorkDoneProgress();
      progress.begin(title, 0, 'finding Dockerfiles');
      return progress;
    },
  };
}

/** Wires every handler to `connection` and starts listening. */
export function createServer(connection: Connection, services: ServerServices): void {
  const documents = new TextDocuments(TextDocument);
  const session = new Session(services, portOf(connection), documents, DEFAULT_LINT_DELAY_MS);
  const model = (uri: string) => session.modelOf(uri);
  let watchFiles = false;
  let pullConfiguration = false;

  connection.onInitialize((params): InitializeResult => {
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const folders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : [])).map((f) => f.uri);
    const abilities = { pullConfiguration, refreshInlayHints: params.capabilities.workspace?.inlayHint?.refreshSupport === true };
    session.initialize(abilities, folders, (params.initializationOptions ?? {}) as { readonly [K in keyof InitializationOptions]?: unknown });
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
        experimental: { dockwise: { rules: services.rules.length } } satisfies ExperimentalCapabilities,
      },
      serverInfo: { name: 'dockwise', version: DOCKWISE_VERSION },
    };
  });

  connection.onInitialized(() => {
    // `http`: the editor's proxy and certificate settings, which the registry connection follows.
    if (pullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: ['dockwise', 'http'] });
    if (watchFiles && services.disk) {
      // The files around a Dockerfile that change what the rules see.
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/{.dockerignore,*.dockerignore,.hadolint.yaml,.hadolint.yml,.dockwise.yaml,.dockwise.yml}' },
          { globPattern: services.disk.dockerfileGlob },
          ...services.disk.buildDefinitionGlobs.map((globPattern) => ({ globPattern })),
          // Files appearing and disappearing in a build context; edits to them do not matter.
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ],
      });
    }
    session.initialized();
  });

  connection.onShutdown(() => session.shutdown());
  connection.onDidChangeConfiguration(() => session.configurationChanged());
  connection.onDidChangeWatchedFiles(({ changes }) => session.fileEvents(changes));
  connection.onNotification(Notification.neighbours, ({ extensions }: Partial<NeighboursParams>) => session.neighboursChanged(extensions));
  connection.onNotification(Notification.otherDiagnostics, ({ uri, diagnostics }: Partial<OtherDiagnosticsParams>) => session.otherDiagnostics(uri, diagnostics));

  // TextDocuments reports an open as a content change too; only the open skips the typing delay.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => justOpened.add(e.document.uri));
  documents.onDidChangeContent((e) => (justOpened.delete(e.document.uri) ? session.opened(e.document.uri) : session.changed(e.document.uri)));
  documents.onDidClose((e) => session.closed(e.document.uri));

  connection.onHover(async ({ textDocument, position }, token) => unlessCancelled(await session.hover(textDocument.uri, position, token)));
  connection.onCompletion(({ textDocument, position }) => session.completion(textDocument.uri, position));
  connection.onCodeAction(async ({ textDocument, context }, token) => unlessCancelled(await session.codeActions(textDocument.uri, context.only, context.diagnostics, token)));
  connection.onExecuteCommand(({ command, arguments: args = [] }) => session.executeCommand(command, args));
  connection.onDocumentLinks(({ textDocument }) => session.documentLinks(textDocument.uri));
  connection.onWorkspaceSymbol(({ query }) => session.workspaceSymbols(query));
  connection.onDocumentFormatting(({ textDocument, options }) => session.formatting(textDocument.uri, options.tabSize));
  connection.onDocumentRangeFormatting(({ textDocument, options, range }) => session.formatting(textDocument.uri, options.tabSize, range));
  connection.languages.inlayHint.on(({ textDocument, range }) => session.inlayHints(textDocument.uri, range));
  connection.onCodeLens(({ textDocument }) => session.codeLenses(textDocument.uri));

  // Pure features over the document's model.
  const over = <T, R>(uri: string, feature: (m: NonNullable<ReturnType<typeof model>>) => R, none: T): R | T => {
    const found = model(uri);
    return found ? feature(found) : none;
  };
  connection.onSignatureHelp(({ textDocument, position }) => over(textDocument.uri, (m) => signatureHelp(m, position) ?? null, null));
  connection.onDefinition(({ textDocument, position }) => over(textDocument.uri, (m) => definition(m, position) ?? null, null));
  connection.onReferences(({ textDocument, position, context }) => over(textDocument.uri, (m) => references(m, position, context.includeDeclaration), []));
  connection.onDocumentHighlight(({ textDocument, position }) => over(textDocument.uri, (m) => highlights(m, position), []));
  connection.onPrepareRename(({ textDocument, position }) => over(textDocument.uri, (m) => prepareRename(m, position) ?? null, null));
  connection.onRenameRequest(({ textDocument, position, newName }) => over(textDocument.uri, (m) => renamed(rename(m, position, newName)), null));
  connection.onDocumentSymbol(({ textDocument }) => over(textDocument.uri, documentSymbols, []));
  connection.onFoldingRanges(({ textDocument }) => over(textDocument.uri, foldingRanges, []));
  connection.languages.semanticTokens.on(({ textDocument }) => over(textDocument.uri, semanticTokens, { data: [] }));

  documents.listen(connection);
  connection.listen();
}
