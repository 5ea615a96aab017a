// Docker Hub's web API on loopback, answering from the responses in test/fixtures/hub.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../paths';

const ROUTES: Readonly<Record<string, string>> = {
  '/v2/namespaces/library/repositories/python': 'repository-library-python.json',
  '/v2/namespaces/someuser/repositories/tools': 'repository-someuser-tools.json',
  '/api/search/v4?query=someuser%2Ftools': 'search-someuser-tools.json',
  '/v2/namespaces/library/repositories/node/tags/20.18-slim': 'tag-library-node-20.18-slim.json',
};

export async function startHubServer(): Promise<{ host: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    const file = Object.entries(ROUTES).find(([route]) => url === route || url.startsWith(`${route}&`))?.[1];
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"object not found","errinfo":{}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(readFileSync(join(ROOT, 'test/fixtures/hub', file)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
