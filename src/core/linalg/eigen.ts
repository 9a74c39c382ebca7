/**
 * Eigendecomposition of a symmetric matrix (LAPACK dsyevd, ./lapack.ts): all eigenvalues ascending and the
 * orthonormal eigenvectors as the columns of Φ (row-major n×n: Φ[i·n + j] is component i of eigenvector j).
 */
import { loadLapack } from './lapack';

export interface EigenBasis {
  n: number;
  values: Float64Array;
  vectors: Float64Array;
}

export class EigenError extends Error {}

/** A (row-major n×n, symmetric) = Φ Λ Φᵀ. A is not modified. */
export function symmetricEigen(A: ArrayLike<number>, n: number, library?: string): EigenBasis {
  if (A.length !== n * n) throw new EigenError(`symmetricEigen: ${A.length} values for a ${n}×${n} matrix`);
  if (n === 0) return { n, values: new Float64Array(0), vectors: new Float64Array(0) };
  const { lapack, reason } = loadLapack(library);
  if (!lapack) throw new EigenError(`the graph eigenbasis needs LAPACK: ${reason}`);
  // symmetric, so the row-major input is its own column-major form; only the lower triangle is read
  const a = Float64Array.from(A);
  const w = new Float64Array(n);
  const info = lapack.dsyevd(n, a, w);
  if (info !== 0) throw new EigenError(info < 0 ? `dsyevd: argument ${-info} is invalid` : `dsyevd did not converge (info ${info})`);
  // dsyevd leaves eigenvector j in column j of a column-major array: a[j·n + i]
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) vectors[i * n + j] = a[j * n + i];
  return { n, values: w, vectors };
}
