import type { EpochMetrics, MetricDef, RunSpec, RunSummary, SelectedEpoch, TaskId } from '../../protocol/types';
import { getTask } from './tasks';

/**
 * The reporting protocol of MODELS.md, driven by one metric of the task (its direction decides "best"):
 * (a) the test metrics at the epoch with the best validation value, (b) the test metrics at the last epoch,
 * (c) the test metrics at the epoch with the best test value ("test-selected, paper protocol").
 * Without a validation split (a) follows the last epoch. Ties keep the earlier epoch.
 */
export class ProtocolSelection {
  private bestVal: number;
  private bestTest: number;
  readonly result: RunSummary['selection'] = {};

  constructor(readonly metric: Pick<MetricDef, 'key' | 'direction'>) {
    this.bestVal = metric.direction === 'lower' ? Infinity : -Infinity;
    this.bestTest = this.bestVal;
  }

  /** a strictly better than b in the metric's direction (false when a is NaN) */
  private better(a: number, b: number): boolean {
    return this.metric.direction === 'lower' ? a < b : a > b;
  }

  update(m: Pick<EpochMetrics, 'globalEpoch' | 'train' | 'val' | 'test' | 'iterations'>): void {
    const at: SelectedEpoch = { globalEpoch: m.globalEpoch, ...(m.iterations !== undefined ? { iterations: m.iterations } : {}), train: m.train, val: m.val, test: m.test };
    const v = m.val[this.metric.key] ?? NaN;
    const t = m.test[this.metric.key] ?? NaN;
    // a NaN validation value (no validation split) moves (a) along with the last epoch
    if (Number.isNaN(v) || this.better(v, this.bestVal)) {
      if (Number.isFinite(v)) this.bestVal = v;
      this.result.valSelected = at;
    }
    if (this.better(t, this.bestTest)) {
      this.bestTest = t;
      this.result.testSelected = at;
    }
    this.result.last = at;
  }

  static of(metric: Pick<MetricDef, 'key' | 'direction'>, metrics: EpochMetrics[]): RunSummary['selection'] {
    const s = new ProtocolSelection(metric);
    for (const m of metrics) s.update(m);
    return s.result;
  }
}

/** A summary with no epochs yet (a run that failed or was cancelled before training). */
export function emptySummary(runId: string, spec: Pick<RunSpec, 'model'>, status: RunSummary['status'], task: TaskId = 'rating', selectBy = getTask(task).defaultSelect, error?: string): RunSummary {
  return { runId, model: spec.model, dataset: '', backend: 'none', status, task, selectBy, selection: {}, trainRatings: 0, valRatings: 0, testRatings: 0, seconds: 0, error };
}
