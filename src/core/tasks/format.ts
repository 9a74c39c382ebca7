/**
 * Reading results by metric definition: the value of (a)/(b)/(c) for a metric, the task definition behind a
 * summary, number formatting, and the result columns every text consumer (CLI, export, sidebar, bench) shows.
 */
import type { EpochMetrics, MetricDef, ResultColumnSpec, RunSummary, SelectionName, TaskDef } from '../../protocol/types';
import { DEFAULT_KS, getTask } from './tasks';

export const SELECTIONS: { key: SelectionName; short: string; label: string }[] = [
  { key: 'valSelected', short: '(a)', label: 'val-selected' },
  { key: 'last', short: '(b)', label: 'last' },
  { key: 'testSelected', short: '(c)', label: 'test-selected (paper protocol)' },
];

/** The test value of metric `key` (default: the selection metric) at selection `which`; NaN when absent. */
export function selected(s: Pick<RunSummary, 'selection' | 'selectBy'> | undefined, which: SelectionName, key?: string): number {
  if (!s) return NaN;
  return s.selection[which]?.test[key ?? s.selectBy] ?? NaN;
}

/** Ranking cut-offs present in a set of metric keys (e.g. hr@1, hr@10 → [1, 10]). */
export function ksOf(keys: Iterable<string>): number[] {
  const ks = new Set<number>();
  for (const k of keys) {
    const m = /@(\d+)$/.exec(k);
    if (m) ks.add(Number(m[1]));
  }
  return ks.size ? [...ks].sort((a, b) => a - b) : [...DEFAULT_KS];
}

/** The task definition a summary was judged with (ranking cut-offs read off its records). */
export function taskOfSummary(s: Pick<RunSummary, 'task' | 'selection'>): TaskDef {
  const keys = Object.values(s.selection).flatMap((e) => (e ? Object.keys(e.test) : []));
  return getTask(s.task, ksOf(keys));
}

/** The task definition behind per-epoch records of a task. */
export function taskOfMetrics(task: RunSummary['task'], metrics: EpochMetrics[]): TaskDef {
  return getTask(task, ksOf(metrics.flatMap((m) => Object.keys(m.test))));
}

export function formatValue(def: Pick<MetricDef, 'digits'> | undefined, v: number | undefined): string {
  return v !== undefined && Number.isFinite(v) ? v.toFixed(def?.digits ?? 4) : '—';
}

/** "RMSE 0.8960" style: the selection metric's label and its (a) value. */
export function headline(s: RunSummary): string {
  const def = taskOfSummary(s).metrics.find((m) => m.key === s.selectBy);
  return `${def?.label ?? s.selectBy} ${formatValue(def, selected(s, 'valSelected'))}`;
}

/**
 * The metric columns of a result table for runs of one task: the selection metric's (a), (b), (c), then every
 * other metric's (a); the paper's number of the selection metric and Δ = (c) − paper. Plain data (the panel gets
 * these from the host; the CLI and the bench read values with columnValue).
 */
export function resultColumnSpecs(task: TaskDef, selectBy: string): ResultColumnSpec[] {
  const sel = task.metrics.find((m) => m.key === selectBy) ?? task.metrics[0];
  const arrow = (d: MetricDef) => (d.direction === 'lower' ? '↓' : '↑');
  const base = (m: MetricDef) => ({ task: task.id, metric: m.key, digits: m.digits, direction: m.direction });
  const cols: ResultColumnSpec[] = SELECTIONS.map((w) => ({
    ...base(sel), key: `${task.id}:${sel.key}:${w.key}`, head: `${sel.label} ${w.short}`, title: `test ${sel.label} (${arrow(sel)} ${sel.direction} is better), ${w.label}: ${sel.description}`, kind: 'metric' as const, which: w.key,
  }));
  for (const m of task.metrics) {
    if (m.key === sel.key) continue;
    cols.push({ ...base(m), key: `${task.id}:${m.key}:valSelected`, head: `${m.label} (a)`, title: `test ${m.label} (${arrow(m)}) at the val-selected epoch: ${m.description}`, kind: 'metric', which: 'valSelected' });
  }
  cols.push({ ...base(sel), key: `${task.id}:paper`, head: 'paper', title: `the paper's ${sel.label} (shown when the paper reports this dataset)`, kind: 'paper' });
  cols.push({ ...base(sel), key: `${task.id}:delta`, head: 'Δ (c) vs paper', title: `(c) minus the paper's ${sel.label}`, kind: 'delta' });
  return cols;
}

/** A column's value for a run summary (NaN when the run has none, or is of another task). */
export function columnValue(c: ResultColumnSpec, s: RunSummary | undefined): number {
  if (!s || s.task !== c.task) return NaN;
  const paper = s.paper?.metrics[c.metric];
  switch (c.kind) {
    case 'metric': return selected(s, c.which ?? 'valSelected', c.metric);
    case 'paper': return paper ?? NaN;
    case 'delta': return paper !== undefined ? selected(s, 'testSelected', c.metric) - paper : NaN;
  }
}

/** A column's text: the metric's digits, a sign on differences, '—' when absent. */
export function columnText(c: ResultColumnSpec, v: number): string {
  if (!Number.isFinite(v)) return '—';
  return c.kind === 'delta' ? `${v >= 0 ? '+' : ''}${v.toFixed(c.digits)}` : v.toFixed(c.digits);
}

/**
 * The result-table columns for a set of runs (a panel): per task present (first-seen order), the columns of its
 * selection metric; task names prefixed when tasks mix; the paper columns only where some run has a paper number.
 */
export function tableColumns(runs: { task: TaskDef; selectBy: string; paper?: { metrics: Record<string, number> } }[]): ResultColumnSpec[] {
  const seen = new Map<string, { task: TaskDef; selectBy: string }>();
  for (const r of runs) if (!seen.has(r.task.id)) seen.set(r.task.id, r);
  const cols = [...seen.values()].flatMap((r) => resultColumnSpecs(r.task, r.selectBy));
  if (seen.size > 1) for (const c of cols) c.head = `${c.task}: ${c.head}`;
  return cols.filter((c) => c.kind === 'metric' || runs.some((r) => r.task.id === c.task && r.paper?.metrics[c.metric] !== undefined));
}
