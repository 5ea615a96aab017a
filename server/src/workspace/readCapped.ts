/**
 * Reads a compose, bake or devcontainer file, refusing big ones before reading them: they come
 * from the workspace, are read on every change, and real ones are a few kilobytes.
 */
import { readFileSync, statSync } from 'node:fs';

export const MAX_DEFINITION_BYTES = 1_000_000;

export function readCapped(path: string): { text: string } | { problem: string } {
  try {
    const { size } = statSync(path);
    if (size > MAX_DEFINITION_BYTES) return { problem: `larger than 1 MB (${size} bytes), not read` };
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
