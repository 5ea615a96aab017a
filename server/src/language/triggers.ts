/**
 * `ONBUILD` triggers are instructions too: they run when another image is built `FROM` this one,
 * and deserve the same review (hadolint checks most of its rules inside them). To check them with the
 * same rules, the text is rewritten at the same offsets: every instruction is blanked except the
 * `FROM`s, the triggers, and the image settings a child inherits and its triggers run under
 * (`ENV`, `SHELL`, `WORKDIR`, `USER`), and each trigger loses its `ONBUILD` prefix. Positions in the rewritten
 * text are positions in the real one, so findings need no mapping.
 */
import type { Reading } from './reader';

/** Triggers BuildKit refuses; `onbuild-invalid` reports them, and they are not unwrapped. */
const FORBIDDEN = new Set(['FROM', 'MAINTAINER', 'ONBUILD']);
/** Kept as written: stage boundaries, and the settings that reach the child image with this one. */
const KEPT = new Set(['FROM', 'ENV', 'SHELL', 'WORKDIR', 'USER']);

export interface TriggerText {
  readonly text: string;
  /** Document offsets of each unwrapped trigger, from its keyword to the end of the ONBUILD instruction. */
  readonly triggers: readonly { readonly start: number; readonly end: number }[];
}

/** `undefined` when the file has no trigger to check. */
export function triggerText(text: string, reading: Reading): TriggerText | undefined {
  const triggers = reading.instructions.flatMap((i) => (i.trigger && !FORBIDDEN.has(i.trigger.name) ? [{ instruction: i, trigger: i.trigger }] : []));
  if (triggers.length === 0) return undefined;
  // By UTF-16 units, as document offsets count, so the text keeps its length.
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  for (const instruction of reading.instructions) {
    if (KEPT.has(instruction.name)) continue;
    const unwrapped = triggers.find((t) => t.instruction === instruction);
    if (unwrapped) blank(instruction.start, unwrapped.trigger.start);
    else blank(instruction.start, instruction.end);
  }
  return { text: out.join(''), triggers: triggers.map((t) => ({ start: t.trigger.start, end: t.instruction.end })) };
}
