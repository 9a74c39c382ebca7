/**
 * LLORMA's prediction (Lee et al. 2013, eq. (8)): the Nadaraya–Watson average of the local models' predictions,
 * weighted by the product kernel of each model's anchor,
 *   R̂(u, i) = Σ_t K_u(a_t, u)·K_i(b_t, i)·U_t(u)·V_t(i) / Σ_t K_u(a_t, u)·K_i(b_t, i),
 * and the mid-scale value where every weight is 0 (a user or item without training ratings, or a pair far from
 * every anchor), as PREA. Clipping to the scale is the evaluator's (at evaluation only).
 *
 * The run evaluates the ensemble of the first t models for t = 1…q on the same (user, item) arrays; the predictor
 * keeps the weighted sums per array and adds only the models it has not seen, so the q evaluations cost as much as
 * one. The sums run in model order per pair, so they equal the direct computation exactly.
 */

export interface LocalModel {
  anchor: { user: number; item: number };
  /** Kernel weights K(anchor user, u) per user and K(anchor item, i) per item (0 for users/items without ratings). */
  ku: Float64Array;
  ki: Float64Array;
  /** Factors (users × k, items × k), kept in float32. */
  U: Float32Array;
  V: Float32Array;
  k: number;
}

interface Sums {
  items: Int32Array;
  num: Float64Array;
  den: Float64Array;
  upto: number;
}

export class LlormaEnsemble {
  readonly models: LocalModel[] = [];
  private readonly sums = new WeakMap<Int32Array, Sums>();

  constructor(readonly midScale: number) {}

  add(m: LocalModel): void {
    this.models.push(m);
  }

  /** The ensemble of the first t models, computed directly (the definition the incremental predictor must equal). */
  predictDirect(t: number, us: Int32Array, is: Int32Array): Float32Array {
    const out = new Float32Array(us.length);
    for (let j = 0; j < us.length; j++) {
      let num = 0;
      let den = 0;
      for (let m = 0; m < t; m++) {
        const w = weight(this.models[m], us[j], is[j]);
        if (w === 0) continue;
        num += w * local(this.models[m], us[j], is[j]);
        den += w;
      }
      out[j] = den > 0 ? num / den : this.midScale;
    }
    return out;
  }

  /** A predictor for the ensemble of the first t models (incremental per pair array). */
  predictor(t: number): (us: Int32Array, is: Int32Array) => Float32Array {
    if (t > this.models.length) throw new RangeError(`ensemble size ${t} > ${this.models.length} trained models`);
    return (us: Int32Array, is: Int32Array): Float32Array => {
      let s = this.sums.get(us);
      if (!s || s.items !== is || s.upto > t) {
        s = { items: is, num: new Float64Array(us.length), den: new Float64Array(us.length), upto: 0 };
        this.sums.set(us, s);
      }
      for (; s.upto < t; s.upto++) {
        const m = this.models[s.upto];
        for (let j = 0; j < us.length; j++) {
          const w = weight(m, us[j], is[j]);
          if (w === 0) continue;
          s.num[j] += w * local(m, us[j], is[j]);
          s.den[j] += w;
        }
      }
      const out = new Float32Array(us.length);
      for (let j = 0; j < us.length; j++) out[j] = s.den[j] > 0 ? s.num[j] / s.den[j] : this.midScale;
      return out;
    };
  }
}

function weight(m: LocalModel, u: number, i: number): number {
  return m.ku[u] * m.ki[i];
}

function local(m: LocalModel, u: number, i: number): number {
  const k = m.k;
  const pu = u * k;
  const qi = i * k;
  let s = 0;
  for (let f = 0; f < k; f++) s += m.U[pu + f] * m.V[qi + f];
  return s;
}

/** Means of w over `blocks` contiguous index ranges (the heatmap's downsampling of one kernel row). */
export function blockMeans(w: Float64Array, blocks: number): Float64Array {
  const n = w.length;
  const out = new Float64Array(blocks);
  const cnt = new Float64Array(blocks);
  for (let x = 0; x < n; x++) {
    const b = Math.min(blocks - 1, Math.floor((x * blocks) / n));
    out[b] += w[x];
    cnt[b]++;
  }
  for (let b = 0; b < blocks; b++) out[b] /= cnt[b] || 1;
  return out;
}

/**
 * The anchors' kernel weights over users × items, block-averaged onto at most side × side cells: the product kernel
 * is separable, so a cell's mean is (mean of K_u over its users)·(mean of K_i over its items) — no dense users ×
 * items matrix is ever built. `add` returns the new model's grid and adds it to the ensemble's sum.
 */
export class CoverageGrid {
  readonly rows: number;
  readonly cols: number;
  readonly total: Float64Array;

  constructor(readonly nUsers: number, readonly nItems: number, side: number) {
    this.rows = Math.max(1, Math.min(nUsers, side));
    this.cols = Math.max(1, Math.min(nItems, side));
    this.total = new Float64Array(this.rows * this.cols);
  }

  add(ku: Float64Array, ki: Float64Array): Float64Array {
    const bu = blockMeans(ku, this.rows);
    const bi = blockMeans(ki, this.cols);
    const g = new Float64Array(this.rows * this.cols);
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const v = bu[r] * bi[c];
        g[r * this.cols + c] = v;
        this.total[r * this.cols + c] += v;
      }
    }
    return g;
  }
}
