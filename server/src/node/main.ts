/**
 * The language server as a Node process (bundled to server/out/serverMain.js, which `launch.ts`
 * loads): the editor starts it over IPC, other clients and the tests over stdio; `createConnection`
 * reads which from argv.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { rules } from '../rules';
import { createServer } from '../server';
import { collectWhenIdle } from './idleCollection';
import { nodeServices } from './services';

createServer(createConnection(ProposedFeatures.all), nodeServices(rules));
collectWhenIdle();
