// The server's collections when it goes quiet (server/src/node/idleCollection.ts), on real timers
// and the real event loop: a burst of work is followed by two collections, and nothing else is.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectWhenIdle } from '../../server/src/node/idleCollection';

/** Keeps the event loop busy, as a burst of lints does. */
function work(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test('without --expose-gc it does nothing', () => {
  const global = globalThis as { gc?: unknown };
  const before = global.gc;
  delete global.gc;
  try {
    assert.doesNotThrow(() => collectWhenIdle());
  } finally {
    if (before !== undefined) global.gc = before;
  }
});

test('a burst of work is followed by two collections once the loop is quiet, and an idle loop collects nothing', async () => {
  const global = globalThis as { gc?: () => void };
  const before = global.gc;
  let collections = 0;
  global.gc = () => collections++;
  try {
    collectWhenIdle();
    await sleep(700);
    assert.equal(collections, 0, 'no work yet');
    for (let i = 0; i < 4; i++) {
      work(150);
      await sleep(10);
    }
    assert.equal(collections, 0, 'none while work keeps coming');
    await sleep(1200);
    assert.equal(collections, 2);
    await sleep(800);
    assert.equal(collections, 2, 'none after the burst is paid for');
    work(150);
    await sleep(1200);
    assert.equal(collections, 4, 'the next burst gets its own');
  } finally {
    global.gc = before;
  }
});
