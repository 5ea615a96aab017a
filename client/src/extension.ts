/**
 * The desktop entry (and code-server's): the language server is a Node process over IPC, with the
 * extension's global storage folder for its registry cache (the server pulls the editor's `http.*`
 * settings itself through workspace/configuration, with its registry settings).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS, serverEnvironment } from './processFlags';
import { startDockwise, stopDockwise } from './start';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('server/out/server.js');
  // A private folder for the server's compiled-code cache, so later starts skip compiling its bundle.
  const codeCache = `--code-cache=${vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath}`;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, args: [codeCache], options: { execArgv: [...SERVER_NODE_FLAGS], env: serverEnvironment() } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6019'], env: serverEnvironment() } },
  };
  await startDockwise(context, {
    initializationOptions: {
      storagePath: context.globalStorageUri.fsPath,
    },
    create: (clientOptions) => new LanguageClient('dockwise', 'dockwise', serverOptions, clientOptions),
  });
}

export const deactivate = stopDockwise;
