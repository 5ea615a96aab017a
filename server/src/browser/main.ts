/**
 * The language server in a web worker (vscode.dev, github.dev; bundled to
 * server/out/browserServer.js): messages over the worker's own port, no disk and no registry, so
 * documents get their settings but no build-context facts, and registry features are absent.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { rules } from '../rules';
import { createServer } from '../server';

/** The worker's global scope, which the reader and writer take as their port. */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

createServer(createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self)), { rules });
