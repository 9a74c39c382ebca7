/**
 * LLORMA's building blocks (Lee, Kim, Lebanon, Singer, ICML 2013; MODELS.md "LLORMA"), groundwork for the model
 * of issue #13: the angular distance between two factor rows and the smoothing kernels of the authors' PREA code and
 * of the paper, the product kernel rows of an anchor, and the anchors themselves.
 *   prea:  d = (2/π)·arccos(cos) ∈ [0, 1],   K = max(0, ¾(1 − (d/h)²))       (Epanechnikov)
 *   paper: d = arccos(cos) (radians),         K = (1 − d²)·1[d < h]
 * cos is clipped to [−1, 1] (PREA does not, and gets NaN for a row against itself when rounding puts cos at 1 + ε).
 */
import type { Prng } from '../../data/prng';
import type { RatingMatrix } from '../../data/ratingMatrix';

export type LlormaKernel = 'prea' | 'paper';

/** cos of rows a and b of a row-major matrix with k columns (0 when either row is zero), clipped to [−1, 1]. */
export function cosine(m: ArrayLike<number>, k: number, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let f = 0; f < k; f++) {
    const x = m[a * k + f];
    const y = m[b * k + f];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  const c = dot / Math.sqrt(na * nb);
  return c > 1 ? 1 : c < -1 ? -1 : c;
}

/** The distance the kernel uses, from a cosine. */
export function distance(cos: number, kind: LlormaKernel): number {
  const c = cos > 1 ? 1 : cos < -1 ? -1 : cos;
  const angle = Math.acos(c);
  return kind === 'prea' ? (2 / Math.PI) * angle : angle;
}

/** The kernel value at distance d with bandwidth h. */
export function kernelValue(d: number, h: number, kind: LlormaKernel): number {
  if (kind === 'prea') {
    const r = d / h;
    return Math.max(0, 0.75 * (1 - r * r));
  }
  return d < h ? 1 - d * d : 0;
}

/** K(anchor, r) for every row r of a factor matrix (n rows × k columns). */
export function kernelRow(m: ArrayLike<number>, n: number, k: number, anchor: number, h: number, kind: LlormaKernel): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = kernelValue(distance(cosine(m, k, anchor, r), kind), h, kind);
  return out;
}

/** q anchor points: a user drawn uniformly (among users with training ratings), then one of their items uniformly. */
export function drawAnchors(rng: Prng, fit: RatingMatrix, q: number): { user: number; item: number }[] {
  const byUser: number[][] = Array.from({ length: fit.nUsers }, () => []);
  for (let t = 0; t < fit.length; t++) byUser[fit.users[t]].push(fit.items[t]);
  const users = byUser.flatMap((l, u) => (l.length ? [u] : []));
  if (users.length === 0) throw Object.assign(new Error('LLORMA needs training ratings to draw anchor points from'), { input: true });
  for (const l of byUser) l.sort((a, b) => a - b);
  return Array.from({ length: q }, () => {
    const user = users[rng.int(users.length)];
    const items = byUser[user];
    return { user, item: items[rng.int(items.length)] };
  });
}
