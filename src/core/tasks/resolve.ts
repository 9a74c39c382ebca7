import type { MetricDef, RunSpec, TaskDef } from '../../protocol/types';
import type { ModelInfo } from '../models/model';
import { DEFAULT_KS, getTask, isTaskId, metricOf } from './tasks';

const inputError = (message: string) => Object.assign(new Error(message), { input: true });

/**
 * The task a run is judged on and the metric that selects (a)/(c): the spec's task (default: the model's first),
 * which the model must serve; the spec's metric, else the model's, else the task's default.
 */
export function resolveTask(model: Pick<ModelInfo, 'id' | 'tasks' | 'selectMetric'>, spec: Pick<RunSpec, 'task' | 'select' | 'ks'>): { task: TaskDef; select: MetricDef } {
  const id = spec.task ?? model.tasks[0];
  if (!isTaskId(id)) throw inputError(`unknown task "${String(id)}" (tasks: rating, ranking, interaction)`);
  if (!model.tasks.includes(id)) throw inputError(`model ${model.id} does not serve the ${id} task (it serves: ${model.tasks.join(', ')})`);
  const task = getTask(id, spec.ks && spec.ks.length ? spec.ks : DEFAULT_KS);
  const key = spec.select ?? (model.selectMetric && task.metrics.some((m) => m.key === model.selectMetric) ? model.selectMetric : task.defaultSelect);
  try {
    return { task, select: metricOf(task, key) };
  } catch (e) {
    throw inputError((e as Error).message);
  }
}
