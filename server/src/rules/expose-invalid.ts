import type { Rule } from './rule';

const VALID = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i;

export const exposeInvalid: Rule = {
  meta: {
    id: 'expose-invalid',
    title: 'Invalid `EXPOSE` port',
    description: 'Flags EXPOSE values that are not a port (1-65535), a range, or port/protocol, including host mappings like 8080:80.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3011'], buildkit: ['ExposeInvalidFormat'] },
    docs: {
      why: `\`EXPOSE\` documents which ports the container listens on; it cannot publish them. \`EXPOSE 8080:80\` or
\`EXPOSE 0.0.0.0:80\` mixes in a host port or address, which only \`docker run -p\` can set: the builder drops the
host part (a future BuildKit will reject it) and readers believe a mapping exists. Ports outside 1-65535 are
not ports at all.`,
      bad: `EXPOSE 8080:80
EXPOSE 70000`,
      good: `EXPOSE 80
EXPOSE 8000-8010/tcp`,
      fix: `Keep only the container port (and protocol); publish with \`docker run -p 8080:80\` or in compose.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) => {
      if (info.keyword !== 'EXPOSE') return [];
      return info.args.flatMap((arg) => {
        const value = arg.getValue();
        if (value.includes('$')) return [];
        const match = VALID.exec(value);
        if (!match) {
          const mapping = value.includes(':');
          return [{ range: arg.getRange(), message: mapping ? `\`${value}\` includes a host address or port; EXPOSE takes only the container port. Publish with \`docker run -p\`.` : `\`${value}\` is not a port, port range or port/protocol.` }];
        }
        const ports = [match[1], match[2]].filter((p): p is string => p !== undefined).map(Number);
        return ports.some((p) => p < 1 || p > 65535) ? [{ range: arg.getRange(), message: `\`${value}\` is outside the valid port range 1-65535.` }] : [];
      });
    });
  },
};
