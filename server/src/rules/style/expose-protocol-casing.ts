import { replace } from '../../language/edits';
import type { InstructionInfo } from '../../language/model';
import { stageRule, type Finding } from '../../engine/rule';

/** The protocols of one `EXPOSE` written in upper or mixed case. */
function protocolFindings(info: InstructionInfo): Finding[] {
  if (info.keyword !== 'EXPOSE') return [];
  return info.args.flatMap((arg) => {
    const match = /\/([a-zA-Z]+)$/.exec(arg.getValue());
    if (!match || match[1] === match[1]!.toLowerCase()) return [];
    const { start } = arg.getRange();
    const at = arg.getValue().length - match[1]!.length;
    return [
      {
        range: { start: { line: start.line, character: start.character + at }, end: { line: start.line, character: start.character + arg.getValue().length } },
        message: `Write the protocol in lower case: \`${match[1]!.toLowerCase()}\`.`,
      },
    ];
  });
}

export const exposeProtocolCasing = stageRule({
  meta: {
    id: 'expose-protocol-casing',
    title: '`EXPOSE` protocol not in lower case',
    description: 'Flags EXPOSE 80/TCP: protocols are written tcp, udp or sctp.',
    category: 'style',
    severity: 'warning',
    fixable: 'always',
    aliases: { buildkit: ['ExposeProtoCasing'] },
    docs: {
      why: `The builder accepts \`80/TCP\` today but records the protocol as written, and tools that compare port
specifications (compose, Kubernetes manifests generated from images) treat \`TCP\` and \`tcp\` as different.
Lower case is the documented form.`,
      bad: `EXPOSE 53/UDP`,
      good: `EXPOSE 53/udp`,
      fix: `Write the protocol in lower case.`,
    },
  },
  checkStage: (stage) => stage.instructions.flatMap(protocolFindings),
  // Instructions before the first FROM belong to no stage.
  checkFile: (model) => model.preamble.flatMap(protocolFindings),

  fix(model, finding) {
    return [{ title: 'Write the protocol in lower case', edits: [replace(finding.range, model.document.getText(finding.range).toLowerCase())], safe: true }];
  },
});
