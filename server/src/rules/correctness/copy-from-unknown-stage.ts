import { editDistance } from '../../language/editDistance';
import { isOfficialImageName } from '../../language/imageFamily';
import { parseImageRef } from '../../language/imageRef';
import type { DockerfileModel } from '../../language/model';
import { buildkitProblems, csvFields, dispatchedStages, foreignFrontend } from '../../language/buildkitChecks';
import { referenceError } from '../../language/baseNames';
import type { Finding, Rule } from '../../engine/rule';

/** A plain name, which may be a mistyped stage: image references mostly have `:`, `/`, `.` or `@`. */
const STAGE_LIKE = /^[A-Za-z0-9_-]+$/;


interface Reference {
  readonly stage: number;
  readonly kind: 'COPY' | 'mount';
  /** As BuildKit reads it (quotes and escapes removed). */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** For mounts: the target, which BuildKit names in its message. */
  readonly target?: string;
}

/** The `from=` value of a `--mount` flag's value. */
function mountFrom(value: string): string | undefined {
  const fields = csvFields(value);
  if (typeof fields === 'string') return undefined;
  return fields.find((f) => /^from=/i.test(f))?.slice(5);
}

/** Every `COPY --from` and `RUN --mount … from=` in stage order, as BuildKit's reader sees them. */
function references(model: DockerfileModel): Reference[] {
  const text = model.document.getText();
  const out: Reference[] = [];
  let stage = -1;
  for (const read of model.reading.instructions) {
    if (read.name === 'FROM') stage++;
    if (stage < 0) continue;
    for (const flag of read.flags) {
      const written = text.slice(flag.start, flag.end);
      if (read.name === 'COPY' && flag.text.startsWith('--from=')) {
        const eq = written.indexOf('=');
        out.push({ stage, kind: 'COPY', value: flag.text.slice(7), start: flag.start + eq + 1, end: flag.end });
        break;
      }
      if (read.name === 'RUN' && flag.text.startsWith('--mount=')) {
        const fields = csvFields(flag.text.slice(8));
        if (typeof fields === 'string') continue;
        const from = fields.find((f) => /^from=/i.test(f));
        if (from === undefined) continue;
        const target = fields.find((f) => /^(?:target|dst|destination)=/i.test(f));
        const at = /(?:^|[=,])from=([^,]*)/i.exec(written);
        const start = at ? flag.start + at.index + at[0].length - at[1]!.length : flag.start;
        const end = at ? start + at[1]!.length : flag.end;
        out.push({ stage, kind: 'mount', value: from.slice(5), start, end, ...(target ? { target: target.slice(target.indexOf('=') + 1) } : {}) });
      }
    }
  }
  return out;
}

export const copyFromUnknownStage: Rule = {
  meta: {
    id: 'copy-from-unknown-stage',
    title: '`COPY --from` a stage that does not exist (yet)',
    description: 'Flags --from values BuildKit rejects (variables, a stage index out of range, a later stage, a cycle) and names one typo away from a stage.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3022'] },
    insideOnbuild: false,
    docs: {
      why: `\`--from\` (of \`COPY\`, and \`from=\` of \`RUN --mount\`) takes a stage name, a stage index or an image. BuildKit
refuses some values outright, reported as errors with its own words: a variable ("variable expansion is not
supported for --from"), an index with no stage, a stage that depends on itself through other stages ("circular
dependency detected"), and a stage defined further down, when the build reaches the instruction ("cannot copy
from stage … it needs to be defined before current stage"; a warning when the default build does not reach it).

Any other name that is not a stage is an image or a named build context (\`COPY --from=composer:2 …\`,
\`--from=busybox\`, compose \`additional_contexts\`, bake \`contexts\`). A plain name that is neither a stage, an
official image nor a named context the compose or bake file passes is reported, as a warning, since a build
context passed on the command line (\`--build-context\`) is out of sight: \`--from=biuld\` pulls an image called
\`biuld\` from Docker Hub, which fails, or worse, copies from a stranger's image. Copying from the stage itself
is \`copy-from-self\`'s finding.`,
      bad: `FROM golang:1.23 AS build
FROM alpine:3.20
COPY --from=biuld /out/app /app`,
      good: `FROM golang:1.23 AS build
FROM alpine:3.20
COPY --from=build /out/app /app`,
      fix: `Correct the name, move the stage it names above this one, or, for a variable, define a stage \`FROM \${VAR}\`
(with the ARG declared before the first FROM) and copy from that stage.`,
    },
  },
  check(model, context): Finding[] {
    if (foreignFrontend(model)) return [];
    const findings: Finding[] = [];
    const refs = references(model);
    const stages = model.stages;
    /** BuildKit's statesByName: the last stage with the name wins. */
    const byName = new Map<string, number>();
    for (const stage of stages) if (stage.name) byName.set(stage.name, stage.index);
    const nameOf = (index: number) => stages[index]?.name ?? `stage-${index}`;
    let dispatched: Set<number> | undefined;
    const reached = (stage: number) => (dispatched ??= dispatchedStages(model, context)).has(stage);
    const resolve = (ref: Reference): number | undefined => {
      if (ref.kind === 'COPY' && /^[+-]?\d+$/.test(ref.value)) {
        const index = Number(ref.value);
        return index >= 0 && index < stages.length ? index : undefined;
      }
      return byName.get(ref.value.toLowerCase());
    };
    // The stage graph of COPY --from and --mount from=, for cycles.
    const deps = new Map<number, Set<number>>();
    for (const ref of refs) {
      const target = resolve(ref);
      if (target !== undefined && !ref.value.includes('$')) deps.set(ref.stage, new Set([...(deps.get(ref.stage) ?? []), target]));
    }
    const reaches = (from: number, to: number) => {
      const seen = new Set<number>();
      const queue = [from];
      while (queue.length) {
        const at = queue.pop()!;
        if (at === to) return true;
        if (seen.has(at)) continue;
        seen.add(at);
        queue.push(...(deps.get(at) ?? []));
      }
      return false;
    };
    // Images named by --from, and every mount that names no stage, become extra states after the
    // stages (in file order), and an index may point at one of them.
    const extras: number[] = [];
    for (const read of model.reading.instructions) {
      for (const flag of read.flags) {
        const copy = read.name === 'COPY' && /^--from=(.*)$/.exec(flag.text);
        if (copy && !/^[+-]?\d+$/.test(copy[1]!) && !byName.has(copy[1]!.toLowerCase())) extras.push(flag.start);
        if (read.name === 'RUN' && flag.text.startsWith('--mount=')) {
          const from = mountFrom(flag.text.slice(8));
          if (from === undefined || !byName.has(from.toLowerCase())) extras.push(flag.start);
        }
      }
    }
    const variableMounts = buildkitProblems(model).filter((p) => p.owner === 'copy-from-unknown-stage');

    for (const ref of refs) {
      const range = model.rangeOf(ref.start, ref.end);
      const own = stages[ref.stage];
      const error = (message: string) => findings.push({ range, message, severity: 'error' });
      // `--from=` with nothing copies from the build context.
      if (ref.value === '') continue;
      if (ref.value.includes('$')) {
        if (ref.kind === 'COPY' && /\$(?:\{|[A-Za-z0-9_])/.test(ref.value)) {
          error('BuildKit refuses this file: variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround.');
        } else if (ref.kind === 'mount' && variableMounts.some((p) => p.start <= ref.start && ref.start <= p.end)) {
          error("BuildKit refuses this file: 'from' doesn't support variable expansion, define alias stage instead.");
        }
        continue;
      }
      // copy-from-self reports a COPY from its own stage.
      if (ref.kind === 'COPY' && own && (ref.value.toLowerCase() === own.name || ref.value === String(own.index))) continue;
      if (ref.kind === 'COPY' && /^[+-]?\d+$/.test(ref.value)) {
        const index = Number(ref.value);
        const states = stages.length + extras.filter((at) => at < ref.start).length;
        if (index < 0 || index >= states) {
          error(`BuildKit fails the build: invalid stage index ${index}; this file has ${stages.length} stage${stages.length === 1 ? '' : 's'}, numbered from 0.`);
          continue;
        }
        if (index >= stages.length) continue;
      }
      const target = resolve(ref);
      if (target === undefined) {
        // Not a stage: an image or a named build context.
        if (/^\d+$/.test(ref.value)) {
          findings.push({ range, message: `\`from=${ref.value}\` of --mount takes a stage name, not an index: BuildKit looks for an image called \`${ref.value}\`.` });
          continue;
        }
        const lowered = ref.value.toLowerCase();
        if (!parseImageRef(ref.value)) {
          error(`BuildKit fails the build: failed to parse stage name ${JSON.stringify(ref.value)}: ${referenceError(ref.value)}. No stage is named \`${ref.value}\`, so it is taken as an image.`);
          continue;
        }
        if (!STAGE_LIKE.test(ref.value) || isOfficialImageName(lowered) || context.buildContext?.namedContexts?.includes(ref.value)) continue;
        const distance = (name: string) => editDistance(name, lowered);
        const meant = stages
          .filter((s) => s.name !== undefined && distance(s.name) <= 2 && distance(s.name) < s.name.length / 2)
          .sort((a, b) => distance(a.name!) - distance(b.name!))[0];
        findings.push({
          range,
          message: meant
            ? `No stage is named \`${ref.value}\`, so BuildKit takes it as an image and pulls \`${ref.value}\` from Docker Hub. Did you mean the stage \`${meant.name}\`?`
            : `No stage is named \`${ref.value}\`: BuildKit uses a build context of that name if the build passes one, and otherwise pulls \`docker.io/library/${lowered}\`, which is not an official image.`,
        });
        continue;
      }
      if (ref.kind === 'mount' && own && target === own.index) {
        error(`BuildKit fails the build: circular dependency detected on stage: ${nameOf(own.index)} (this RUN mounts its own stage).`);
        continue;
      }
      if (reaches(target, ref.stage)) {
        const cycle = [...stages.keys()].filter((i) => reaches(i, ref.stage) && reaches(ref.stage, i));
        error(`BuildKit fails the build: circular dependency detected on stage: ${nameOf(Math.min(...cycle))}.`);
        continue;
      }
      if (target > ref.stage) {
        const line = stages[target]!.from.range.start.line + 1;
        const what =
          ref.kind === 'COPY'
            ? `cannot copy from stage ${JSON.stringify(ref.value)}, it needs to be defined before current stage ${JSON.stringify(nameOf(ref.stage))}`
            : `cannot mount from stage ${JSON.stringify(ref.value)} to ${JSON.stringify(ref.target ?? '')}, stage needs to be defined before current command`;
        const duplicate = stages.some((s) => s.index < ref.stage && s.name === stages[target]!.name) ? ` (\`${ref.value}\` means the last stage with that name)` : '';
        if (reached(ref.stage)) error(`BuildKit fails the build: ${what}. Stage \`${ref.value}\` is defined later, on line ${line}${duplicate}.`);
        else findings.push({ range, message: `Stage \`${ref.value}\` is defined later (line ${line})${duplicate}: building this stage fails with "${what}". The default build does not reach it.` });
      }
    }
    return findings;
  },
};
