/**
 * CBLAS through koffi (a foreign-function interface; no compilation step). Finds OpenBLAS (Linux), Accelerate
 * (macOS) or a user-given library that exports cblas_sgemm. Typed arrays are passed as pointers without copying.
 */
import * as fs from 'fs';
import * as os from 'os';

export const CblasRowMajor = 101;
export const CblasNoTrans = 111;
export const CblasTrans = 112;

export interface Blas {
  library: string;
  /** OpenBLAS's kernel family (e.g. 'Haswell', 'Cooperlake'): its CPU detection's pick, or OPENBLAS_CORETYPE's. */
  core?: string;
  /** C = alpha·op(A)·op(B) + beta·C, row-major. */
  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): void;
  dgemm?(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, b: Float64Array, ldb: number, beta: number, c: Float64Array, ldc: number): void;
  setThreads(n: number): boolean;
  threads: number;
}

export function blasCandidates(explicit?: string): string[] {
  const list: string[] = [];
  if (explicit) list.push(explicit);
  if (process.env.KRL_BLAS_LIBRARY) list.push(process.env.KRL_BLAS_LIBRARY);
  if (process.platform === 'darwin') {
    list.push('/System/Library/Frameworks/Accelerate.framework/Accelerate', '/opt/homebrew/opt/openblas/lib/libopenblas.dylib', '/usr/local/opt/openblas/lib/libopenblas.dylib');
  } else if (process.platform === 'win32') {
    list.push('libopenblas.dll', 'openblas.dll');
  } else {
    const arch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
    list.push(
      `/usr/lib/${arch}/openblas-pthread/libopenblas.so.0`,
      `/usr/lib/${arch}/libopenblas.so.0`,
      `/usr/lib/${arch}/openblas-openmp/libopenblas.so.0`,
      '/usr/lib64/libopenblas.so.0',
      '/usr/lib/libopenblas.so.0',
      '/usr/local/lib/libopenblas.so.0',
      'libopenblas.so.0',
    );
  }
  return list;
}

export interface BlasLoadResult {
  blas?: Blas;
  reason?: string;
}

let cached: Map<string, BlasLoadResult> | undefined;

/** Loads the first library that works; `reason` says why none did. Results are cached per explicit path. */
export function loadBlas(explicit?: string): BlasLoadResult {
  cached ??= new Map();
  const key = explicit ?? '';
  const hit = cached.get(key);
  if (hit) return hit;
  const res = tryLoad(explicit);
  cached.set(key, res);
  return res;
}

function tryLoad(explicit?: string): BlasLoadResult {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let koffi: any;
  try {
    koffi = require('koffi');
  } catch (e) {
    return { reason: `koffi (FFI) could not be loaded: ${(e as Error).message.split('\n')[0]}` };
  }
  // OpenBLAS worker threads spin (sched_yield) for a while after each call, stealing the core the JavaScript
  // element-wise work runs on; a short timeout puts them to sleep quickly (read when the library loads).
  if (process.env.OPENBLAS_THREAD_TIMEOUT === undefined) process.env.OPENBLAS_THREAD_TIMEOUT = '4';
  const errors: string[] = [];
  for (const lib of blasCandidates(explicit)) {
    if (lib.startsWith('/') && !fs.existsSync(lib)) continue;
    try {
      const h = koffi.load(lib);
      const sg = h.func('void cblas_sgemm(int order, int transA, int transB, int M, int N, int K, float alpha, const float *A, int lda, const float *B, int ldb, float beta, _Inout_ float *C, int ldc)');
      let dg: ((...a: unknown[]) => void) | undefined;
      try {
        dg = h.func('void cblas_dgemm(int order, int transA, int transB, int M, int N, int K, double alpha, const double *A, int lda, const double *B, int ldb, double beta, _Inout_ double *C, int ldc)');
      } catch {
        dg = undefined;
      }
      let setN: ((n: number) => void) | undefined;
      let getN: (() => number) | undefined;
      try {
        setN = h.func('void openblas_set_num_threads(int n)');
        getN = h.func('int openblas_get_num_threads()');
      } catch {
        setN = undefined;
      }
      let core = '';
      try {
        core = String(h.func('const char* openblas_get_corename()')() ?? '').trim();
      } catch {
        core = '';
      }
      const name = /openblas/i.test(lib) ? 'OpenBLAS' : /accelerate/i.test(lib) ? 'Accelerate' : lib;
      const blas: Blas = {
        library: name,
        ...(core ? { core } : {}),
        threads: getN ? getN() : os.cpus().length,
        sgemm: (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
          sg(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc),
        dgemm: dg
          ? (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
              (dg as (...x: unknown[]) => void)(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
          : undefined,
        setThreads(nt: number) {
          if (!setN) return false;
          setN(nt);
          this.threads = getN ? getN() : nt;
          return true;
        },
      };
      // self-test: a 2×2 product with a transposed operand
      const A = new Float32Array([1, 2, 3, 4]);
      const B = new Float32Array([5, 6, 7, 8]);
      const C = new Float32Array(4);
      blas.sgemm(false, true, 2, 2, 2, 1, A, 2, B, 2, 0, C, 2);
      if (C[0] !== 17 || C[1] !== 23 || C[2] !== 39 || C[3] !== 53) {
        errors.push(`${lib}: self-test gave ${Array.from(C)}`);
        continue;
      }
      return { blas };
    } catch (e) {
      errors.push(`${lib}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { reason: errors.length ? `no usable BLAS (${errors.join('; ')})` : 'no BLAS library found (Debian: apt-get install libopenblas0-pthread; or set kernelRecLab.blasLibrary)' };
}
