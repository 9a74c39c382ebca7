/**
 * What ItemKNN and UserKNN share: the binary user × item matrix of a part, cosine similarities of its rows or
 * columns (|A ∩ B| / √(|A|·|B|), from the fitted part only), each row pruned to its k most similar other nodes
 * (ties to the lower index), and the list of neighbourhood sizes a run sweeps — one "epoch" per size, so the
 * harness picks the size on validation ((a)) exactly as it picks an epoch.
 */
import type { RatingMatrix } from '../../data/ratingMatrix';
import { gemm, mat, type Mat } from '../../linalg/dense';
import type { TrainContext } from '../model';

/** The neighbourhood sizes a run tries when k = 0. */
export const K_SWEEP = [10, 20, 50, 100, 200, 400];

export function neighbourhoodSizes(k: number, n: number): number[] {
  const ks = k > 0 ? [k] : K_SWEEP;
  const out = [...new Set(ks.map((x) => Math.min(x, n - 1)))].filter((x) => x >= 1);
  return out.length ? out : [1];
}

/** Binary nUsers × nItems matrix (float32) of the given parts. */
export function binaryMatrix(nUsers: number, nItems: number, parts: RatingMatrix[]): Mat {
  const m = mat(nUsers, nItems, new Float32Array(nUsers * nItems));
  for (const p of parts) for (let k = 0; k < p.length; k++) m.data[p.users[k] * nItems + p.items[k]] = 1;
  return m;
}

/** Cosine similarity of the columns (byColumns) or rows of a binary matrix; the diagonal is set to 0. */
export function cosine(X: Mat, byColumns: boolean): Mat {
  const G = gemm(byColumns, !byColumns, X, X);
  const n = G.rows;
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) norm[i] = Math.sqrt(G.data[i * n + i]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = norm[i] * norm[j];
      G.data[i * n + j] = i === j || d === 0 ? 0 : G.data[i * n + j] / d;
    }
  }
  return G;
}

/** Each row's columns in descending similarity (ties: lower index first), computed once for every k. */
export function rowOrders(S: Mat): Int32Array[] {
  const n = S.cols;
  return Array.from({ length: S.rows }, (_, i) => {
    const row = S.data.subarray(i * n, (i + 1) * n);
    return Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => row[b] - row[a] || a - b);
  });
}

/** S with each row keeping only its k largest entries (by the precomputed orders). */
export function pruneRows(S: Mat, orders: Int32Array[], k: number): Mat {
  const out = mat(S.rows, S.cols, new Float32Array(S.rows * S.cols));
  for (let i = 0; i < S.rows; i++) {
    const o = orders[i];
    for (let t = 0; t < Math.min(k, o.length); t++) {
      const j = o[t];
      out.data[i * S.cols + j] = S.data[i * S.cols + j];
    }
  }
  return out;
}

/** Rows `users` of a row-major matrix, as a new matrix. */
export function takeRows(X: Mat, users: Int32Array): Mat {
  const out = mat(users.length, X.cols, new Float32Array(users.length * X.cols));
  for (let a = 0; a < users.length; a++) out.data.set(X.data.subarray(users[a] * X.cols, (users[a] + 1) * X.cols), a * X.cols);
  return out;
}

/**
 * The training of ItemKNN (byItems) and UserKNN: cosine similarities of the fitted part's item columns or user
 * rows, each row pruned to its k nearest, one evaluation per neighbourhood size. Scores for a batch of users are one
 * sgemm: history × S_k (items) or S_k rows × history (users). Test scores use the fitted ∪ validation history and
 * neighbourhoods rebuilt from it (k as chosen on validation) unless history = fit.
 */
export async function trainNeighbourhood(ctx: TrainContext, byItems: boolean): Promise<void> {
  const { fit, val, nUsers, nItems } = ctx.data;
  const fitX = binaryMatrix(nUsers, nItems, [fit]);
  const testX = ctx.hp.history === 'fit' ? fitX : binaryMatrix(nUsers, nItems, [fit, val]);
  const S = cosine(fitX, byItems);
  const orders = rowOrders(S);
  const refit = testX !== fitX;
  const St = refit ? cosine(testX, byItems) : S;
  const ordersT = refit ? rowOrders(St) : orders;
  const scores = (X: Mat, Sk: Mat, users: Int32Array) => (byItems ? gemm(false, false, takeRows(X, users), Sk) : gemm(false, false, takeRows(Sk, users), X)).data as Float32Array;
  const ks = neighbourhoodSizes(ctx.hp.k as number, byItems ? nItems : nUsers);
  ctx.setTotalEpochs(ks.length);
  for (let e = 0; e < ks.length; e++) {
    ctx.checkCancelled();
    const Sk = pruneRows(S, orders, ks[e]);
    const Skt = refit ? pruneRows(St, ordersT, ks[e]) : Sk;
    ctx.log(`k = ${ks[e]}`);
    await ctx.epochEnd({
      phase: 'train', epoch: e + 1, epochs: ks.length,
      // one pair: entry (u, i) of the score matrix, Σ_h history[u, h]·S_k[h, i] or Σ_v S_k[u, v]·history[v, i]
      predict: (u, i) => Float32Array.from(u, (x, t) => {
        let s = 0;
        if (byItems) for (let h = 0; h < nItems; h++) s += fitX.data[x * nItems + h] * Sk.data[h * nItems + i[t]];
        else for (let v = 0; v < nUsers; v++) s += Sk.data[x * nUsers + v] * fitX.data[v * nItems + i[t]];
        return s;
      }),
      scoreUsers: (users, part) => (part === 'test' ? scores(testX, Skt, users) : scores(fitX, Sk, users)),
    });
  }
}
