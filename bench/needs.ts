// What a bench section needs from the machine beyond npm's packages, so that a section whose part is
// missing says so in one line and the others still run.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SystemPart {
  /** The executable looked up on PATH. */
  readonly command: string;
  /** How `.ci/run` installs it. */
  readonly install: string;
}

export const DOCKER_REGISTRY: SystemPart = { command: 'docker-registry', install: 'apt-get install docker-registry' };

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The parts not on this machine, each as `<command> (<install>)`. */
export function missing(parts: readonly SystemPart[]): string[] {
  return parts.filter((p) => !onPath(p.command)).map((p) => `${p.command} (${p.install}, as .ci/run does)`);
}
