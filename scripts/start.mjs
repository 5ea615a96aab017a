// `npm start`: build and package dockwise, install it into a project-local VS Code (code-server)
// and serve that VS Code on loopback with examples/ open. Ctrl+C stops everything it started.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureCodeServer, freePort, prepareRun, startCodeServer } from './code-server.mjs';
import { startDemoRegistry } from './demo-registry.mjs';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
execFileSync(process.execPath, [join(ROOT, 'scripts/package.mjs')], { cwd: ROOT, stdio: 'inherit' });
ensureCodeServer();

const registry = await startDemoRegistry();
const runDir = join(ROOT, '.dockwise-run/start');
prepareRun(runDir, { vsix: join(ROOT, `dockwise-${version}.vsix`), settings: registry ? { 'dockwise.registry.hosts': [registry.host] } : {} });
const port = Number(process.env.PORT) || (await freePort());
const server = await startCodeServer(runDir, { port, folder: join(ROOT, 'examples'), log: 'inherit' });

console.log(`\ndockwise ${version} is running in VS Code at ${server.workbenchUrl}`);
if (registry) console.log(`demo registry for examples/local-registry: http://${registry.host}`);
console.log('Press Ctrl+C to stop.\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  await registry?.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.on('exit', (code) => {
  if (!stopping) {
    console.error(`code-server exited (${code})`);
    process.exit(1);
  }
});
