import { buildkitProblems } from '../../language/buildkitChecks';
import type { Rule } from '../../engine/rule';

export const unknownFlag: Rule = {
  meta: {
    id: 'unknown-flag',
    title: 'Unknown flag',
    description: 'Flags options such as COPY --chwon that the instruction does not accept, which BuildKit refuses.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `BuildKit takes every word that starts with \`--\` right after the instruction as a flag, for every
instruction, and refuses the file when the instruction does not define it: \`COPY --chwon\`, \`RUN --cache\`, and
also \`CMD --help\` or \`ENV --x=1\`. Flag names are case-sensitive (\`COPY --CHOWN\` is refused). The message is
BuildKit's: "unknown flag: --chwon (did you mean chown?)". \`ARG\`, \`STOPSIGNAL\` and \`HEALTHCHECK NONE\` never
look at their flags, so nothing is reported there. The flags known are those of current Dockerfile syntax;
a \`# syntax=\` line naming another frontend turns the rule off.`,
      bad: `COPY --chwon=app:app . /app`,
      good: `COPY --chown=app:app . /app`,
      fix: `Correct the flag name. For \`CMD\`, put options of the program inside the JSON array: \`CMD ["app", "--help"]\`.`,
    },
  },
  check(model) {
    const text = model.document.getText();
    return buildkitProblems(model)
      .filter((p) => p.owner === 'unknown-flag')
      .map((p) => {
        const name = p.flag?.name ?? '';
        // The name alone, when it is written as BuildKit reads it.
        const asRead = name !== '' && text.startsWith(name, p.start);
        const start = asRead ? p.start + 2 : p.start;
        const end = asRead ? p.start + name.length : p.end;
        const known = p.flag?.known ?? [];
        const lowered = name.slice(2).toLowerCase();
        const cased = known.includes(lowered) && lowered !== name.slice(2) ? ` Flag names are case-sensitive: --${lowered}.` : '';
        const read = model.reading.instructions.find((r) => r.start <= p.start && p.end <= r.end + 1);
        const takes = read ? ` ${read.name} takes ${known.length ? known.map((k) => `--${k}`).join(', ') : 'no flags'}.` : '';
        return { range: model.rangeOf(start, end), message: `BuildKit refuses this file: ${p.message}.${cased}${takes}` };
      });
  },
};
