/**
 * Tasks and their metric definitions, as plain data. A task says how a model is judged:
 *   rating       explicit ratings — RMSE, MAE on held-out (user, item) pairs, predictions clipped to the scale
 *   ranking      top-N — HR@k, P@k, R@k, F1@k, NDCG@k per user over every item the user has not interacted with in
 *                train ∪ validation, averaged over users with held-out items
 *   interaction  a binary matrix — AUC, AUPR over the held-out cells (positives and negatives), RMSE
 * Everything that shows results (panel, CLI, export, sidebar, status bar, bench) builds its columns from these.
 */
import type { MetricDef, TaskDef, TaskId } from '../../protocol/types';

export const TASK_IDS: readonly TaskId[] = ['rating', 'ranking', 'interaction'];

export const DEFAULT_KS: readonly number[] = [1, 5, 10];

const RMSE: MetricDef = { key: 'rmse', label: 'RMSE', direction: 'lower', digits: 4, family: 'error', description: 'root mean squared error of the clipped predictions' };
const MAE: MetricDef = { key: 'mae', label: 'MAE', direction: 'lower', digits: 4, family: 'error', description: 'mean absolute error of the clipped predictions' };

/** The ranking metrics for cut-offs ks, grouped by kind (all HR@k first, then P@k, …). */
export function rankingMetrics(ks: readonly number[] = DEFAULT_KS): MetricDef[] {
  const kinds: [string, string, string][] = [
    ['hr', 'HR', 'hit ratio: share of users with at least one held-out item in the top k'],
    ['p', 'P', 'precision: held-out items in the top k, divided by k'],
    ['r', 'R', 'recall: held-out items in the top k, divided by the user’s held-out items'],
    ['f1', 'F1', 'harmonic mean of P@k and R@k'],
    ['ndcg', 'NDCG', 'normalised discounted cumulative gain of the top k'],
  ];
  return kinds.flatMap(([key, label, description]) => ks.map((k) => ({ key: `${key}@${k}`, label: `${label}@${k}`, direction: 'higher' as const, digits: 4, family: key, description: `${description}, averaged over test users` })));
}

const INTERACTION: MetricDef[] = [
  { key: 'auc', label: 'AUC', direction: 'higher', digits: 4, family: 'auc', description: 'area under the ROC curve over the held-out cells' },
  { key: 'aupr', label: 'AUPR', direction: 'higher', digits: 4, family: 'auc', description: 'area under the precision–recall curve (average precision) over the held-out cells' },
  { key: 'rmse', label: 'RMSE', direction: 'lower', digits: 4, family: 'error', description: 'root mean squared error of the predictions clipped to [0, 1]' },
];

/** A task's definition; ranking metrics follow the cut-offs ks. */
export function getTask(id: TaskId, ks: readonly number[] = DEFAULT_KS): TaskDef {
  switch (id) {
    case 'rating':
      return { id, name: 'Rating prediction', description: 'explicit ratings: error of held-out ratings', metrics: [RMSE, MAE], defaultSelect: 'rmse' };
    case 'ranking': {
      const metrics = rankingMetrics(ks);
      const k10 = ks.includes(10) ? 10 : ks[ks.length - 1];
      return { id, name: 'Top-N ranking', description: 'implicit interactions: every unseen item ranked per user', metrics, defaultSelect: `hr@${k10}` };
    }
    case 'interaction':
      return { id, name: 'Interaction prediction', description: 'a binary matrix: held-out cells scored', metrics: INTERACTION, defaultSelect: 'auc' };
    default:
      throw new Error(`unknown task "${String(id)}" (tasks: ${TASK_IDS.join(', ')})`);
  }
}

export function isTaskId(x: unknown): x is TaskId {
  return typeof x === 'string' && (TASK_IDS as readonly string[]).includes(x);
}

/** The metric definition for key in the task (throws with the task's metric list when it has none). */
export function metricOf(task: TaskDef, key: string): MetricDef {
  const m = task.metrics.find((x) => x.key === key);
  if (!m) throw new Error(`task ${task.id} has no metric "${key}" (metrics: ${task.metrics.map((x) => x.key).join(', ')})`);
  return m;
}

/** Parses ranking cut-offs "1,5,10". */
export function parseKs(s: string): number[] {
  const ks = s.split(',').map((x) => Number(x.trim()));
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1 || k > 1000)) throw new Error(`ranking cut-offs "${s}": give integers 1…1000 separated by commas`);
  return [...new Set(ks)].sort((a, b) => a - b);
}
