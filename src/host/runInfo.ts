/**
 * What a run folder was judged on, for the consumers that show it (panel, sidebar, CLI, export): its task's metric
 * definitions (ranking cut-offs read off its records) and the selection metric. No vscode import.
 */
import type { EpochMetrics, MetricDef, RunSpec, RunSummary, TaskDef } from '../protocol/types';
import { getModel } from '../core/models/catalogue';
import { resolveTask } from '../core/tasks/resolve';
import { taskOfMetrics, taskOfSummary } from '../core/tasks/format';
import { getTask } from '../core/tasks/tasks';
import { emptySummary as emptyCoreSummary, ProtocolSelection } from '../core/tasks/selection';

export function runTask(r: { record: { spec: RunSpec }; summary?: RunSummary; metrics?: EpochMetrics[] }): { task: TaskDef; selectBy: string } {
  if (r.summary && r.summary.selectBy) {
    const fromMetrics = r.metrics && r.metrics.length ? taskOfMetrics(r.summary.task, r.metrics) : taskOfSummary(r.summary);
    return { task: fromMetrics, selectBy: r.summary.selectBy };
  }
  try {
    const { task, select } = resolveTask(getModel(r.record.spec.model), r.record.spec);
    return { task: r.metrics && r.metrics.length && task.id === 'ranking' ? taskOfMetrics(task.id, r.metrics) : task, selectBy: select.key };
  } catch {
    const task = getTask(r.record.spec.task ?? 'rating');
    return { task, selectBy: task.defaultSelect };
  }
}

/** A model's display name and epoch axis, tolerating models that no longer exist. */
export function modelMeta(id: string): { name: string; epochAxis: string; artifacts: NonNullable<ReturnType<typeof getModel>['artifacts']>; lossKind: 'sum' | 'mean' } {
  try {
    const m = getModel(id);
    return { name: m.name, epochAxis: m.epochAxis ?? 'epoch', artifacts: m.artifacts ?? [], lossKind: m.lossKind ?? 'mean' };
  } catch {
    return { name: id, epochAxis: 'epoch', artifacts: [], lossKind: 'mean' };
  }
}

/** The task and metric a spec is judged on; for an unknown model, its task (default rating) and selection metric or the task's. */
function judgedBy(spec: RunSpec): { task: TaskDef; selectBy: string; select?: MetricDef } {
  try {
    const { task, select } = resolveTask(getModel(spec.model), spec);
    return { task, selectBy: select.key, select };
  } catch {
    const task = getTask(spec.task ?? 'rating');
    return { task, selectBy: spec.select ?? task.defaultSelect };
  }
}

/** (a)/(b)/(c) rebuilt from a run's metric records (a trainer that died, a run without summary.json). */
export function selectionFromMetrics(spec: RunSpec, metrics: EpochMetrics[]): Pick<RunSummary, 'task' | 'selectBy' | 'selection'> {
  const j = judgedBy(spec);
  return { task: j.task.id, selectBy: j.selectBy, selection: j.select ? ProtocolSelection.of(j.select, metrics) : {} };
}

/** A summary with no epochs, judged by the run's task and selection metric when the model is known. */
export function emptySummary(runId: string, spec: RunSpec, status: RunSummary['status'], error?: string): RunSummary {
  const j = judgedBy(spec);
  return emptyCoreSummary(runId, spec, status, j.task.id, j.selectBy, error);
}
