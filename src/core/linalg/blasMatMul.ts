/**
 * Matrix products on CBLAS sgemm for the BatchMatMul and _FusedMatMul kernels (./kernels/): broadcast batch
 * dimensions, transposes, tiny thin products as loops, and the fused activations. Gradients of matMul are
 * matMuls, so they use BLAS too.
 */
import type { Blas } from './blas';
import { sharedF32 } from './parallel';

/** Broadcast batch matmul on BLAS. Shapes as tfjs: a [..., M, K] (or [..., K, M] when transposed). */
export function blasBatchMatMul(blas: Blas, a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], ta: boolean, tb: boolean): { values: Float32Array; shape: number[] } {
  const ra = aShape.length;
  const rb = bShape.length;
  const m = ta ? aShape[ra - 1] : aShape[ra - 2];
  const kA = ta ? aShape[ra - 2] : aShape[ra - 1];
  const kB = tb ? bShape[rb - 1] : bShape[rb - 2];
  const n = tb ? bShape[rb - 2] : bShape[rb - 1];
  if (kA !== kB) throw new Error(`matMul: inner dimensions differ (${aShape} × ${bShape}, transposeA=${ta}, transposeB=${tb})`);
  const outerA = aShape.slice(0, -2);
  const outerB = bShape.slice(0, -2);
  const rank = Math.max(outerA.length, outerB.length);
  const outer: number[] = [];
  for (let d = 0; d < rank; d++) {
    const x = outerA[outerA.length - rank + d] ?? 1;
    const y = outerB[outerB.length - rank + d] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`matMul: batch dimensions ${outerA} and ${outerB} do not broadcast`);
    outer.push(Math.max(x, y));
  }
  const batch = outer.reduce((p, q) => p * q, 1);
  // on shared memory when the worker pool runs, so the fused element-wise kernels that follow read it in place
  const out = sharedF32(batch * m * n);
  const shape = [...outer, m, n];
  if (batch === 0 || m === 0 || n === 0) return { values: out, shape };
  const sizeA = m * kA;
  const sizeB = kA * n;
  const lda = ta ? m : kA;
  const ldb = tb ? kA : n;
  if (kA === 0) return { values: out, shape };
  // Tiny thin products (a side ≤ 8 and under 10⁵ multiply-adds) are faster as plain loops than as BLAS calls that
  // wake the worker threads; larger thin ones (e.g. 943×500 · 500×5) are several times faster on BLAS.
  const thin = Math.min(m, n, kA) <= 8 && m * n * kA < 1e5;
  // batch index → offsets in a and b, honouring broadcast of size-1 dimensions
  const stridesA = stridesFor(outerA, rank);
  const stridesB = stridesFor(outerB, rank);
  const idx = new Array(rank).fill(0);
  for (let bi = 0; bi < batch; bi++) {
    let offA = 0;
    let offB = 0;
    for (let d = 0; d < rank; d++) {
      offA += idx[d] * stridesA[d];
      offB += idx[d] * stridesB[d];
    }
    const av = a.subarray(offA * sizeA, (offA + 1) * sizeA);
    const bv = b.subarray(offB * sizeB, (offB + 1) * sizeB);
    const ov = out.subarray(bi * m * n, (bi + 1) * m * n);
    if (thin) loopGemm(ta, tb, m, n, kA, av, lda, bv, ldb, ov);
    else blas.sgemm(ta, tb, m, n, kA, 1, av, lda, bv, ldb, 0, ov, n);
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outer[d]) break;
      idx[d] = 0;
    }
  }
  return { values: out, shape };
}

/** C = op(A)·op(B) in float64 accumulators, row-major (for thin shapes). */
function loopGemm(ta: boolean, tb: boolean, m: number, n: number, k: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, c: Float32Array): void {
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let q = 0; q < k; q++) {
      const aiq = ta ? a[q * lda + i] : a[i * lda + q];
      if (aiq === 0) continue;
      if (tb) for (let j = 0; j < n; j++) row[j] += aiq * b[j * ldb + q];
      else {
        const off = q * ldb;
        for (let j = 0; j < n; j++) row[j] += aiq * b[off + j];
      }
    }
    for (let j = 0; j < n; j++) c[i * n + j] = row[j];
  }
}

/** Strides (in matrices) over the broadcast outer dims; a size-1 (or absent) dimension gets stride 0. */
function stridesFor(outer: number[], rank: number): number[] {
  const padded = Array(rank - outer.length).fill(1).concat(outer) as number[];
  const s = new Array(rank).fill(0);
  let acc = 1;
  for (let d = rank - 1; d >= 0; d--) {
    s[d] = padded[d] === 1 ? 0 : acc;
    acc *= padded[d];
  }
  return s;
}

export function applyActivation(v: Float32Array, act: string, alpha: number): boolean {
  switch (act) {
    case 'linear':
    case undefined:
      return true;
    case 'relu':
      for (let i = 0; i < v.length; i++) if (v[i] < 0) v[i] = 0;
      return true;
    case 'relu6':
      for (let i = 0; i < v.length; i++) v[i] = v[i] < 0 ? 0 : v[i] > 6 ? 6 : v[i];
      return true;
    case 'sigmoid':
      for (let i = 0; i < v.length; i++) v[i] = 1 / (1 + Math.exp(-v[i]));
      return true;
    case 'elu':
      for (let i = 0; i < v.length; i++) if (v[i] < 0) v[i] = Math.exp(v[i]) - 1;
      return true;
    case 'leakyrelu':
      for (let i = 0; i < v.length; i++) if (v[i] < 0) v[i] *= alpha;
      return true;
    default:
      return false;
  }
}

