// A loopback HTTP forwarder in front of the registry that notes when each request starts and ends,
// so the benchmark can count how many round trips a hover waits for one after another.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Exchange {
  readonly path: string;
  readonly start: number;
  end: number;
}

export interface CountingProxy {
  readonly host: string;
  /** Requests seen since the last reset. */
  count(): number;
  /**
   * The longest chain of requests where each started only after the previous one ended, among
   * those finished by `until` (requests still running then were not waited for).
   */
  sequentialRounds(until?: number): number;
  reset(): void;
  /** Method and path of each request since the last reset, for the log. */
  paths(): string[];
  close(): Promise<void>;
}

/**
 * `latencyMs` is added before each request is forwarded, as a distant registry would: loopback
 * answers in a few milliseconds, too close to scheduling noise to tell parallel from sequential.
 */
export async function startCountingProxy(target: string, latencyMs = 40): Promise<CountingProxy> {
  let exchanges: Exchange[] = [];
  const [targetHost, targetPort] = target.split(':');
  const server: Server = createServer((incoming, outgoing) => {
    const exchange: Exchange = { path: `${incoming.method} ${incoming.url}`, start: performance.now(), end: Infinity };
    exchanges.push(exchange);
    const forward = () => {
      const upstream = request({ host: targetHost, port: Number(targetPort), method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        answer.on('end', () => (exchange.end = performance.now()));
      });
      upstream.on('error', () => outgoing.destroy());
      incoming.pipe(upstream);
    };
    incoming.pause();
    setTimeout(forward, latencyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    count: () => exchanges.length,
    sequentialRounds(until = Infinity) {
      const sorted = exchanges.filter((e) => e.end <= until).sort((a, b) => a.start - b.start);
      const depth = new Map<Exchange, number>();
      for (const e of sorted) depth.set(e, 1 + Math.max(0, ...sorted.filter((q) => q.end <= e.start).map((q) => depth.get(q) ?? 0)));
      return Math.max(0, ...depth.values());
    },
    reset: () => (exchanges = []),
    paths: () => exchanges.map((e) => `${e.path} ${e.start.toFixed(1)}–${e.end.toFixed(1)}`),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
