import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { lint } from '../server/src/engine/lint';
import { ruleById } from '../server/src/rules';
import { EMPTY_CONTEXT } from '../server/src/rules/rule';
import { formatDiagnostic } from './diagnostics';
for (const path of process.argv.slice(2)) {
  const id = path.split('/')[3]!;
  const context = existsSync(path + '.context.json') ? { ...EMPTY_CONTEXT, ...JSON.parse(readFileSync(path + '.context.json', 'utf8')) } : EMPTY_CONTEXT;
  const out = lint(readFileSync(path, 'utf8'), { context }, [ruleById.get(id)!]).map(formatDiagnostic);
  console.log(`--- ${path}\n${out.join('\n')}`);
  if (!existsSync(path + '.expected')) writeFileSync(path + '.expected', out.join('\n') + '\n');
}
