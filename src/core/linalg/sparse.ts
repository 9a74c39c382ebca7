/**
 * Compressed sparse rows for large graphs (the LEPORID user / item kNN graphs): symmetric weights in float32,
 * products accumulated in float64.
 */

export interface Csr {
  n: number;
  /** Row i's entries are [rowPtr[i], rowPtr[i + 1]). */
  rowPtr: Int32Array | Float64Array;
  cols: Int32Array;
  values: Float32Array;
}

export function nnz(g: Csr): number {
  return g.rowPtr[g.n];
}

/** y ← A·x. */
export function csrMatVec(g: Csr, x: ArrayLike<number>, y: Float64Array | Float32Array): void {
  const { n, rowPtr, cols, values } = g;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const end = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < end; p++) s += values[p] * x[cols[p]];
    y[i] = s;
  }
}

/** Row sums (weighted degrees). */
export function rowSums(g: Csr): Float64Array {
  const d = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) {
    let s = 0;
    for (let p = g.rowPtr[i]; p < g.rowPtr[i + 1]; p++) s += g.values[p];
    d[i] = s;
  }
  return d;
}

/**
 * A CSR matrix from per-row neighbour lists, symmetrised by union: the edge (i, j) exists when j is in i's list or
 * i in j's; its weight is the listed one (the weights must be symmetric: w(i, j) = w(j, i), as similarities are).
 * Rows come out sorted by column; self-loops are dropped.
 */
export function unionSymmetric(n: number, lists: { cols: Int32Array; values: Float32Array }[]): Csr {
  // count both directions, then fill, then sort and deduplicate each row
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const l = lists[i];
    for (let t = 0; t < l.cols.length; t++) {
      const j = l.cols[t];
      if (j === i) continue;
      count[i]++;
      count[j]++;
    }
  }
  const ptr = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i] + count[i];
  const total = ptr[n];
  const cols = new Int32Array(total);
  const vals = new Float32Array(total);
  const fill = Float64Array.from(ptr.subarray(0, n));
  for (let i = 0; i < n; i++) {
    const l = lists[i];
    for (let t = 0; t < l.cols.length; t++) {
      const j = l.cols[t];
      if (j === i) continue;
      const w = l.values[t];
      cols[fill[i]] = j;
      vals[fill[i]++] = w;
      cols[fill[j]] = i;
      vals[fill[j]++] = w;
    }
  }
  // sort each row by column and merge duplicates (keep the larger weight: equal for a symmetric similarity)
  const outPtr = new Float64Array(n + 1);
  let w = 0;
  let keys = new Float64Array(0);
  for (let i = 0; i < n; i++) {
    const a = ptr[i];
    const len = ptr[i + 1] - a;
    if (len >= 2 ** 21) throw new Error(`unionSymmetric: row ${i} has ${len} entries (at most 2^21)`);
    if (keys.length < len) keys = new Float64Array(len * 2);
    // column and position in one exactly representable key (col·2^21 + t < 2^52), sorted natively
    const view = keys.subarray(0, len);
    for (let t = 0; t < len; t++) view[t] = cols[a + t] * 2097152 + t;
    view.sort();
    outPtr[i] = w;
    const rowVals = vals.slice(a, a + len);
    let last = -1;
    for (let t = 0; t < len; t++) {
      const c = Math.floor(view[t] / 2097152);
      const v = rowVals[view[t] - c * 2097152];
      if (c === last) {
        if (v > vals[w - 1]) vals[w - 1] = v;
      } else {
        cols[w] = c;
        vals[w++] = v;
        last = c;
      }
    }
  }
  outPtr[n] = w;
  return { n, rowPtr: outPtr, cols: cols.slice(0, w), values: vals.slice(0, w) };
}
