import { instructionLines, replace } from '../../language/edits';
import { DiagnosticTag } from 'vscode-languageserver-types';
import { instructionsNamed, keywordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

const ONCE = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'] as const;

export const instructionRepeated = stageRule({
  meta: {
    id: 'instruction-repeated',
    title: 'More than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK` in a stage',
    description: 'Flags all but the last CMD, ENTRYPOINT or HEALTHCHECK of a stage: only the last one takes effect.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL4003', 'DL4004', 'DL3012'], buildkit: ['MultipleInstructionsDisallowed'], trivy: ['DS-0016', 'DS-0007', 'DS-0023'] },
    docs: {
      why: `A stage has one command, one entrypoint and one health check: each new one replaces the previous. The
earlier ones do nothing, but readers assume they run, which is how "why does my app not start the worker?"
happens. If you need two processes, run two containers.`,
      bad: `CMD ["python", "worker.py"]
CMD ["python", "web.py"]`,
      good: `CMD ["python", "web.py"]`,
      fix: `Delete the earlier instruction, or split the processes into separate images or services.
The quick fix deletes the ignored instruction; it is safe, since the image is the same without it.`,
    },
  },
  checkStage(stage) {
    return ONCE.flatMap((keyword) => {
      const all = instructionsNamed(stage, keyword);
      return all.slice(0, -1).map((info) => ({
        range: keywordRange(info),
        message: `Only the last ${keyword} of a stage takes effect (line ${all.at(-1)!.range.start.line + 1}); this one is ignored.`,
        tags: [DiagnosticTag.Unnecessary],
      }));
    });
  },

  fix(model, finding) {
    const info = model.instructions.find((i) => i.range.start.line === finding.range.start.line);
    if (!info) return [];
    return [{ title: `Remove the ignored ${info.keyword}`, edits: [replace(instructionLines(model, info).range, '')], safe: true }];
  },
});
