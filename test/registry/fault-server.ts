// A loopback HTTP server that misbehaves on purpose, one way per path, for the registry fault matrix.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | 'timeout' | 'drip' | 'reset' | 'unauthorized-no-challenge' | 'unauthorized-loop' | 'forbidden' | 'not-found'
  | 'rate-limited' | 'server-error' | 'unavailable' | 'malformed-json' | 'wrong-digest' | 'huge' | 'redirect-loop' | 'redirect-other-host'
  | 'paged' | 'redirect-to-token-host' | 'token-tags';

export interface FaultServer {
  readonly host: string;
  /** Requests seen, as `METHOD path authorization?`. */
  readonly seen: string[];
  stop(): Promise<void>;
}

/** `other` is where `redirect-other-host` sends the client (with its own host name). */
export async function startFaultServer(other?: string): Promise<FaultServer> {
  const seen: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ? 'auth' : 'anon'}`);
    const fault = (req.url ?? '').split('/')[2] as Fault; // /v2/<fault>/...
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (fault) {
      case 'timeout':
        return; // never answers
      case 'drip':
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
        res.write('{');
        return; // then nothing more
      case 'reset':
        req.socket.destroy();
        return;
      case 'unauthorized-no-challenge':
        return json(401, { errors: [{ code: 'UNAUTHORIZED' }] });
      case 'unauthorized-loop':
        return json(401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="faults"` });
      case 'forbidden':
        return json(403, { errors: [{ code: 'DENIED' }] });
      case 'not-found':
        return json(404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
      case 'rate-limited':
        return json(429, { errors: [{ code: 'TOOMANYREQUESTS' }] }, { 'retry-after': '30' });
      case 'server-error':
        return json(500, { errors: [{ code: 'UNKNOWN' }] });
      case 'unavailable':
        return json(503, {});
      case 'malformed-json':
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
        return res.end('{"schemaVersion": 2, "layers": [');
      case 'wrong-digest':
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': 'sha256:' + '0'.repeat(64) });
        return res.end('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:' + '1'.repeat(64) + '","size":2},"layers":[]}');
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
        res.write('{"x":"');
        const chunk = 'x'.repeat(64 * 1024);
        const pump = (): void => {
          for (let i = 0; i < 16; i++) {
            if (res.destroyed) return;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          setImmediate(pump);
        };
        return pump();
      case 'redirect-loop':
        res.writeHead(302, { location: req.url! });
        return res.end();
      case 'redirect-other-host':
        res.writeHead(307, { location: `http://${other}${req.url}` });
        return res.end();
      case 'paged': {
        // Two pages joined by a relative Link, then a Link to another origin that must not be followed.
        const page2 = (req.url ?? '').includes('last=b');
        const link = page2 ? `<http://${other}/v2/paged/app/tags/list?last=d>; rel="next"` : '</v2/paged/app/tags/list?n=2&last=b>; rel="next"';
        return json(200, { name: 'paged/app', tags: page2 ? ['d', 'c'] : ['b', 'a'] }, { link });
      }
      case 'redirect-to-token-host':
        res.writeHead(307, { location: `http://${other}${(req.url ?? '').replace('redirect-to-token-host', 'token-tags')}` });
        return res.end();
      case 'token-tags':
        if (req.headers.authorization !== 'Bearer not-a-real-token') {
          return json(401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="faults"` });
        }
        return json(200, { name: 'token-tags/app', tags: ['1.0'] });
      default:
        if (req.url?.startsWith('/token')) return json(200, { token: 'not-a-real-token', expires_in: 300 });
        return json(404, {});
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
