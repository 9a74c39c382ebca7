/**
 * What a run folder was judged on, for the consumers that show it (panel, sidebar, CLI, export): its task's metric
 * definitions (ranking cut-offs read off its records) and the selection metric. No vscode import.
 */
import type { EpochMetrics, RunSpec, RunSummary, TaskDef } from '../protocol/types';
import { getModel } from '../core/models/catalogue';
import { resolveTask } from '../core/tasks/resolve';
import { taskOfMetrics, taskOfSummary } from '../core/tasks/format';
import { getTask } from '../core/tasks/tasks';

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
