/**
 * Laplacian-eigenmap embeddings of a sparse graph (LEPORID, Zhang et al. KDD 2021, and plain LE), and the
 * singular-vector embedding of an interaction matrix (the SVD initialisation of the paper's ablation).
 *
 * LEPORID: D_reg = (1 − α)·D + α·d_max·I, L = D_reg^{-½}(D_reg − W)D_reg^{-½}; the embedding is the `dims`
 * eigenvectors of the smallest eigenvalues of L, each column z-scored. α = 0 is LE. Since
 * L = I − D_reg^{-½} W D_reg^{-½}, those are the largest-algebraic eigenvectors of A = D_reg^{-½} W D_reg^{-½},
 * which ARPACK finds by Lanczos with A applied as a sparse product (never a dense n × n matrix). The authors' code
 * asks scipy's eigs for the largest-magnitude eigenvalues of max(L)·I − L, which equals these as long as no
 * eigenvalue of L exceeds 2·max(L) − λ_dims (true for the regularised Laplacian; for LE on a nearly bipartite
 * graph 'LM' could pick eigenvalues near 2 — we take the smallest ones, the method's definition).
 */
import { symmetricEigs, ArpackResult } from './arpack';
import { Csr, csrMatVec, rowSums } from './sparse';

export interface GraphEmbedding {
  n: number;
  dims: number;
  /** Row-major n × dims, each column z-scored (mean 0, standard deviation 1). */
  vectors: Float32Array;
  /** Eigenvalues of L for the columns, ascending. */
  eigenvalues: Float64Array;
  /** Weighted degrees (row sums of W). */
  degrees: Float64Array;
  /** Nodes without any edge (their embedding rows carry no graph information). */
  isolated: number;
  applications: number;
}

/** Column z-scores of a row-major n × d matrix (population standard deviation; constant columns become 0). */
export function zscoreColumns(x: Float64Array | Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + j] - mean) ** 2;
    const sd = Math.sqrt(v / n);
    for (let i = 0; i < n; i++) out[i * d + j] = sd > 0 ? (x[i * d + j] - mean) / sd : 0;
  }
  return out;
}

export interface EmbedOptions {
  /** ARPACK tolerance (default 1e-8). */
  tol?: number;
  ncv?: number;
  onStep?: (applications: number) => void;
  /** Skip the z-scoring (tests check the raw eigenvectors). */
  raw?: boolean;
}

/** The regularised degrees D_reg and the operator x ↦ A·x, A = D_reg^{-½} W D_reg^{-½}. */
export function leporidOperator(g: Csr, alpha: number): { degrees: Float64Array; scale: Float64Array; apply: (x: Float64Array, y: Float64Array) => void } {
  const degrees = rowSums(g);
  let dmax = 0;
  for (const d of degrees) dmax = Math.max(dmax, d);
  const scale = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) {
    const dr = (1 - alpha) * degrees[i] + alpha * dmax;
    scale[i] = dr > 0 ? 1 / Math.sqrt(dr) : 0;
  }
  const tmp = new Float64Array(g.n);
  return {
    degrees,
    scale,
    apply: (x, y) => {
      for (let i = 0; i < g.n; i++) tmp[i] = x[i] * scale[i];
      csrMatVec(g, tmp, y);
      for (let i = 0; i < g.n; i++) y[i] *= scale[i];
    },
  };
}

/** The `dims` smallest eigenpairs of LEPORID's Laplacian (α = 0: LE). */
export function leporidEmbedding(g: Csr, dims: number, alpha: number, opts: EmbedOptions = {}): GraphEmbedding {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`LEPORID α = ${alpha} must be in [0, 1]`);
  const n = g.n;
  if (dims >= n) throw new Error(`an embedding of ${dims} dimensions needs more than ${dims} nodes (the graph has ${n})`);
  const op = leporidOperator(g, alpha);
  const res: ArpackResult = symmetricEigs(n, dims, 'LA', op.apply, { tol: opts.tol ?? 1e-8, ncv: opts.ncv, onStep: opts.onStep, start: deterministicStart(n) });
  // ARPACK gives A's eigenvalues ascending; L = I − A, so the smallest of L are A's largest: reverse
  const eigenvalues = new Float64Array(dims);
  const rowMajor = new Float64Array(n * dims);
  for (let t = 0; t < dims; t++) {
    const j = dims - 1 - t;
    eigenvalues[t] = 1 - res.values[j];
    // a fixed sign: the largest-magnitude component positive (so cached and recomputed embeddings agree)
    const col = res.vectors.subarray(j * n, (j + 1) * n);
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(col[i]) > Math.abs(big)) big = col[i];
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) rowMajor[i * dims + t] = sign * col[i];
  }
  let isolated = 0;
  for (const d of op.degrees) if (d === 0) isolated++;
  const vectors = opts.raw ? Float32Array.from(rowMajor) : zscoreColumns(rowMajor, n, dims);
  return { n, dims, vectors, eigenvalues, degrees: op.degrees, isolated, applications: res.applications };
}

/** A fixed, nowhere-zero starting vector, so the embedding does not depend on ARPACK's internal random seed. */
function deterministicStart(n: number): Float64Array {
  const v = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v[i] = 0.5 + s / 2147483648;
  }
  return v;
}

/**
 * Truncated SVD of a binary rows × cols matrix given as per-row column lists: the top `dims` right singular vectors
 * (eigenvectors of RᵀR by Lanczos) and the matching left ones U = R V Σ^{-1}, each z-scored. rank-deficient
 * directions (σ = 0) give zero columns.
 */
export function svdEmbedding(rowLists: Int32Array[], cols: number, dims: number, opts: EmbedOptions = {}): { rows: Float32Array; cols: Float32Array; singularValues: Float64Array } {
  const rows = rowLists.length;
  const k = Math.min(dims, cols - 1, rows - 1);
  if (k < 1) throw new Error(`an SVD embedding needs at least 2 rows and columns (got ${rows} × ${cols})`);
  const tmp = new Float64Array(rows);
  const res = symmetricEigs(cols, k, 'LA', (x, y) => {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (const c of rowLists[r]) s += x[c];
      tmp[r] = s;
    }
    y.fill(0);
    for (let r = 0; r < rows; r++) for (const c of rowLists[r]) y[c] += tmp[r];
  }, { tol: opts.tol ?? 1e-8, start: deterministicStart(cols) });
  const V = new Float64Array(cols * dims);
  const U = new Float64Array(rows * dims);
  const sv = new Float64Array(dims);
  for (let t = 0; t < k; t++) {
    const j = k - 1 - t;
    const s = Math.sqrt(Math.max(0, res.values[j]));
    sv[t] = s;
    const col = res.vectors.subarray(j * cols, (j + 1) * cols);
    for (let c = 0; c < cols; c++) V[c * dims + t] = col[c];
    if (s > 0) for (let r = 0; r < rows; r++) {
      let acc = 0;
      for (const c of rowLists[r]) acc += col[c];
      U[r * dims + t] = acc / s;
    }
  }
  return { rows: zscoreColumns(U, rows, dims), cols: zscoreColumns(V, cols, dims), singularValues: sv };
}
