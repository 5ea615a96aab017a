/**
 * Full garbage collections once the server goes quiet after a burst of work (opening a folder of
 * Dockerfiles, a stretch of typing). V8 sizes its heap to the burst and keeps that memory resident
 * while the editor sits idle; collecting then gives the empty pages back. Twice: the pages the first
 * collection empties are swept after it, and only the next one returns them (bench section 4b).
 * It needs `--expose-gc` (client/src/processFlags.ts); without it this does nothing. The check is a
 * timer reading the event loop's utilisation, so it needs no hooks into the handlers, and it never
 * collects while requests keep coming.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** How often the loop's utilisation is read: the collections follow a burst within three of these. */
const CHECK_EVERY_MS = 250;
const COLLECTIONS = 2;
/** Work in one interval that makes the next quiet interval collect: more than a stray timer's. */
const BUSY_MS = 40;
/** An interval this close to idle is quiet. */
const QUIET_MS = 4;

export function collectWhenIdle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return;
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  /** Collections still owed to the last burst. */
  let owed = 0;
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    const active = now.active - last.active;
    if (active > BUSY_MS) owed = COLLECTIONS;
    else if (owed > 0 && active < QUIET_MS) {
      owed--;
      gc();
    }
    // Measured after the collection, so its own time does not count as work.
    last = performance.eventLoopUtilization();
  }, CHECK_EVERY_MS).unref();
}
