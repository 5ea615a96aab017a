// Keystroke latency over LSP on stdio: didChange → the publishDiagnostics it causes, side by side.
import { keystrokes } from './editing';
import { dockwise, edit, incumbent, open, stop, type Contestant } from './servers';
import { percentile, row, section } from './table';

const EDITS = 1000;

async function measure(contestant: Contestant, text: string): Promise<number[]> {
  const lsp = await contestant.start();
  const uri = 'file:///bench/long/Dockerfile';
  try {
    await open(lsp, uri, text);
    const times: number[] = [];
    let version = 1;
    for (const change of keystrokes(text, EDITS)) times.push(await edit(lsp, uri, ++version, change));
    return times;
  } finally {
    await stop(lsp);
  }
}

export async function latency(text: string, typingDelayMs: number): Promise<void> {
  const lines = text.split('\n').length - 1;
  section(`2. Keystroke latency over LSP (stdio, built servers, ${lines}-line Dockerfile, ${EDITS} single-character edits, one at a time)`);
  const ours = await measure(dockwise, text);
  const theirs = await measure(incumbent, text);
  const [oursMedian, oursP95] = [percentile(ours, 50), percentile(ours, 95)];
  const [theirsMedian, theirsP95] = [percentile(theirs, 50), percentile(theirs, 95)];
  row({ name: 'dockwise didChange → publishDiagnostics, median', value: oursMedian, unit: 'ms' });
  row({ name: 'dockwise didChange → publishDiagnostics, p95', value: oursP95, unit: 'ms' });
  row({ name: 'incumbent didChange → publishDiagnostics, median', value: theirsMedian, unit: 'ms' });
  row({ name: 'incumbent didChange → publishDiagnostics, p95', value: theirsP95, unit: 'ms' });
  // The targets are ratios in the same run: absolute figures move with the machine's load, ratios much less.
  row({ name: 'dockwise median / incumbent median', value: oursMedian / theirsMedian, unit: 'x', target: '≤ 1.0', pass: oursMedian <= theirsMedian });
  row({ name: 'dockwise p95 / incumbent p95', value: oursP95 / theirsP95, unit: 'x', target: '≤ 1.0', pass: oursP95 <= theirsP95 });
  row({ name: 'dockwise typing delay (debounce, not in the figures above)', value: typingDelayMs, unit: 'ms' });
}
