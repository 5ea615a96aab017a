import { replace } from '../engine/edits';
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
    fixable: 'always',
    aliases: { hadolint: ['DL4000'], buildkit: ['MaintainerDeprecated'] },
    docs: {
      why: `\`MAINTAINER\` sets a legacy field that registries and scanners no longer read. The standard place for the
author is the OCI label \`org.opencontainers.image.authors\`, which \`docker inspect\`, registries and SBOM tools
show alongside the other \`org.opencontainers.image.*\` labels.`,
      bad: `MAINTAINER Jane Doe <jane@example.com>`,
      good: `LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"`,
      fix: `Replace it with \`LABEL org.opencontainers.image.authors="…"\`.
The quick fix moves the text into the label.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) =>
      info.keyword === 'MAINTAINER'
        ? [{ range: keywordRange(info), message: 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors="…".', tags: [DiagnosticTag.Deprecated] }]
        : [],
    );
  },

  fix(model, finding) {
    const info = model.instructions.find((i) => i.keyword === 'MAINTAINER' && i.range.start.line === finding.range.start.line);
    const author = info?.node.getArgumentsContent()?.trim();
    if (!info || !author) return [];
    const quoted = JSON.stringify(author);
    const keyword = info.node.getInstruction() === 'maintainer' ? 'label' : 'LABEL';
    return [{ title: 'Replace with LABEL org.opencontainers.image.authors', edits: [replace(info.range, `${keyword} org.opencontainers.image.authors=${quoted}`)], safe: true }];
  },
};
