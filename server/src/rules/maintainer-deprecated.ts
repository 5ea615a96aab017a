import { instructionLines, replace } from '../engine/edits';
import { DiagnosticTag } from 'vscode-languageserver-types';
import { keywordRange, shippedStages } from './query';
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
The quick fix moves the text into the label. In a stage that no built image comes from (a \`builder\` stage whose
files are copied out), a label would never reach the image, so there the quick fix deletes the line.`,
    },
  },
  check(model, context) {
    const shipped = shippedStages(model, context);
    return model.instructions.flatMap((info) => {
      if (info.keyword !== 'MAINTAINER') return [];
      const stage = info.stage === undefined ? undefined : model.stages[info.stage];
      const inImage = !stage || shipped.has(stage);
      const message = inImage
        ? 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors="…".'
        : 'MAINTAINER is deprecated, and this stage is not in the built image: remove the line.';
      return [{ range: keywordRange(info), message, tags: [DiagnosticTag.Deprecated], data: { inImage } }];
    });
  },

  fix(model, finding) {
    const info = model.instructions.find((i) => i.keyword === 'MAINTAINER' && i.range.start.line === finding.range.start.line);
    if (info && finding.data?.inImage === false) return [{ title: 'Remove MAINTAINER (this stage is not in the image)', edits: [replace(instructionLines(model, info).range, '')], safe: true }];
    const author = info?.node.getArgumentsContent()?.trim();
    if (!info || !author) return [];
    const quoted = JSON.stringify(author);
    const keyword = info.node.getInstruction() === 'maintainer' ? 'label' : 'LABEL';
    return [{ title: 'Replace with LABEL org.opencontainers.image.authors', edits: [replace(info.range, `${keyword} org.opencontainers.image.authors=${quoted}`)], safe: true }];
  },
};
