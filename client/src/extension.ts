/**
 * The VS Code side: starts the language server, passes it settings and a
 * storage folder, and shows its state. It knows nothing about Dockerfiles.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS } from './processFlags';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('dockwise', { log: true });
  const status = vscode.window.createStatusBarItem('dockwise.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'dockwise';
  status.command = 'dockwise.showOutput';
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('dockwise.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('dockwise.restartServer', () => client?.restart()),
    vscode.commands.registerCommand('dockwise.refreshRegistry', () =>
      client?.sendRequest(ExecuteCommandRequest.type, { command: 'dockwise.server.refreshRegistry', arguments: [] }),
    ),
    // Shows a page the server renders (the base-image report) for a document position: from a hover
    // link with both, or from the palette with the cursor's. Scripts stay off; the page sets its own CSP.
    vscode.commands.registerCommand('dockwise.showBaseImageReport', async (uri?: string, position?: { line: number; character: number }) => {
      const editor = vscode.window.activeTextEditor;
      const target = uri ?? (editor ? client?.code2ProtocolConverter.asUri(editor.document.uri) : undefined);
      const at = position ?? (editor ? { line: editor.selection.active.line, character: editor.selection.active.character } : undefined);
      if (!client || !target) return;
      const page = (await client.sendRequest(ExecuteCommandRequest.type, { command: 'dockwise.server.baseImageReport', arguments: [target, at] })) as { title: string; html: string } | { error: string } | null;
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
        command: 'dockwise.server.applyFixAll',
        arguments: [client.code2ProtocolConverter.asUri(document.uri)],
      });
    }),
  );

  const serverModule = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'dockerfile' }],
    initializationOptions: {
      storagePath: context.globalStorageUri.fsPath,
      trusted: vscode.workspace.isTrusted,
      proxy: vscode.workspace.getConfiguration('http').get<string>('proxy') || undefined,
    },
    outputChannel: output,
    // The FROM hover links to the report; only that command may run from hover markdown.
    markdown: { isTrusted: { enabledCommands: ['dockwise.showBaseImageReport'] } },
  };
  client = new LanguageClient('dockwise', 'dockwise', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onDidChangeState(({ newState }) => showState(status, newState)),
    client.onNotification('dockwise/registryStatus', ({ state, detail }: { state: string; detail: string }) => showRegistry(status, state, detail)),
  );
  showState(status, State.Starting);
  status.show();
  await client.start();
}

const STATE_LOOK: Record<State, { text: string; tooltip: string }> = {
  [State.Starting]: { text: '$(sync~spin) dockwise', tooltip: 'dockwise: starting the language server' },
  [State.Running]: { text: '$(check) dockwise', tooltip: 'dockwise: checking Dockerfiles. Click for the log.' },
  [State.Stopped]: { text: '$(error) dockwise', tooltip: 'dockwise: the language server stopped. Click for the log.' },
  [State.StartFailed]: { text: '$(error) dockwise', tooltip: 'dockwise: the language server failed to start. Click for the log.' },
};

function showState(status: vscode.StatusBarItem, state: State): void {
  Object.assign(status, STATE_LOOK[state]);
}

/** Registry state as the server reports it: online, offline, cached, denied by policy, or off. */
const REGISTRY_ICON: Record<string, string> = { online: '$(check)', offline: '$(cloud-offline)', cached: '$(history)', denied: '$(shield)', off: '$(circle-slash)' };

function showRegistry(status: vscode.StatusBarItem, state: string, detail: string): void {
  status.text = `${REGISTRY_ICON[state] ?? '$(check)'} dockwise`;
  status.tooltip = `dockwise: checking Dockerfiles. Registry: ${state} (${detail}). Click for the log.`;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
