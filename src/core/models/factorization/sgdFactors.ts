/**
 * The SGD pass PREA's RegularizedSVD and LLORMA's local models share (the LLORMA authors' toolkit), over ratings in
 * CSR order: users in index (= id) order, each user's items in index order. For every rating, from the factor rows'
 * values before the update:
 *   e = r − u·v;  w = wu[user]·wi[item] (1 without weights);
 *   u_s ← u_s + lr·(e·w·v_s − reg·u_s);  v_s ← v_s + lr·(e·w·u_s − reg·v_s)
 * The regulariser is applied at every visited rating, also where w = 0 (as PREA). The pass returns Σe² and Σ|e|
 * (errors before each update, unweighted) in out[0], out[1].
 *
 * `sgdPass` is self-contained (no imports, no closures): LLORMA's worker threads get its source text, so the main
 * thread and the workers run the same code.
 */
import type { RatingMatrix } from '../../data/ratingMatrix';

/** Ratings in CSR order (users ascending, then items ascending): rowPtr has nUsers + 1 entries. */
export interface Csr {
  nUsers: number;
  nItems: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
}

/** One SGD pass over all ratings of users [u0, u1); see the file comment. wu/wi null = every weight 1. */
export function sgdPass(
  rowPtr: Int32Array, cols: Int32Array, vals: Float32Array, u0: number, u1: number,
  U: Float64Array, V: Float64Array, k: number, lr: number, reg: number,
  wu: Float64Array | null, wi: Float64Array | null, out: Float64Array,
): void {
  let sq = 0;
  let ab = 0;
  for (let u = u0; u < u1; u++) {
    const pu = u * k;
    const wuu = wu === null ? 1 : wu[u];
    for (let t = rowPtr[u], end = rowPtr[u + 1]; t < end; t++) {
      const i = cols[t];
      const qi = i * k;
      let est = 0;
      for (let f = 0; f < k; f++) est += U[pu + f] * V[qi + f];
      const e = vals[t] - est;
      sq += e * e;
      ab += e < 0 ? -e : e;
      const ew = wi === null ? e : e * (wuu * wi[i]);
      for (let f = 0; f < k; f++) {
        const a = U[pu + f];
        const b = V[qi + f];
        U[pu + f] = a + lr * (ew * b - reg * a);
        V[qi + f] = b + lr * (ew * a - reg * b);
      }
    }
  }
  out[0] = sq;
  out[1] = ab;
}

/** The ratings of a matrix in CSR order (shared memory when asked, for worker threads). */
export function toCsr(m: RatingMatrix, nUsers: number, nItems: number, shared = false): Csr {
  const n = m.length;
  const alloc = <T>(C: { new (b: ArrayBufferLike | number): T; BYTES_PER_ELEMENT: number }, len: number): T =>
    shared ? new C(new SharedArrayBuffer(Math.max(1, len) * C.BYTES_PER_ELEMENT)) : new C(len);
  const rowPtr = alloc(Int32Array, nUsers + 1);
  for (let t = 0; t < n; t++) rowPtr[m.users[t] + 1]++;
  for (let u = 0; u < nUsers; u++) rowPtr[u + 1] += rowPtr[u];
  // counting sort by item, then a stable placement by user: items ascending within each user's row, in O(n)
  const itemStart = new Int32Array(nItems + 1);
  for (let t = 0; t < n; t++) itemStart[m.items[t] + 1]++;
  for (let i = 0; i < nItems; i++) itemStart[i + 1] += itemStart[i];
  const byItem = new Int32Array(n);
  for (let t = 0; t < n; t++) byItem[itemStart[m.items[t]]++] = t;
  const fill = Int32Array.from(rowPtr.subarray(0, nUsers));
  const cols = alloc(Int32Array, n);
  const vals = alloc(Float32Array, n);
  for (let x = 0; x < n; x++) {
    const t = byItem[x];
    const p = fill[m.users[t]]++;
    cols[p] = m.items[t];
    vals[p] = m.values[t];
  }
  return { nUsers, nItems, rowPtr, cols, vals };
}

/** Factor rows drawn Uniform[0, 1)/divisor (PREA: the rank for the global SVD, 1 for LLORMA's local models). */
export function uniformFactors(next: () => number, rows: number, k: number, divisor: number): Float64Array {
  const out = new Float64Array(rows * k);
  for (let x = 0; x < out.length; x++) out[x] = next() / divisor;
  return out;
}

/** Predictions u·v for (user, item) pairs of factor matrices U (users × k) and V (items × k). */
export function factorPredictor(U: ArrayLike<number>, V: ArrayLike<number>, k: number): (us: Int32Array, is: Int32Array) => Float32Array {
  return (us, is) => {
    const out = new Float32Array(us.length);
    for (let t = 0; t < us.length; t++) {
      let s = 0;
      const pu = us[t] * k;
      const qi = is[t] * k;
      for (let f = 0; f < k; f++) s += U[pu + f] * V[qi + f];
      out[t] = s;
    }
    return out;
  };
}
