// The registry `npm start` runs beside VS Code, so the sample workspace's registry hovers work
// offline: Debian's docker-registry on a fixed loopback port, seeded with demo images.
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { ROOT } from './code-server.mjs';

/** The port examples/local-registry/Dockerfile names; DOCKWISE_DEMO_REGISTRY_PORT moves it. */
export const DEMO_REGISTRY_PORT = Number(process.env.DOCKWISE_DEMO_REGISTRY_PORT) || 5077;

/** The test helpers are TypeScript; bundle them on the fly rather than keep a JavaScript twin. */
async function load() {
  const built = await esbuild.build({
    absWorkingDir: ROOT,
    stdin: { contents: "export * from './test/registry/local-registry';\nexport * from './test/registry/demo-images';\n", resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
  });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

/** Starts and seeds the registry; `undefined` (with the reason printed) when it cannot run here. */
export async function startDemoRegistry() {
  const { startRegistry, seedDemoImages } = await load();
  try {
    const registry = await startRegistry({ address: `127.0.0.1:${DEMO_REGISTRY_PORT}` });
    await seedDemoImages(registry.host);
    return registry;
  } catch (error) {
    console.warn(`demo registry not started (${error.message.split('\n')[0]}); registry hovers in examples/ will say so`);
    return undefined;
  }
}
