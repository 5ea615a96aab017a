// What a missing COPY source costs against a large build context: the same Dockerfile linted with
// its source present and with a typo in it, in a context of 20,000 paths, side by side.
import type { RuleContext } from '../server/src/engine/rule';
import { percentile, row, section } from './table';
import { lint } from '../server/src/linter';

const PATHS = 20_000;
const LINTS = 300;

/** A monorepo-like tree: packages with src folders, tests and a few manifests each. */
function contextPaths(): Set<string> {
  const paths = new Set<string>(['requirements.txt', 'pyproject.toml', 'src', 'packages']);
  for (let pkg = 0; paths.size < PATHS; pkg++) {
    const root = `packages/pkg-${pkg}`;
    paths.add(root).add(`${root}/src`).add(`${root}/tests`).add(`${root}/package.json`).add(`${root}/README.md`);
    for (let file = 0; file < 20; file++) paths.add(`${root}/src/module_${file}.py`).add(`${root}/tests/test_module_${file}.py`);
  }
  return paths;
}

function medianLint(text: string, context: RuleContext): number {
  const times: number[] = [];
  for (let n = 0; n < LINTS; n++) {
    const started = performance.now();
    lint(text, { context });
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

export function contextSize(): void {
  section(`5. A missing COPY source in a ${PATHS.toLocaleString('en')}-path context (median of ${LINTS} lints each, same process)`);
  const context: RuleContext = { trustedRegistries: [], buildContext: { hasDockerignore: true, paths: contextPaths(), dir: '.', origin: 'compose.yaml (service api)' } };
  const body = (source: string) => `FROM python:3.12-slim\nWORKDIR /app\nCOPY ${source} ./\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ ./src/\nUSER 1000\nCMD ["python", "-m", "app"]\n`;
  const present = body('requirements.txt');
  const missing = body('requirments.txt');
  if (!lint(missing, { context }).some((d) => d.code === 'copy-source-missing' && /Did you mean `requirements\.txt`/.test(String(d.message)))) throw new Error('the missing source was not found with its suggestion');
  medianLint(present, context);
  const withSource = medianLint(present, context);
  const withTypo = medianLint(missing, context);
  row({ name: 'lint, source present', value: withSource, unit: 'ms' });
  row({ name: 'lint, source missing (with did-you-mean)', value: withTypo, unit: 'ms' });
  row({ name: 'extra per lint for the missing source', value: withTypo - withSource, unit: 'ms', target: '< 5', pass: withTypo - withSource < 5 });
}
