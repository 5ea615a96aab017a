/** The Dockerfiles the command line names: files as given, folders searched, anything else a glob. */
import { findDockerfilesOnDisk } from '../workspace/scan';

export interface Target {
  /** Absolute. */
  readonly path: string;
  /** Named on the command line itself, not found in a folder or by a glob. */
  readonly named: boolean;
}

/**
 * Walks without following symbolic links (a `root -> /` in the repository is not searched), each file
 * once by its real path, stopping at a bound; what is left out and why goes to `note`.
 */
export async function findDockerfiles(targets: readonly string[], cwd: string, note: (message: string) => void = () => undefined): Promise<Target[]> {
  const { found, notes } = await findDockerfilesOnDisk(targets, cwd);
  for (const message of notes) note(message);
  return found;
}
