import { replace } from '../../language/edits';
import { DiagnosticTag } from 'vscode-languageserver-types';
import { stageRule } from '../../engine/rule';

export const fromPlatformRedundant = stageRule({
  meta: {
    id: 'from-platform-redundant',
    title: '`FROM --platform=$TARGETPLATFORM` is the default',
    description: 'Flags FROM --platform=$TARGETPLATFORM, which says what the builder does anyway.',
    category: 'style',
    severity: 'info',
    fixable: 'always',
    aliases: { buildkit: ['RedundantTargetPlatform'] },
    docs: {
      why: `Every stage is built for the target platform unless told otherwise, so \`--platform=$TARGETPLATFORM\`
changes nothing. It is noise that suggests the author meant \`$BUILDPLATFORM\` (run the build tools natively
and cross-compile), which is a real difference.`,
      bad: `FROM --platform=$TARGETPLATFORM alpine:3.20`,
      good: `FROM alpine:3.20`,
      fix: `Remove the flag, or change it to \`$BUILDPLATFORM\` if the stage only runs build tools.`,
    },
  },
  checkStage(stage) {
    const flag = stage.platformFlag;
    if (!flag || !/^\$\{?TARGETPLATFORM\}?$/.test(flag.getValue() ?? '')) return [];
    return [{ range: flag.getRange(), message: '`--platform=$TARGETPLATFORM` is what the builder does anyway; remove it.', tags: [DiagnosticTag.Unnecessary] }];
  },

  fix(model, finding) {
    // The flag and the space after it.
    const end = model.document.positionAt(model.document.offsetAt(finding.range.end) + 1);
    return [{ title: 'Remove --platform=$TARGETPLATFORM', edits: [replace({ start: finding.range.start, end }, '')], safe: true }];
  },
});
