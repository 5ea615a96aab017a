// Server memory: RSS after opening every corpus file, and RSS growth over many edits (a leak shows here).
// Beside each RSS reading, the V8 heap (used / total), from a probe preloaded into the server
// (heapProbe.cjs): an RSS far above the heap's total is memory outside the JS heap.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../test/paths';
import { keystrokes } from './editing';
import { dockwise, edit, open, rssMiB, stop } from './servers';
import type { LspSession } from '../test/lsp/lsp-client';
import { row, section } from './table';

const EDITS = 10_000;
const WARM_UP = 1_000;
const CHECKPOINT_EVERY = 2_000;
const MiB = 1024 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const settle = () => sleep(1000);

/** The server's heap, used and total, in MiB, as its probe writes it when signalled. */
async function heap(lsp: LspSession): Promise<{ used: number; total: number }> {
  const file = join(tmpdir(), `dockwise-heap-${lsp.process.pid}.json`);
  rmSync(file, { force: true });
  lsp.process.kill('SIGUSR2');
  for (let waited = 0; !existsSync(file) && waited < 2000; waited += 10) await sleep(10);
  await sleep(10);
  const usage = JSON.parse(readFileSync(file, 'utf8')) as NodeJS.MemoryUsage;
  rmSync(file, { force: true });
  return { used: usage.heapUsed / MiB, total: usage.heapTotal / MiB };
}

async function reading(lsp: LspSession): Promise<{ rss: number; text: string }> {
  const rss = rssMiB(lsp);
  const { used, total } = await heap(lsp);
  return { rss, text: `${rss.toFixed(1)} (heap ${used.toFixed(1)}/${total.toFixed(1)})` };
}

export async function memory(files: readonly string[], text: string): Promise<void> {
  section('4b. Server memory (RSS of the built server, read from /proc; V8 heap used/total beside it)');
  const lsp = await dockwise.start({ nodeArgs: ['--require', join(ROOT, 'bench/heapProbe.cjs')] });
  try {
    for (const file of files) await open(lsp, pathToFileURL(file).href, readFileSync(file, 'utf8'));
    await settle();
    const opened = await reading(lsp);
    console.log(`  after opening the corpus: RSS ${opened.text} MiB`);
    row({ name: `RSS after opening all ${files.length} corpus files`, value: opened.rss, unit: 'MiB', target: '< 80', pass: opened.rss < 80 });

    const uri = 'file:///bench/long/Dockerfile';
    await open(lsp, uri, text);
    // RSS moves with every collection; a leak shows as a climb across checkpoints, not one reading.
    const checkpoints: { rss: number; text: string }[] = [];
    let version = 1;
    let done = 0;
    for (const change of keystrokes(text, EDITS + WARM_UP, 7)) {
      await edit(lsp, uri, ++version, change);
      if (++done >= WARM_UP && (done - WARM_UP) % CHECKPOINT_EVERY === 0) {
        await settle();
        checkpoints.push(await reading(lsp));
      }
    }
    console.log(`  RSS at every ${CHECKPOINT_EVERY} edits after the warm-up: ${checkpoints.map((c) => c.text).join(', ')} MiB`);
    const growth = checkpoints.at(-1)!.rss - checkpoints[0]!.rss;
    row({ name: `RSS growth over ${EDITS} edits (after ${WARM_UP} warm-up edits)`, value: growth, unit: 'MiB', target: '< 5 (≈ 0)', pass: growth < 5 });
  } finally {
    await stop(lsp);
  }
}
