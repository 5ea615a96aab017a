import { instructionLines, replace } from '../../language/edits';
import { DiagnosticTag } from 'vscode-languageserver-types';
import { keywordRange, shippedStages } from '../../language/query';
import type { InstructionInfo } from '../../language/model';
import { stageRule, type Finding } from '../../engine/rule';

/**
 * A LABEL value in double quotes that BuildKit's lexer reads back as `text`: inside `"…"` the file's escape
 * character protects `"`, `$` and itself, and nothing else (docs/buildkit-reading.md, "Syntax"). MAINTAINER
 * takes its text as is, a LABEL value is expanded, so `$USER` must not become a variable.
 */
function doubleQuoted(text: string, escape: string): string {
  let out = '"';
  for (const ch of text) out += ch === '"' || ch === '$' || ch === escape ? `${escape}${ch}` : ch;
  return `${out}"`;
}

/** A MAINTAINER's finding; `inImage` false when its stage is not in the built image. */
function deprecated(info: InstructionInfo, inImage: boolean): Finding {
  const message = inImage
    ? 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors="…".'
    : 'MAINTAINER is deprecated, and this stage is not in the built image: remove the line.';
  return { range: keywordRange(info), message, tags: [DiagnosticTag.Deprecated], data: { inImage } };
}

export const maintainerDeprecated = stageRule({
  meta: {
    id: 'maintainer-deprecated',
    title: '`MAINTAINER` is deprecated',
    description: 'Flags MAINTAINER, deprecated since Docker 1.13; use the org.opencontainers.image.authors label.',
    category: 'maintainability',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL4000'], buildkit: ['MaintainerDeprecated'], trivy: ['DS-0022'], checkov: ['CKV_DOCKER_6'] },
    docs: {
      why: `\`MAINTAINER\` sets a legacy field that registries and scanners no longer read. The standard place for the
author is the OCI label \`org.opencontainers.image.authors\`, which \`docker inspect\`, registries and SBOM tools
show alongside the other \`org.opencontainers.image.*\` labels.`,
      bad: `MAINTAINER Jane Doe <jane@example.com>`,
      good: `LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"`,
      fix: `Replace it with \`LABEL org.opencontainers.image.authors="…"\`.
The quick fix moves the text into the label, quoted so that BuildKit reads it back unchanged (a \`$\` in the text
stays a \`$\`, quotes and the file's escape character are escaped with that character). In a stage that no built image comes from (a \`builder\` stage whose
files are copied out), a label would never reach the image, so there the quick fix deletes the line.`,
    },
  },
  checkStage(stage, model, context) {
    const found = stage.instructions.filter((info) => info.keyword === 'MAINTAINER');
    if (found.length === 0) return [];
    const inImage = shippedStages(model, context).has(stage);
    return found.map((info) => deprecated(info, inImage));
  },
  // Before the first FROM there is no stage to leave out of the image.
  checkFile: (model) => model.preamble.filter((info) => info.keyword === 'MAINTAINER').map((info) => deprecated(info, true)),

  fix(model, finding) {
    const info = model.instructions.find((i) => i.keyword === 'MAINTAINER' && i.range.start.line === finding.range.start.line);
    if (info && finding.data?.inImage === false) return [{ title: 'Remove MAINTAINER (this stage is not in the image)', edits: [replace(instructionLines(model, info).range, '')], safe: true }];
    // What BuildKit reads as the MAINTAINER text (continuations joined), else what the line says.
    const author = (info?.read.args[0] ?? info?.argumentsContent)?.trim();
    if (!info || !author) return [];
    const quoted = doubleQuoted(author, model.escapeChar);
    const keyword = info.written === 'maintainer' ? 'label' : 'LABEL';
    return [{ title: 'Replace with LABEL org.opencontainers.image.authors', edits: [replace(info.range, `${keyword} org.opencontainers.image.authors=${quoted}`)], safe: true }];
  },
});
