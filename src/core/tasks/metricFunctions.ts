/** Error, ranking and interaction metric functions (the numbers behind src/core/tasks). Predictions are clipped by the caller. */

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

/**
 * Area under the ROC curve of scores for binary labels (1 = positive), ties counted half (the Mann–Whitney U
 * statistic from average ranks). NaN when one class is absent.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`auc: ${n} scores for ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSum = 0;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e + 1 < n && scores[order[e + 1]] === scores[order[s]]) e++;
    const avgRank = (s + e) / 2 + 1;
    for (let q = s; q <= e; q++) {
      if (labels[order[q]] > 0) {
        pos++;
        rankSum += avgRank;
      }
    }
    s = e + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Area under the precision–recall curve as average precision: Σ over thresholds of (R_t − R_{t−1})·P_t, scores
 * sorted descending with tied scores taken as one threshold (the definition of scikit-learn's
 * average_precision_score). NaN without positives.
 */
export function aupr(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`aupr: ${n} scores for ${labels.length} labels`);
  let totalPos = 0;
  for (let k = 0; k < n; k++) if (labels[k] > 0) totalPos++;
  if (totalPos === 0) return NaN;
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => scores[b] - scores[a]);
  let tp = 0;
  let seen = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e + 1 < n && scores[order[e + 1]] === scores[order[s]]) e++;
    for (let q = s; q <= e; q++) if (labels[order[q]] > 0) tp++;
    seen = e + 1;
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    s = e + 1;
  }
  return ap;
}

/**
 * The ROC and precision–recall curves of scores for binary labels: one point per distinct score threshold (scores
 * descending, ties one threshold), then thinned to at most maxPoints (evenly over thresholds, the ends kept). ROC
 * points are (false-positive rate, true-positive rate) from (0, 0); PR points (recall, precision). Empty when one
 * class is absent.
 */
export function rocPrCurves(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): { roc: { x: number; y: number }[]; pr: { x: number; y: number }[] } {
  const n = scores.length;
  let P = 0;
  for (let k = 0; k < n; k++) if (labels[k] > 0) P++;
  const N = n - P;
  if (P === 0 || N === 0) return { roc: [], pr: [] };
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => scores[b] - scores[a]);
  const roc = [{ x: 0, y: 0 }];
  const pr: { x: number; y: number }[] = [];
  let tp = 0;
  let fp = 0;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e + 1 < n && scores[order[e + 1]] === scores[order[s]]) e++;
    for (let q = s; q <= e; q++) (labels[order[q]] > 0 ? tp++ : fp++);
    roc.push({ x: fp / N, y: tp / P });
    pr.push({ x: tp / P, y: tp / (tp + fp) });
    s = e + 1;
  }
  const thin = (pts: { x: number; y: number }[]) => {
    if (pts.length <= maxPoints) return pts;
    const out = [];
    for (let k = 0; k < maxPoints; k++) out.push(pts[Math.round((k * (pts.length - 1)) / (maxPoints - 1))]);
    return out;
  };
  return { roc: thin(roc), pr: thin(pr) };
}
