/** Error and ranking metrics. Predictions are clipped to the rating range by the caller (evaluation only). */

export function clip(pred: Float32Array, min: number, max: number): Float32Array {
  const out = new Float32Array(pred.length);
  for (let k = 0; k < pred.length; k++) {
    const p = pred[k];
    out[k] = p < min ? min : p > max ? max : p;
  }
  return out;
}

/** Root mean squared error; NaN for empty input. Accumulates in float64. */
export function rmse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (pred.length !== truth.length) throw new Error(`rmse: ${pred.length} predictions for ${truth.length} ratings`);
  if (truth.length === 0) return NaN;
  let s = 0;
  for (let k = 0; k < truth.length; k++) {
    const d = pred[k] - truth[k];
    s += d * d;
  }
  return Math.sqrt(s / truth.length);
}

export function mae(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (pred.length !== truth.length) throw new Error(`mae: ${pred.length} predictions for ${truth.length} ratings`);
  if (truth.length === 0) return NaN;
  let s = 0;
  for (let k = 0; k < truth.length; k++) s += Math.abs(pred[k] - truth[k]);
  return s / truth.length;
}

/**
 * Top-k ranking metrics for one user: `ranked` is the recommendation list (item indices, best first),
 * `relevant` the held-out items. HR@k is 1 when any relevant item is in the top k.
 */
export function rankingAtK(ranked: ArrayLike<number>, relevant: Set<number>, k: number) {
  let hits = 0;
  let dcg = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) {
    if (relevant.has(ranked[r])) {
      hits++;
      dcg += 1 / Math.log2(r + 2);
    }
  }
  let idcg = 0;
  for (let r = 0; r < Math.min(k, relevant.size); r++) idcg += 1 / Math.log2(r + 2);
  const precision = k > 0 ? hits / k : 0;
  const recall = relevant.size > 0 ? hits / relevant.size : 0;
  return {
    hr: hits > 0 ? 1 : 0,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    ndcg: idcg > 0 ? dcg / idcg : 0,
  };
}
