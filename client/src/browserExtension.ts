/**
 * The browser entry (vscode.dev, github.dev, any web worker extension host): the language server
 * runs in a web worker from the bundled server/out/browserServer.js. It has no disk and no registry;
 * it says so itself, in the registry's language status item.
 */
import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, type LanguageClientOptions } from 'vscode-languageclient/browser';
import { startDockwise, stopDockwise, type DockwiseClient } from './start';

/** The worker type the client takes (the DOM's, which this project's Node-typed build does not load). */
type ServerWorker = Exclude<ConstructorParameters<typeof LanguageClient>[2], () => unknown>;
declare const Worker: new (url: string, options?: { name?: string }) => ServerWorker;

/**
 * vscode.dev and github.dev serve an extension over https, and a worker loads from there. A web
 * workbench that runs an extension installed on its remote (code-server) hands out vscode-remote:
 * addresses, from which VS Code's worker host refuses to start workers; the script is then read
 * through VS Code's file system and started from a blob. Called on every (re)start of the server.
 */
async function serverWorker(context: vscode.ExtensionContext): Promise<ServerWorker> {
  const script = vscode.Uri.joinPath(context.extensionUri, 'server/out/browserServer.js');
  const options = { name: 'dockwise language server' };
  if (script.scheme === 'https' || script.scheme === 'http') return new Worker(script.toString(true), options);
  const code = await vscode.workspace.fs.readFile(script);
  return new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), options);
}

/**
 * The client over a worker it makes itself. The client would make the reader and writer for a
 * Worker it is handed, but it recognises one with `instanceof Worker`, which VS Code's worker host
 * breaks by replacing `Worker` with a function; and the server's side cannot end its own worker, so
 * a restart ends the old one here. The browser client has no restart of its own: stop, then start.
 */
function workerClient(context: vscode.ExtensionContext, clientOptions: LanguageClientOptions): DockwiseClient {
  let worker: ServerWorker | undefined;
  const client = new LanguageClient(
    'dockwise',
    'dockwise',
    async () => {
      worker?.terminate();
      worker = await serverWorker(context);
      return { reader: new BrowserMessageReader(worker), writer: new BrowserMessageWriter(worker) };
    },
    clientOptions,
  );
  return Object.assign(client, {
    async restart(): Promise<void> {
      await client.stop();
      await client.start();
    },
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  await startDockwise(context, { initializationOptions: {}, create: (clientOptions) => workerClient(context, clientOptions) });
}

export const deactivate = stopDockwise;
