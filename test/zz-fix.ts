import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixAll } from '../server/src/engine/fixes';
import { lint } from '../server/src/engine/lint';
import { ruleById } from '../server/src/rules';
import { EMPTY_CONTEXT } from '../server/src/rules/rule';
import { formatDiagnostic } from './diagnostics';
const [id, mode] = process.argv.slice(2);
const dir = join('test/fixtures/rules', id!, 'invalid');
for (const name of readdirSync(dir).filter((n) => !/\.(?:expected|fixed|context\.json)$/.test(n))) {
  const path = join(dir, name);
  const context = existsSync(path + '.context.json') ? { ...EMPTY_CONTEXT, ...JSON.parse(readFileSync(path + '.context.json', 'utf8')) } : EMPTY_CONTEXT;
  const fixed = fixAll(readFileSync(path, 'utf8'), { context }, { only: (r) => r === id, unsafe: true });
  const left = lint(fixed, { context }, [ruleById.get(id!)!]).map(formatDiagnostic);
  console.log(`=== ${path}\n${fixed}--- left: ${left.join('\n')}`);
  if (mode === 'write') {
    writeFileSync(path + '.fixed', fixed);
    if (left.length) writeFileSync(path + '.fixed.expected', left.join('\n') + '\n');
  }
}
