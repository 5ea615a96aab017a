// The benchmark's figures: printed as they come, each target beside its figure, and saved as JSON.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly pass?: boolean;
}

const rows: Row[] = [];

export function row(r: Row): void {
  rows.push(r);
  const verdict = r.pass === undefined ? '' : r.pass ? '  PASS' : '  FAIL';
  console.log(`${r.name.padEnd(60)} ${r.value.toFixed(r.value < 10 ? 3 : 1).padStart(10)} ${r.unit.padEnd(8)} ${r.target ?? ''}${verdict}`);
}

export function section(title: string): void {
  console.log(`\n${title}`);
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export function machine(): string {
  return `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function save(path: string): void {
  const body = { date: new Date().toISOString(), node: process.version, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), rows };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
}
