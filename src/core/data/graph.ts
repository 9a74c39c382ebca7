/**
 * Graphs over users or items for the spectral models: dense symmetric weight matrices W (n×n, row-major), their
 * combinatorial Laplacian L = D − W with self-loops removed, k-nearest-neighbour graphs built from similarities
 * (a similarity matrix, or the cosine similarity of rating rows), and a content hash to cache eigenbases by.
 */
import { createHash } from 'crypto';

export interface Graph {
  n: number;
  /** Dense symmetric weights, row-major; the diagonal is ignored. */
  W: Float64Array;
  /** Where the graph comes from (a .mat variable, knn:<k> of a similarity, …). */
  source: string;
}

/** L = D − W with the diagonal of W (self-loops) ignored. Checks that W is symmetric and non-negative. */
export function laplacian(g: Graph): Float64Array {
  const { n, W } = g;
  if (W.length !== n * n) throw new Error(`graph ${g.source}: ${W.length} weights for ${n} nodes`);
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let deg = 0;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const w = W[i * n + j];
      if (!(w >= 0)) throw new Error(`graph ${g.source}: weight (${i}, ${j}) is ${w}; weights must be non-negative numbers`);
      if (Math.abs(w - W[j * n + i]) > 1e-9 * Math.max(1, Math.abs(w))) throw new Error(`graph ${g.source}: not symmetric at (${i}, ${j}): ${w} vs ${W[j * n + i]}`);
      if (w !== 0) L[i * n + j] = -w;
      deg += w;
    }
    L[i * n + i] = deg;
  }
  return L;
}

/**
 * The symmetric normalised Laplacian I − D^{-½} W D^{-½} (self-loops ignored), from L = D − W; an isolated node
 * (degree 0) keeps a zero row and column, so its eigenvalue is 0 as in the combinatorial Laplacian. The DTI code the
 * SGMC paper compares with (GRMF, MGRNNM) regularises with this one; its eigenvalues lie in [0, 2].
 */
export function normalizedLaplacian(g: Graph): Float64Array {
  const { n } = g;
  const L = laplacian(g);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = L[i * n + i] > 0 ? 1 / Math.sqrt(L[i * n + i]) : 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) L[i * n + j] *= s[i] * s[j];
  return L;
}

export type LaplacianKind = 'combinatorial' | 'normalized';

/**
 * The k-nearest-neighbour graph of a similarity matrix S (n×n, row-major, need not be symmetric): each node keeps
 * its k most similar other nodes (ties by index), with weight max(S_ij, S_ji) ≥ 0; symmetrised by union.
 */
export function knnFromSimilarity(S: ArrayLike<number>, n: number, k: number, source: string): Graph {
  const W = new Float64Array(n * n);
  const idx = Array.from({ length: n }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    const order = idx.filter((j) => j !== i).sort((a, b) => S[i * n + b] - S[i * n + a] || a - b);
    for (const j of order.slice(0, Math.min(k, n - 1))) {
      const w = Math.max(0, S[i * n + j], S[j * n + i]);
      W[i * n + j] = w;
      W[j * n + i] = w;
    }
  }
  return { n, W, source: `knn:${k} of ${source}` };
}

/** Cosine similarity of the rows of a sparse matrix given as (row, col, value) triples (rows × cols). */
export function rowCosine(rows: number, cols: number, r: Int32Array, c: Int32Array, v: ArrayLike<number>): Float64Array {
  const dense = new Float64Array(rows * cols);
  for (let t = 0; t < r.length; t++) dense[r[t] * cols + c[t]] = v[t];
  const norms = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += dense[i * cols + j] ** 2;
    norms[i] = Math.sqrt(s);
  }
  const S = new Float64Array(rows * rows);
  for (let a = 0; a < rows; a++) {
    for (let b = a; b < rows; b++) {
      if (norms[a] === 0 || norms[b] === 0) continue;
      let s = 0;
      for (let j = 0; j < cols; j++) s += dense[a * cols + j] * dense[b * cols + j];
      S[a * rows + b] = S[b * rows + a] = s / (norms[a] * norms[b]);
    }
  }
  return S;
}

/** A content hash of a graph's weights (the eigenbasis cache key). */
export function graphHash(g: Graph): string {
  return createHash('sha256').update(Buffer.from(g.W.buffer, g.W.byteOffset, g.W.byteLength)).update(String(g.n)).digest('hex').slice(0, 32);
}
