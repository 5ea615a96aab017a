import { flagNamed } from '../../language/query';
import { replace } from '../../language/edits';
import { stageRule } from '../../engine/rule';

export const stageNameCasing = stageRule({
  meta: {
    id: 'stage-name-casing',
    title: 'Stage name not in lower case',
    description: 'Flags `AS Build`: stage names are case-insensitive, and mixed case hides that.',
    category: 'style',
    severity: 'warning',
    fixable: 'always',
    aliases: { buildkit: ['StageNameCasing'] },
    insideOnbuild: false,
    docs: {
      why: `The builder lower-cases stage names, so \`AS Build\` and \`--from=build\` refer to the same stage. Writing
them in mixed case suggests they differ and makes searching the file for a stage unreliable.`,
      bad: `FROM golang:1.23 AS Build
FROM scratch
COPY --from=Build /out/app /app`,
      good: `FROM golang:1.23 AS build
FROM scratch
COPY --from=build /out/app /app`,
      fix: `Write the name in lower case, here and where it is used.
The quick fix lower-cases the name and every reference to it.`,
    },
  },
  checkStage(stage) {
    const written = stage.writtenName;
    if (!written || !stage.nameRange || written === written.toLowerCase()) return [];
    return [{ range: stage.nameRange, message: `Stage name \`${written}\` should be lower case (\`${written.toLowerCase()}\`): the builder ignores case anyway.` }];
  },

  fix(model, finding) {
    const written = model.document.getText(finding.range);
    const lower = written.toLowerCase();
    // Every reference to the stage, so the file reads the same everywhere.
    const references = model.instructions.flatMap((info) => {
      const from = info.keyword === 'COPY' || info.keyword === 'ADD' ? flagNamed(info, 'from') : undefined;
      const mounts = info.keyword === 'RUN' ? info.flags.filter((f) => f.getName().toLowerCase() === 'mount').flatMap((f) => f.getOption('from') ?? []) : [];
      const ranges = [...(from?.getValue()?.toLowerCase() === lower ? [from.getValueRange()] : []), ...mounts.filter((o) => o.getValue()?.toLowerCase() === lower).map((o) => o.getValueRange())];
      return ranges.flatMap((r) => (r ? [r] : []));
    });
    const bases = model.stages.flatMap((s) => (s.base?.kind === 'stage' && s.base.source.text.toLowerCase() === lower ? [s.base.source.range] : []));
    const edits = [finding.range, ...references, ...bases].filter((r) => model.document.getText(r) !== lower).map((r) => replace(r, lower));
    return [{ title: `Rename the stage to ${lower}`, edits, safe: true }];
  },
});
