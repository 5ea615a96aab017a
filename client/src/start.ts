/**
 * The VS Code side, shared by the desktop (`extension.ts`, a Node language server over IPC) and the
 * browser (`browserExtension.ts`, the language server in a web worker): passes the server settings,
 * shows its state, and owns the commands. It knows nothing about Dockerfiles.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, State, type BaseLanguageClient, type LanguageClientOptions } from 'vscode-languageclient';
import { LanguageStatus } from './languageStatus';
import { NeighbourWatch } from './neighbours';
import { localDocsLinks, registerRuleDocs } from './ruleDocs';
import { ClientCommand, Notification, ServerCommand, type BaseImageReportResult, type ExperimentalCapabilities, type Note, type RegistryStatusParams } from '../../shared/protocol';

/** A client that can start its server again (the Node client can; the browser one is given it). */
export type DockwiseClient = BaseLanguageClient & { restart(): Promise<void> };

/** How a platform starts its language server: the client for these options, and what else it tells the server at start. */
export interface ServerLauncher {
  readonly initializationOptions: Readonly<Record<string, unknown>>;
  create(clientOptions: LanguageClientOptions): DockwiseClient;
}

let client: DockwiseClient | undefined;

export async function startDockwise(context: vscode.ExtensionContext, launcher: ServerLauncher): Promise<void> {
  // A log channel: the server's per-request lines are at debug level, shown only when asked for.
  const output = vscode.window.createOutputChannel('dockwise', { log: true });
  const status = new LanguageStatus();
  const neighbours = new NeighbourWatch(context, () => client);
  const docsLinks = localDocsLinks(context);
  context.subscriptions.push(
    output,
    status,
    neighbours,
    registerRuleDocs(context),
    vscode.commands.registerCommand('dockwise.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('dockwise.restartServer', () => client?.restart()),
    vscode.commands.registerCommand('dockwise.refreshRegistry', () =>
      client?.sendRequest(ExecuteCommandRequest.type, { command: ServerCommand.refreshRegistry, arguments: [] }),
    ),
    // Shows a page the server renders (the base-image report) for a document position: from a hover
    // link with both, or from the palette with the cursor's. Scripts stay off; the page sets its own CSP.
    vscode.commands.registerCommand(ClientCommand.showBaseImageReport, async (uri?: string, position?: { line: number; character: number }) => {
      const editor = vscode.window.activeTextEditor;
      const target = uri ?? (editor ? client?.code2ProtocolConverter.asUri(editor.document.uri) : undefined);
      const at = position ?? (editor ? { line: editor.selection.active.line, character: editor.selection.active.character } : undefined);
      if (!client || !target) return;
      const page = (await client.sendRequest(ExecuteCommandRequest.type, { command: ServerCommand.baseImageReport, arguments: [target, at] })) as BaseImageReportResult | null;
      if (!page || 'error' in page) {
        void vscode.window.showWarningMessage(page?.error ?? 'dockwise: no report for this position.');
        return;
      }
      const panel = vscode.window.createWebviewPanel('dockwise.report', page.title, vscode.ViewColumn.Beside, { enableScripts: false, enableCommandUris: false });
      panel.webview.html = page.html;
    }),
    // Trust widens what the server may contact; it reads trust once, at start.
    vscode.workspace.onDidGrantWorkspaceTrust(() => client?.restart()),
    // Runs the server's fix-all on whatever document is active; the server decides what applies.
    vscode.commands.registerCommand('dockwise.fixAll', async () => {
      const document = vscode.window.activeTextEditor?.document;
      if (!client || !document) return;
      await client.sendRequest(ExecuteCommandRequest.type, {
        command: ServerCommand.applyFixAll,
        arguments: [client.code2ProtocolConverter.asUri(document.uri)],
      });
    }),
  );

  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'dockerfile' }],
    initializationOptions: { trusted: vscode.workspace.isTrusted, ...launcher.initializationOptions },
    outputChannel: output,
    // The FROM hover links to the report; only that command may run from hover markdown.
    markdown: { isTrusted: { enabledCommands: [ClientCommand.showBaseImageReport] } },
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => {
        docsLinks(diagnostics);
        next(uri, diagnostics);
      },
    },
  };
  client = launcher.create(clientOptions);
  const started = client;
  context.subscriptions.push(
    started.onDidChangeState(({ newState }) => {
      const experimental = started.initializeResult?.capabilities.experimental as Partial<ExperimentalCapabilities> | undefined;
      const rules = experimental?.dockwise?.rules;
      status.showState(newState, typeof rules === 'number' ? rules : undefined);
      if (newState === State.Running) neighbours.resync();
    }),
    started.onNotification(Notification.registryStatus, ({ state, detail }: RegistryStatusParams) => status.showRegistry(state, detail)),
    started.onNotification(Notification.note, (note: Note) => neighbours.showNote(note)),
  );
  await started.start();
}

export async function stopDockwise(): Promise<void> {
  await client?.stop();
}
