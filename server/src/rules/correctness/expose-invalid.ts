import { expand } from '../../language/variables';
import { argumentSpans, dispatchedStages } from '../../language/buildkitChecks';
import type { DockerfileModel, InstructionInfo } from '../../language/model';
import { instructionsRule, type Finding, type RuleContext } from '../../engine/rule';

/** What dockerfile2llb's parsePort (convert_expose.go) makes of one EXPOSE word. */
interface Port {
  /** BuildKit's error: the build fails when it dispatches the stage. */
  readonly error?: string;
  readonly ip: string;
  readonly hostPort: string;
  /** The container ports, when they parse. */
  readonly ports?: readonly number[];
}

/** strconv.ParseInt(s, 10, 0) then the 0–65535 check: the port, or the error text. */
function portNumber(raw: string): number | string {
  if (raw === '') return 'value is empty';
  if (!/^[+-]?\d+$/.test(raw)) return 'invalid syntax';
  const port = Number(raw);
  return port < 0 || port > 65535 ? 'value out of range (0–65535)' : port;
}

function portRange(ports: string): [number, number] | undefined {
  if (ports === '') return undefined;
  const dash = ports.indexOf('-');
  const start = dash === -1 ? ports : ports.slice(0, dash);
  const end = dash === -1 ? undefined : ports.slice(dash + 1);
  const first = portNumber(start);
  if (typeof first === 'string') return undefined;
  if (end === undefined || start === end) return [first, first];
  const last = portNumber(end);
  if (typeof last === 'string' || last < first) return undefined;
  return [first, last];
}

/** net.ParseIP, closely enough: a dotted quad without leading zeros, or something shaped like IPv6. */
function isIP(ip: string): boolean {
  const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (quad) return quad.slice(1).every((p) => Number(p) <= 255 && (p === '0' || !p.startsWith('0')));
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip);
}

export function parsePort(raw: string): Port {
  const parts = raw.split(':');
  const n = parts.length;
  const [ip, hostPort, containerPart] = n === 1 ? ['', '', parts[0]!] : n === 2 ? ['', parts[0]!, parts[1]!] : [parts.slice(0, n - 2).join(':'), parts[n - 2]!, parts[n - 1]!];
  const slash = containerPart.indexOf('/');
  const containerPort = slash === -1 ? containerPart : containerPart.slice(0, slash);
  const proto = slash === -1 ? '' : containerPart.slice(slash + 1);
  const base = { ip, hostPort };
  if (containerPort === '') return { ...base, error: `invalid port: ${JSON.stringify(raw)}: no port specified` };
  if (!['', 'tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) return { ...base, error: `invalid port: ${JSON.stringify(raw)}: invalid proto: ${proto}` };
  let address = ip;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close === -1 || close !== address.length - 1) return { ...base, error: `invalid IP address ${address}` };
    address = address.slice(1, close);
  }
  if (address !== '' && !isIP(address)) return { ...base, error: `invalid IP address: ${address}` };
  const container = portRange(containerPort);
  if (!container) return { ...base, error: `invalid containerPort: ${containerPort}` };
  if (hostPort !== '') {
    const host = portRange(hostPort);
    if (!host) return { ...base, error: `invalid hostPort: ${hostPort}` };
    if (container[1] - container[0] !== host[1] - host[0] && container[1] !== container[0]) {
      return { ...base, error: `invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}` };
    }
  }
  return { ...base, ports: container };
}

/** What the rule finds in `instructions` (a stage's, or those before the first FROM). */
function invalidPorts(instructions: readonly InstructionInfo[], model: DockerfileModel, context: RuleContext): Finding[] {
  let dispatched: Set<number> | undefined;
  const reached = (stage: number | undefined) => stage !== undefined && (dispatched ??= dispatchedStages(model, context)).has(stage);
  return instructions.flatMap((info): Finding[] => {
    if (info.keyword !== 'EXPOSE') return [];
    return argumentSpans(info.read).flatMap((word): Finding[] => {
      if (word.text.includes('$')) return [];
      // The builder removes quotes and escapes first; a word it cannot read is buildkit-refuses'.
      const expanded = expand(word.text, () => undefined, model.escapeChar, true);
      if (expanded.error) return [];
      const value = expanded.value;
      const range = model.rangeOf(word.start, word.end);
      const port = parsePort(value);
      if (port.error) {
        return reached(info.stage)
          ? [{ range, message: `BuildKit fails the build here: ${port.error}.`, severity: 'error' }]
          : [{ range, message: `BuildKit fails to build this stage (which the default build does not reach): ${port.error}.` }];
      }
      if (port.ip !== '' || port.hostPort !== '') {
        return [{ range, message: `\`${value}\` includes a host address or port; EXPOSE takes only the container port. Publish with \`docker run -p\`.` }];
      }
      return port.ports?.includes(0) ? [{ range, message: `\`${value}\` is port 0, which no program listens on; EXPOSE takes ports 1-65535.` }] : [];
    });
  });
}

export const exposeInvalid = instructionsRule({
  meta: {
    id: 'expose-invalid',
    title: 'Invalid `EXPOSE` port',
    description:
      'Flags EXPOSE values BuildKit refuses (an error where the build reaches the stage, in its words: a bad protocol, port or range), and host mappings like 8080:80 or port 0 (warnings).',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3011'], buildkit: ['ExposeInvalidFormat'], trivy: ['DS-0008'] },
    docs: {
      why: `\`EXPOSE\` documents which ports the container listens on; it cannot publish them. BuildKit parses every
value when it builds the stage and fails the build on one it cannot read: a protocol other than tcp, udp or sctp
(\`invalid port: "80/http": invalid proto: http\`), a port above 65535 (\`invalid containerPort: 70000\`), a range
that runs backwards, an address where it expects a host port (\`EXPOSE 0.0.0.0:80\`: \`invalid hostPort: 0.0.0.0\`).
Those are errors in the stages the build reaches (warnings elsewhere). \`EXPOSE 8080:80\` or
\`EXPOSE 127.0.0.1:8080:80\` builds, but mixes in a host port or address, which only \`docker run -p\` can set: the
builder drops the host part (BuildKit warns, ExposeInvalidFormat) and readers believe a mapping exists. Port 0 is no
port to listen on. Both are warnings. Values with variables are not judged.`,
      bad: `EXPOSE 8080:80
EXPOSE 80/http`,
      good: `EXPOSE 80
EXPOSE 8000-8010/tcp`,
      fix: `Keep only the container port (and tcp, udp or sctp); publish with \`docker run -p 8080:80\` or in compose.`,
    },
  },
  checkInstructions: invalidPorts,
});
