/**
 * Row-major dense matrices (float32 or float64) and their product on BLAS (sgemm / dgemm through ./blas) with a
 * loop fallback. Shared by the spectral models and the ranking baselines.
 */
import { loadBlas } from './blas';

export type Arr = Float32Array | Float64Array;

/** Row-major dense matrix, float32 or float64. */
export interface Mat {
  rows: number;
  cols: number;
  data: Arr;
}

export const mat = (rows: number, cols: number, data: Arr = new Float64Array(rows * cols)): Mat => ({ rows, cols, data });

/** A zero matrix of the same precision as `like`. */
export const matLike = (like: Arr, rows: number, cols: number): Mat => mat(rows, cols, like instanceof Float32Array ? new Float32Array(rows * cols) : new Float64Array(rows * cols));

/** C = op(A)·op(B) (row-major; op = transpose when ta/tb). sgemm / dgemm when a BLAS has it, else loops. */
export function gemm(ta: boolean, tb: boolean, A: Mat, B: Mat): Mat {
  const m = ta ? A.cols : A.rows;
  const k = ta ? A.rows : A.cols;
  const kb = tb ? B.cols : B.rows;
  const n = tb ? B.rows : B.cols;
  if (k !== kb) throw new Error(`gemm: ${A.rows}×${A.cols}${ta ? 'ᵀ' : ''} · ${B.rows}×${B.cols}${tb ? 'ᵀ' : ''}`);
  const f32 = A.data instanceof Float32Array;
  if (f32 !== B.data instanceof Float32Array) throw new Error('gemm: mixed float32 and float64 operands');
  const C = matLike(A.data, m, n);
  if (m === 0 || n === 0 || k === 0) return C;
  const blas = loadBlas().blas;
  if (blas && m * n * k > 4096) {
    if (f32) {
      blas.sgemm(ta, tb, m, n, k, 1, A.data as Float32Array, A.cols, B.data as Float32Array, B.cols, 0, C.data as Float32Array, n);
      return C;
    }
    if (blas.dgemm) {
      blas.dgemm(ta, tb, m, n, k, 1, A.data as Float64Array, A.cols, B.data as Float64Array, B.cols, 0, C.data as Float64Array, n);
      return C;
    }
  }
  const a = A.data;
  const b = B.data;
  const c = C.data;
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = ta ? a[p * A.cols + i] : a[i * A.cols + p];
      if (x === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += x * (tb ? b[j * B.cols + p] : b[p * B.cols + j]);
    }
  }
  return C;
}

