import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY_CONTEXT, type ImageFacts, type RuleContext } from '../server/src/engine/rule';
import { BuildContextReader } from '../server/src/workspace/buildContext';

/**
 * Facts from outside a rule fixture, for rules that need them: `<name>.context.json` beside the fixture.
 * Registry facts are written as `"images": { "<image as written, familiar>": { … } }`. A folder
 * `<name>.workspace/` beside it is the build context, read as the server reads one (its
 * `.dockerignore` included); the JSON, if both exist, adds to it.
 */
export function contextFor(path: string): RuleContext {
  const sidecar = `${path}.context.json`;
  const workspace = `${path}.workspace`;
  const fromDisk = existsSync(workspace) ? { buildContext: new BuildContextReader().read(join(workspace, 'Dockerfile')).buildContext } : {};
  if (!existsSync(sidecar)) return { ...EMPTY_CONTEXT, ...fromDisk };
  const { images, buildContext, ...rest } = JSON.parse(readFileSync(sidecar, 'utf8')) as Partial<RuleContext> & { images?: Record<string, ImageFacts> };
  const merged = buildContext || fromDisk.buildContext ? { buildContext: { hasDockerignore: false, ...fromDisk.buildContext, ...buildContext } } : {};
  return { ...EMPTY_CONTEXT, ...rest, ...merged, ...(images ? { images: (ref) => images[ref.familiar] } : {}) };
}
