import { replace } from '../../language/edits';
import { foreignFrontend } from '../../language/buildkitChecks';
import type { Finding, Rule } from '../../engine/rule';

/**
 * The strings of an almost-JSON array: quoted with `'` or `"`, separated by commas or blanks, with
 * a trailing comma allowed. `undefined` when the text is something else.
 */
export function looseArray(text: string): string[] | undefined {
  const items: string[] = [];
  let i = 1;
  const blank = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  for (;;) {
    blank();
    if (text[i] === ']') return i === text.length - 1 && items.length > 0 ? items : undefined;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") return undefined;
    let item = '';
    i++;
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\' && i + 1 < text.length) {
        const next = text[i + 1]!;
        if (quote === "'" && next === "'") item += next;
        else if (quote === '"') {
          try {
            item += JSON.parse(`"\\${next}"`) as string;
          } catch {
            item += `\\${next}`;
          }
        } else item += `\\${next}`;
        i += 2;
        continue;
      }
      item += text[i++];
    }
    if (text[i] !== quote) return undefined;
    i++;
    items.push(item);
    blank();
    if (text[i] === ',') i++;
  }
}

/** Instructions whose arguments BuildKit reads as JSON when they parse as an array of strings. */
const JSON_CAPABLE = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'VOLUME', 'COPY', 'ADD']);

export const jsonArrayInvalid: Rule = {
  meta: {
    id: 'json-array-invalid',
    title: 'Malformed JSON array',
    description: 'Flags exec forms that are not valid JSON (single quotes, missing commas), which BuildKit then runs or reads as shell form, brackets and all.',
    category: 'syntax',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: {},
    docs: {
      why: `The exec form must be valid JSON: double quotes, commas, no trailing comma. When it is not, BuildKit does not
complain: it takes the text as shell form. \`RUN ['apt-get', 'update']\` then runs \`/bin/sh -c "['apt-get',
'update']"\`, which fails the build ("[apt-get,: not found"): an error. \`CMD ['node', 'app.js']\` builds, and
the container fails at start; \`COPY\` and \`VOLUME\` split the text at spaces, so the brackets and quotes end up
in the paths: warnings. Text that starts with \`[\` but is a shell test (\`RUN [ -f /etc/os-release ] && …\`) is
fine and not reported: only text that ends with \`]\` and has a comma or a quote right after the \`[\` is. A JSON
array with something other than strings in it (\`CMD ["sleep", 10]\`) is refused outright; \`buildkit-refuses\`
reports that, and \`SHELL\` not in JSON form.`,
      bad: `CMD ['node', 'server.js']`,
      good: `CMD ["node", "server.js"]`,
      fix: `Use double quotes and separate the strings with commas. The quick fix rewrites an array of quoted strings
(single quotes, a missing or trailing comma) as JSON; it changes what runs (exec form instead of a failing shell
command), so review it.`,
    },
  },
  check(model): Finding[] {
    if (foreignFrontend(model)) return [];
    let posix = true;
    return model.reading.instructions.flatMap((read): Finding[] => {
      if (read.name === 'FROM') posix = true;
      if (read.name === 'SHELL' && read.json) posix = /(?:^|\/)(?:sh|bash|ash|dash|zsh|ksh|mksh|busybox)$/.test(read.args[0] ?? '');
      if (!JSON_CAPABLE.has(read.name) || read.json) return [];
      const text = read.rest;
      // A shell test such as `[ -f x ] && …` is shell form on purpose.
      if (!text.startsWith('[') || !text.endsWith(']') || !(text.includes(',') || /^\[["']/.test(text))) return [];
      const range = model.rangeOf(read.offsetAt(read.restAt), read.offsetAt(read.restAt + text.length - 1) + 1);
      // A rewrite only when the array sits on one line, so the edit replaces exactly what was written.
      const items = range.start.line === range.end.line ? looseArray(text) : undefined;
      const data = items ? { data: { json: `[${items.map((item) => JSON.stringify(item)).join(', ')}]` } } : {};
      if (read.name === 'RUN' && posix) {
        return [{ range, message: 'This is not a valid JSON array, so BuildKit runs it with /bin/sh -c, brackets and quotes included, and the build fails here. Use double quotes and commas.', severity: 'error' as const, ...data }];
      }
      if (read.name === 'RUN' || read.name === 'CMD' || read.name === 'ENTRYPOINT') {
        return [{ range, message: `This is not a valid JSON array, so ${read.name} runs it as a shell command, brackets and quotes included${read.name === 'RUN' ? '' : ', and the container fails at start'}. Use double quotes and commas.`, ...data }];
      }
      return [{ range, message: `This is not a valid JSON array, so ${read.name} splits it at spaces and the brackets and quotes become part of the paths. Use double quotes and commas.`, ...data }];
    });
  },

  fix(_model, finding) {
    const json = (finding.data as { json?: string } | undefined)?.json;
    // Exec form runs something else than the broken shell command did: offered for review, not applied on save.
    return json ? [{ title: `Rewrite as ${json.length > 60 ? 'a JSON array' : json}`, edits: [replace(finding.range, json)], safe: false }] : [];
  },
};
