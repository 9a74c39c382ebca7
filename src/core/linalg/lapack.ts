/**
 * LAPACK through koffi, for the spectral models' graph eigenbases: dsyevd (all eigenvalues and eigenvectors of a
 * symmetric matrix, divide and conquer). Looked up in the BLAS library first (OpenBLAS bundles LAPACK), then in the
 * reference LAPACK (Debian: liblapack3). The Fortran interface takes every argument by pointer, plus the hidden
 * lengths of the two character arguments (gfortran's convention; harmless elsewhere).
 */
import * as fs from 'fs';
import { blasCandidates } from './blas';

export interface Lapack {
  library: string;
  /** dsyevd in place on a column-major n×n matrix (symmetric: row- or column-major is the same); returns info. */
  dsyevd(n: number, a: Float64Array, w: Float64Array): number;
}

export function lapackCandidates(explicit?: string): string[] {
  const arch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  const extra = process.platform === 'linux'
    ? [`/usr/lib/${arch}/liblapack.so.3`, `/usr/lib/${arch}/lapack/liblapack.so.3`, '/usr/lib64/liblapack.so.3', 'liblapack.so.3']
    : process.platform === 'darwin' ? ['/System/Library/Frameworks/Accelerate.framework/Accelerate'] : ['liblapack.dll'];
  return [...blasCandidates(explicit), ...extra];
}

let cached: { lapack?: Lapack; reason?: string } | undefined;

/** The first library with a working dsyevd (checked on a 2×2 matrix); `reason` says why none was found. */
export function loadLapack(explicit?: string): { lapack?: Lapack; reason?: string } {
  if (cached && !explicit) return cached;
  const errors: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let koffi: any;
  try {
    koffi = require('koffi');
  } catch (e) {
    return { reason: `koffi (FFI) could not be loaded: ${(e as Error).message.split('\n')[0]}` };
  }
  for (const lib of lapackCandidates(explicit)) {
    if (lib.startsWith('/') && !fs.existsSync(lib)) continue;
    try {
      const h = koffi.load(lib);
      const f = h.func('void dsyevd_(const char *jobz, const char *uplo, const int *n, _Inout_ double *a, const int *lda, _Out_ double *w, _Out_ double *work, const int *lwork, _Out_ int *iwork, const int *liwork, _Out_ int *info, size_t jl, size_t ul)');
      const lapack: Lapack = {
        library: /openblas/i.test(lib) ? 'OpenBLAS (LAPACK)' : /accelerate/i.test(lib) ? 'Accelerate' : lib,
        dsyevd(n, a, w) {
          const info = new Int32Array(1);
          const N = Int32Array.of(n);
          // workspace query, then the call
          const wq = new Float64Array(1);
          const iq = new Int32Array(1);
          f('V', 'L', N, a, N, w, wq, Int32Array.of(-1), iq, Int32Array.of(-1), info, 1, 1);
          if (info[0] !== 0) return info[0];
          const lwork = Math.max(1, Math.ceil(wq[0]));
          const liwork = Math.max(1, iq[0]);
          f('V', 'L', N, a, N, w, new Float64Array(lwork), Int32Array.of(lwork), new Int32Array(liwork), Int32Array.of(liwork), info, 1, 1);
          return info[0];
        },
      };
      const a = Float64Array.of(2, 1, 1, 2);
      const w = new Float64Array(2);
      if (lapack.dsyevd(2, a, w) !== 0 || Math.abs(w[0] - 1) > 1e-12 || Math.abs(w[1] - 3) > 1e-12) {
        errors.push(`${lib}: dsyevd self-test gave ${Array.from(w)}`);
        continue;
      }
      const r = { lapack };
      if (!explicit) cached = r;
      return r;
    } catch (e) {
      errors.push(`${lib}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const r = { reason: errors.length ? `no usable LAPACK (${errors.join('; ')})` : 'no LAPACK library found (Debian: apt-get install liblapack3 or libopenblas0-pthread)' };
  if (!explicit) cached = r;
  return r;
}
