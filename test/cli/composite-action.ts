// Runs a composite GitHub Action's steps locally as the runner would: each `run` with
// `bash --noprofile --norc -eo pipefail`, the environment the runner sets (GITHUB_OUTPUT per step,
// RUNNER_TEMP, GITHUB_ACTION_PATH, GITHUB_WORKSPACE), `${{ }}` expressions in `env`, `with` and `if`,
// and `success()` implied where an `if` names no status function. `uses` steps are recorded, not run.
// Only the expressions the action uses are understood; anything else throws, so none is misread.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

interface StepSpec {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly shell?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string>;
}

export interface StepRun {
  readonly name: string;
  readonly ran: boolean;
  readonly code?: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Readonly<Record<string, string>>;
  /** For `uses` steps: what they would have been given. */
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string>>;
}

export interface ActionRun {
  readonly steps: readonly StepRun[];
  /** Whether the job step that uses the action fails. */
  readonly failed: boolean;
}

export function runCompositeAction(actionFile: string, given: Readonly<Record<string, string>>, workspace: string, env: NodeJS.ProcessEnv = {}): ActionRun {
  const action = parse(readFileSync(actionFile, 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { using: string; steps: StepSpec[] } };
  if (action.runs.using !== 'composite') throw new Error(`not a composite action: ${action.runs.using}`);
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, given[name] ?? String(spec.default ?? '')]));
  for (const name of Object.keys(given)) if (!(name in inputs)) throw new Error(`the action has no input ${name}`);
  const temp = mkdtempSync(join(tmpdir(), 'dockwise-runner-'));
  const context = { inputs, github: { action_path: dirname(actionFile), workspace }, steps: {} as Record<string, { outputs: Record<string, string> }> };
  const runs: StepRun[] = [];
  let failed = false;
  for (const [index, step] of action.runs.steps.entries()) {
    const name = step.name ?? step.id ?? `step ${index + 1}`;
    const condition = step.if ?? 'success()';
    const explicitStatus = /\b(?:success|failure|always|cancelled)\(\)/.test(condition);
    const shouldRun = evaluate(condition, context, failed) === true && (explicitStatus || !failed);
    if (!shouldRun) {
      runs.push({ name, ran: false, stdout: '', stderr: '', outputs: {} });
      continue;
    }
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(String(value), context, failed)]));
    if (step.uses) {
      const withs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, interpolate(String(value), context, failed)]));
      runs.push({ name, ran: true, stdout: '', stderr: '', outputs: {}, uses: step.uses, with: withs });
      continue;
    }
    if (step.shell !== 'bash') throw new Error(`${name}: only shell: bash is emulated`);
    const script = join(temp, `step-${index}.sh`);
    const output = join(temp, `output-${index}`);
    writeFileSync(script, step.run ?? '');
    writeFileSync(output, '');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      encoding: 'utf8',
      env: { ...process.env, ...env, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output, GITHUB_ACTION_PATH: dirname(actionFile), GITHUB_WORKSPACE: workspace, RUNNER_TEMP: temp, ...stepEnv },
    });
    const outputs = readOutputs(readFileSync(output, 'utf8'));
    if (step.id) context.steps[step.id] = { outputs };
    runs.push({ name, ran: true, code: result.status, stdout: result.stdout, stderr: result.stderr, outputs });
    if (result.status !== 0) failed = true;
  }
  return { steps: runs, failed };
}

/** `name=value` lines and `name<<DELIMITER` blocks, as the runner reads GITHUB_OUTPUT. */
function readOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      outputs[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

type Context = { inputs: Record<string, string>; github: Record<string, string>; steps: Record<string, { outputs: Record<string, string> }> };

function interpolate(text: string, context: Context, failed: boolean): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => String(evaluate(expression, context, failed)));
}

/** `a && b`, `x == 'v'`, `x != 'v'`, `!cancelled()`, `success()`, and paths such as `inputs.fail-level` or `steps.lint.outputs.exit-code`. */
function evaluate(expression: string, context: Context, failed: boolean): string | boolean {
  const text = expression.trim().replace(/^\$\{\{(.*)\}\}$/s, '$1').trim();
  if (text.includes('&&')) return text.split('&&').every((part) => evaluate(part, context, failed) === true);
  const comparison = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(text);
  if (comparison) {
    const equal = value(comparison[1]!, context) === value(comparison[3]!, context);
    return comparison[2] === '==' ? equal : !equal;
  }
  if (text === '!cancelled()' || text === 'always()') return true;
  if (text === 'success()') return !failed;
  if (text === 'failure()') return failed;
  return value(text, context);
}

function value(term: string, context: Context): string {
  const text = term.trim();
  const literal = /^'(.*)'$/.exec(text);
  if (literal) return literal[1]!.replace(/''/g, "'");
  const path = text.split('.');
  if (path[0] === 'inputs' && path.length === 2) return context.inputs[path[1]!] ?? '';
  if (path[0] === 'github' && path.length === 2) return context.github[path[1]!] ?? '';
  if (path[0] === 'steps' && path[2] === 'outputs' && path.length === 4) return context.steps[path[1]!]?.outputs[path[3]!] ?? '';
  throw new Error(`expression not emulated: ${text}`);
}
