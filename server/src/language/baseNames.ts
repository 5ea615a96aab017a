/**
 * How BuildKit resolves a stage's base name: expanded with the meta ARGs (their defaults, or set by
 * --build-arg), and the errors it gives when the result is no image reference.
 */
import { parseImageRef } from './imageRef';
import type { DockerfileModel, Stage } from './model';
import { expand } from './variables';
import { BUILTIN_ARGS } from './buildkitChecks';
import { weakMemo } from './memo';

/** distribution/reference's complaint about an upper-case repository, as BuildKit prints it. */
export function referenceError(name: string): string {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hubName = slash === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first === first.toLowerCase());
  let remainder = hubName ? name : name.slice(slash + 1);
  if (hubName && !remainder.includes('/')) remainder = `library/${remainder}`;
  const remote = remainder.split(/[:@]/)[0]!;
  return remote !== remote.toLowerCase() ? `invalid reference format: repository name (${remote}) must be lowercase` : 'invalid reference format';
}

/** BuildKit's error for a base name that expanded to `expanded` (dockerfile2llb buildDispatchStates), or `undefined`. */
export function baseNameError(model: DockerfileModel, stage: Stage, expanded: string): string | undefined {
  if (expanded === '') return `base name (${stage.base?.source.text ?? ''}) should not be blank`;
  if (model.stages.some((s) => s.index < stage.index && s.name === expanded)) return undefined;
  if (expanded.toLowerCase() === 'scratch' || parseImageRef(expanded)) return undefined;
  return `failed to parse stage name ${JSON.stringify(expanded)}: ${referenceError(expanded)}`;
}

/**
 * How a FROM whose name holds variables fares: BuildKit's error with the meta ARGs at their defaults
 * (`plain`, no --build-arg), and with every declared one set (`set`: what --build-arg could do). A
 * name no ARG before the first FROM declares stays unset either way. `undefined` when the name
 * cannot be expanded (buildkit-refuses reports that).
 */
export function baseOutcome(model: DockerfileModel, stage: Stage): { readonly plain?: string; readonly set?: string; readonly expanded: string } | undefined {
  const text = stage.base?.source.text;
  if (text === undefined) return undefined;
  const meta = metaArgs(model);
  const at = (set: boolean) => expand(text, (name) => (set ? meta.set : meta.plain).get(name) ?? BUILTIN_ARGS[name], model.escapeChar, true, true);
  const plain = at(false);
  const set = at(true);
  if (plain.error || set.error) return undefined;
  const plainError = baseNameError(model, stage, plain.value);
  const setError = baseNameError(model, stage, set.value);
  return { expanded: plain.value, ...(plainError ? { plain: plainError } : {}), ...(setError ? { set: setError } : {}) };
}

/**
 * The meta ARGs as buildMetaArgs sets them: each default expanded with those before it (an ARG with
 * neither default nor --build-arg is unset). `plain`: a build without --build-arg (or with the ones
 * the model was given); `set`: every ARG without a value given one.
 */
const metaArgs = weakMemo((model: DockerfileModel) => {
  const plain = new Map<string, string | undefined>();
  const set = new Map<string, string | undefined>();
  const firstFrom = model.reading.instructions.findIndex((r) => r.name === 'FROM');
  for (const arg of model.reading.instructions.slice(0, firstFrom === -1 ? undefined : firstFrom)) {
    if (arg.name !== 'ARG') continue;
    for (const word of arg.args) {
      const eq = word.indexOf('=');
      const name = eq === -1 ? word : word.slice(0, eq);
      const known = model.globalArgs.get(name);
      const value = (values: Map<string, string | undefined>) =>
        eq === -1 ? values.get(name) : expand(word.slice(eq + 1), (n) => values.get(n) ?? BUILTIN_ARGS[n], model.escapeChar, true).value;
      const plainValue = known ?? value(plain);
      plain.set(name, plainValue);
      set.set(name, known || value(set) || 'x');
    }
  }
  return { plain, set };
});
