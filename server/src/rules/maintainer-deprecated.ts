import { DiagnosticTag } from 'vscode-languageserver-types';
import { keywordRange } from './query';
import type { Rule } from './rule';

export const maintainerDeprecated: Rule = {
  meta: {
    id: 'maintainer-deprecated',
    title: '`MAINTAINER` is deprecated',
    description: 'Flags MAINTAINER, deprecated since Docker 1.13; use the org.opencontainers.image.authors label.',
    category: 'maintainability',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL4000'], buildkit: ['MaintainerDeprecated'] },
    docs: {
      why: `\`MAINTAINER\` sets a legacy field that registries and scanners no longer read. The standard place for the
author is the OCI label \`org.opencontainers.image.authors\`, which \`docker inspect\`, registries and SBOM tools
show alongside the other \`org.opencontainers.image.*\` labels.`,
      bad: `MAINTAINER Jane Doe <jane@example.com>`,
      good: `LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"`,
      fix: `Replace it with \`LABEL org.opencontainers.image.authors="…"\`.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) =>
      info.keyword === 'MAINTAINER'
        ? [{ range: keywordRange(info), message: 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors="…".', tags: [DiagnosticTag.Deprecated] }]
        : [],
    );
  },
};
