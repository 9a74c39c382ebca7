import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunSink } from '../../src/core/run';
import type { ArtifactFrame, EpochMetrics, LogLine } from '../../src/protocol/types';

/** A fresh temporary folder, removed when the process exits. */
export function tmpDir(prefix = 'krl-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** Root of the repository (tests run from out/test/unit). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** A run sink that keeps the epochs, artifact frames and log lines a run reports. */
export function collectingSink(): { epochs: EpochMetrics[]; frames: ArtifactFrame[]; logs: LogLine[]; s: RunSink } {
  const epochs: EpochMetrics[] = [];
  const frames: ArtifactFrame[] = [];
  const logs: LogLine[] = [];
  const s: RunSink = { log: (l) => logs.push(l), backend: () => undefined, dataset: () => undefined, epoch: (m) => epochs.push(m), loss: () => undefined, artifact: (f) => frames.push(f), progress: () => undefined };
  return { epochs, frames, logs, s };
}

/**
 * Plain SGD matrix factorisation written out directly — the reference PREA's passes must equal: ratings [user,
 * item, value] (0-based indices) visited by user, then item; each update from the rows' values before it. U, V are
 * updated in place; returns each pass's mean absolute and mean squared error (errors before each update).
 */
export function referenceSgd(rows: number[][], U: { [i: number]: number }, V: { [i: number]: number }, k: number, lr: number, reg: number, passes: number): { mae: number[]; mse: number[] } {
  const sorted = [...rows].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const mae: number[] = [];
  const mse: number[] = [];
  for (let p = 0; p < passes; p++) {
    let ab = 0;
    let sq = 0;
    for (const [u, i, r] of sorted) {
      let est = 0;
      for (let f = 0; f < k; f++) est += U[u * k + f] * V[i * k + f];
      const e = Math.fround(r) - est;
      ab += Math.abs(e);
      sq += e * e;
      for (let f = 0; f < k; f++) {
        const a = U[u * k + f];
        const b = V[i * k + f];
        U[u * k + f] = a + lr * (e * b - reg * a);
        V[i * k + f] = b + lr * (e * a - reg * b);
      }
    }
    mae.push(ab / sorted.length);
    mse.push(sq / sorted.length);
  }
  return { mae, mse };
}

/** A Yamanishi-format table: a header of column ids after a tab, then each row id and its values. */
export function yamanishiTable(rows: string[], cols: string[], v: (i: number, j: number) => number): string {
  return ['\t' + cols.join('\t'), ...rows.map((r, i) => [r, ...cols.map((_, j) => String(v(i, j)))].join('\t'))].join('\n') + '\n';
}
