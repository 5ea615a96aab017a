// A forward proxy on loopback that speaks CONNECT only, as corporate proxies do for HTTPS: it
// records each tunnel asked for and, like a proxy with its own DNS, sends every tunnel to one
// upstream whatever name was asked (so a name only the proxy "knows" proves the request went
// through it). With `authorization`, a CONNECT without that Proxy-Authorization gets 407.
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface Tunnel {
  readonly authority: string;
  readonly authorization?: string;
  readonly status: number;
}

export interface ConnectProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly tunnels: Tunnel[];
  stop(): Promise<void>;
}

export async function startConnectProxy(upstream: () => { host: string; port: number }, authorization?: string): Promise<ConnectProxy> {
  const tunnels: Tunnel[] = [];
  const sockets = new Set<Socket>();
  const proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const given = req.headers['proxy-authorization'];
    const allowed = !authorization || given === authorization;
    tunnels.push({ authority: req.url ?? '', ...(given ? { authorization: given } : {}), status: allowed ? 200 : 407 });
    if (!allowed) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="dockwise-tests"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const { host, port } = upstream();
    const target = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) target.write(head);
      target.pipe(client);
      client.pipe(target);
    });
    sockets.add(target);
    target.on('close', () => sockets.delete(target));
    target.on('error', () => client.destroy());
    client.on('close', () => target.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    tunnels,
    async stop() {
      for (const socket of sockets) socket.destroy();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
