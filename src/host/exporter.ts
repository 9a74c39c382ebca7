/**
 * Run export: per-epoch metrics as CSV (a column per split and metric of the run's task, from the metric
 * definitions), or the whole run (record, summary, metrics) as JSON. No vscode import.
 */
import type { LoadedRun } from './runStore';
import { runTask } from './runInfo';

const csvCell = (v: unknown) => (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v)) ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export function metricsCsv(run: LoadedRun): string {
  const { task } = runTask(run);
  const splits = ['train', 'val', 'test'] as const;
  // the task's metrics in definition order, then any other key a record carries
  const keys = task.metrics.map((m) => m.key);
  for (const m of run.metrics) for (const s of splits) for (const k of Object.keys(m[s])) if (!keys.includes(k)) keys.push(k);
  const metricCols = splits.flatMap((s) => keys.filter((k) => run.metrics.some((m) => m[s][k] !== undefined)).map((k) => ({ s, k })));
  const head = ['globalEpoch', 'phase', 'epoch', 'epochs', 'trainLoss', ...metricCols.map((c) => `${c.s}_${c.k}`), 'seconds', 'iterations', 'evaluations'];
  const lines = [head.join(',')];
  for (const m of run.metrics) {
    lines.push([m.globalEpoch, m.phase, m.epoch, m.epochs, m.trainLoss, ...metricCols.map((c) => m[c.s][c.k]), m.seconds, m.iterations, m.evaluations].map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

export function runJson(run: LoadedRun): string {
  return JSON.stringify({ record: run.record, summary: run.summary ?? null, metrics: run.metrics }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
