// Server memory: RSS after opening every corpus file, and RSS growth over many edits (a leak shows here).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { keystrokes } from './editing';
import { dockwise, edit, open, rssMiB, stop } from './servers';
import { row, section } from './table';

const EDITS = 10_000;
const WARM_UP = 1_000;
const CHECKPOINT_EVERY = 2_000;

const settle = () => new Promise((r) => setTimeout(r, 1000));

export async function memory(files: readonly string[], text: string): Promise<void> {
  section('4b. Server memory (RSS of the built server, read from /proc)');
  const lsp = await dockwise.start();
  try {
    for (const file of files) await open(lsp, pathToFileURL(file).href, readFileSync(file, 'utf8'));
    await settle();
    const opened = rssMiB(lsp);
    row({ name: `RSS after opening all ${files.length} corpus files`, value: opened, unit: 'MiB', target: '< 80', pass: opened < 80 });

    const uri = 'file:///bench/long/Dockerfile';
    await open(lsp, uri, text);
    // RSS moves with every collection; a leak shows as a climb across checkpoints, not one reading.
    const checkpoints: number[] = [];
    let version = 1;
    let done = 0;
    for (const change of keystrokes(text, EDITS + WARM_UP, 7)) {
      await edit(lsp, uri, ++version, change);
      if (++done >= WARM_UP && (done - WARM_UP) % CHECKPOINT_EVERY === 0) {
        await settle();
        checkpoints.push(rssMiB(lsp));
      }
    }
    console.log(`  RSS at every ${CHECKPOINT_EVERY} edits after the warm-up: ${checkpoints.map((c) => c.toFixed(1)).join(', ')} MiB`);
    const growth = checkpoints.at(-1)! - checkpoints[0]!;
    row({ name: `RSS growth over ${EDITS} edits (after ${WARM_UP} warm-up edits)`, value: growth, unit: 'MiB', target: '< 5 (≈ 0)', pass: growth < 5 });
  } finally {
    await stop(lsp);
  }
}
