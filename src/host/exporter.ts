/** Run export: per-epoch metrics as CSV, or the whole run (record, summary, metrics) as JSON. No vscode import. */
import type { LoadedRun } from './runStore';

const COLUMNS = ['globalEpoch', 'phase', 'epoch', 'epochs', 'trainLoss', 'trainRmse', 'valRmse', 'testRmse', 'testMae', 'seconds', 'iterations', 'evaluations'] as const;

export function metricsCsv(run: LoadedRun): string {
  const lines = [COLUMNS.join(',')];
  for (const m of run.metrics) {
    lines.push(COLUMNS.map((c) => {
      const v = (m as unknown as Record<string, unknown>)[c];
      return v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v)) ? '' : String(v);
    }).join(','));
  }
  return lines.join('\n') + '\n';
}

export function runJson(run: LoadedRun): string {
  return JSON.stringify({ record: run.record, summary: run.summary ?? null, metrics: run.metrics }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
