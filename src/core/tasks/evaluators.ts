/**
 * One evaluator per task: given what a model reports at the end of an epoch (a pair predictor, and for ranking
 * optionally a whole-row scorer), the metric records of the train (fitted), validation and test parts.
 */
import type { MetricRecord, TaskDef } from '../../protocol/types';
import type { RatingMatrix, RatingScale } from '../data/ratingMatrix';
import { aupr, auc, clip, mae, rankingAtK, rmse } from './metricFunctions';

/** Predicts values for (user, item) index pairs. May be async (GPU readbacks are). */
export type Predictor = (users: Int32Array, items: Int32Array) => Float32Array | Promise<Float32Array>;
/** Scores every item for each of the given users: row-major users.length × nItems (higher = recommend first).
 * `part` says which held-out part is being ranked: sequence models (DLR²) and neighbourhood models read the user's
 * history up to it (validation: the fitted part; test: fitted ∪ validation). */
export type UserScorer = (users: Int32Array, part: 'val' | 'test') => Float32Array | Promise<Float32Array>;

export interface EvalData {
  fit: RatingMatrix;
  val: RatingMatrix;
  test: RatingMatrix;
  nUsers: number;
  nItems: number;
  scale: RatingScale;
}

export interface SplitMetrics {
  train: MetricRecord;
  val: MetricRecord;
  test: MetricRecord;
}

export type Evaluator = (s: { predict: Predictor; scoreUsers?: UserScorer }) => Promise<SplitMetrics>;

export function makeEvaluator(task: TaskDef, data: EvalData): Evaluator {
  switch (task.id) {
    case 'rating':
      return ratingEvaluator(data);
    case 'interaction':
      return interactionEvaluator(data);
    case 'ranking':
      return rankingEvaluator(task, data);
  }
}

function ratingEvaluator(data: EvalData): Evaluator {
  const { min, max } = data.scale;
  const one = async (predict: Predictor, m: RatingMatrix): Promise<MetricRecord> => {
    if (m.length === 0) return {};
    const p = clip(await predict(m.users, m.items), min, max);
    return { rmse: rmse(p, m.values), mae: mae(p, m.values) };
  };
  return async ({ predict }) => ({ train: await one(predict, data.fit), val: await one(predict, data.val), test: await one(predict, data.test) });
}

function interactionEvaluator(data: EvalData): Evaluator {
  const one = async (predict: Predictor, m: RatingMatrix): Promise<MetricRecord> => {
    if (m.length === 0) return {};
    const raw = await predict(m.users, m.items);
    const out: MetricRecord = { rmse: rmse(clip(raw, 0, 1), m.values) };
    const a = auc(raw, m.values);
    const p = aupr(raw, m.values);
    if (!Number.isNaN(a)) out.auc = a;
    if (!Number.isNaN(p)) out.aupr = p;
    return out;
  };
  return async ({ predict }) => ({ train: await one(predict, data.fit), val: await one(predict, data.val), test: await one(predict, data.test) });
}

/** Each user's items in a part, as sorted index lists. */
function itemsByUser(m: RatingMatrix, nUsers: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: nUsers }, () => []);
  for (let k = 0; k < m.length; k++) lists[m.users[k]].push(m.items[k]);
  return lists.map((l) => Int32Array.from(new Set(l)).sort());
}

/** Pair predictions for every item of each user, as a user scorer. */
export function scorerFromPredictor(predict: Predictor, nItems: number): UserScorer {
  return async (users) => {
    const n = users.length * nItems;
    const us = new Int32Array(n);
    const is = new Int32Array(n);
    for (let a = 0; a < users.length; a++) {
      us.fill(users[a], a * nItems, (a + 1) * nItems);
      for (let i = 0; i < nItems; i++) is[a * nItems + i] = i;
    }
    return predict(us, is);
  };
}

/**
 * The top `k` items of a score row, skipping excluded items, best first; ties go to the lower item index.
 * A simple insertion into a sorted buffer: k is small (≤ a few hundred).
 */
export function topK(scores: ArrayLike<number>, offset: number, nItems: number, excluded: (i: number) => boolean, k: number): Int32Array {
  const idx = new Int32Array(k);
  const val = new Float64Array(k);
  let n = 0;
  for (let i = 0; i < nItems; i++) {
    if (excluded(i)) continue;
    let s = scores[offset + i];
    if (Number.isNaN(s)) s = -Infinity;
    if (n === k && !(s > val[k - 1])) continue;
    let p = n < k ? n++ : k - 1;
    while (p > 0 && s > val[p - 1]) {
      val[p] = val[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    val[p] = s;
    idx[p] = i;
  }
  return idx.slice(0, n);
}

const BATCH_USERS = 256;

function rankingEvaluator(task: TaskDef, data: EvalData): Evaluator {
  const ks = [...new Set(task.metrics.map((m) => Number(m.key.split('@')[1])))].sort((a, b) => a - b);
  const K = ks[ks.length - 1];
  const fitBy = itemsByUser(data.fit, data.nUsers);
  const valBy = itemsByUser(data.val, data.nUsers);
  const testBy = itemsByUser(data.test, data.nUsers);
  const nItems = data.nItems;
  /** Ranks the candidates of the users with held-out items in `relevantBy` (excluded: the parts in `seen`). */
  const one = async (score: UserScorer, relevantBy: Int32Array[], seen: Int32Array[][], part: 'val' | 'test'): Promise<MetricRecord> => {
    const users = Int32Array.from(relevantBy.flatMap((l, u) => (l.length > 0 ? [u] : [])));
    if (users.length === 0) return {};
    const sums = new Map<string, number>();
    const mark = new Uint8Array(nItems);
    for (let b = 0; b < users.length; b += BATCH_USERS) {
      const batch = users.subarray(b, Math.min(users.length, b + BATCH_USERS));
      const scores = await score(batch, part);
      if (scores.length !== batch.length * nItems) throw new Error(`the model scored ${scores.length} entries for ${batch.length} users × ${nItems} items`);
      for (let a = 0; a < batch.length; a++) {
        const u = batch[a];
        for (const part of seen) for (const i of part[u]) mark[i] = 1;
        const ranked = topK(scores, a * nItems, nItems, (i) => mark[i] === 1, K);
        for (const part of seen) for (const i of part[u]) mark[i] = 0;
        const relevant = new Set(relevantBy[u]);
        for (const k of ks) {
          const r = rankingAtK(ranked, relevant, k);
          for (const [name, v] of [['hr', r.hr], ['p', r.precision], ['r', r.recall], ['f1', r.f1], ['ndcg', r.ndcg]] as const) {
            const key = `${name}@${k}`;
            sums.set(key, (sums.get(key) ?? 0) + v);
          }
        }
      }
    }
    const out: MetricRecord = {};
    for (const m of task.metrics) out[m.key] = (sums.get(m.key) ?? 0) / users.length;
    return out;
  };
  return async ({ predict, scoreUsers }) => {
    const score = scoreUsers ?? scorerFromPredictor(predict, nItems);
    // train: no ranking metric (the fitted items are what the model learnt from); validation: candidates are the
    // items not in the fitted part; test: the items not in train ∪ validation
    return { train: {}, val: await one(score, valBy, [fitBy], 'val'), test: await one(score, testBy, [fitBy, valBy], 'test') };
  };
}
