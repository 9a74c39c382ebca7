/**
 * ARPACK through koffi: a few eigenpairs of a large sparse symmetric operator by the implicitly restarted Lanczos
 * method (dsaupd / dseupd, reverse communication — the operator is any JS function y = A·x). Debian: libarpack2.
 * Used for LEPORID / LE embeddings (the 64 smallest eigenvectors of a normalised graph Laplacian with tens of
 * thousands of nodes, where a dense dsyevd would need n² memory and n³ time).
 *
 * The Fortran interface takes every argument by pointer, plus the hidden lengths of the character arguments
 * (gfortran's convention). Typed arrays are passed to koffi as pointers to their own memory, so the Lanczos
 * workspace `workd` the operator reads and writes between calls is the same memory ARPACK sees.
 */
import * as fs from 'fs';

export type Which = 'LA' | 'SA' | 'LM' | 'SM' | 'BE';

export interface ArpackOptions {
  /** Lanczos basis size (default min(n, max(2·nev + 1, 20))). */
  ncv?: number;
  /** Relative accuracy of the Ritz values (0: machine precision; default 1e-10). */
  tol?: number;
  /** Maximum implicit restarts (default 1000). */
  maxRestarts?: number;
  /** Starting vector (default: ARPACK's random one). */
  start?: Float64Array;
  /** Called between operator applications; throw to stop (cancellation). */
  onStep?: (applications: number) => void;
}

export interface ArpackResult {
  /** The nev eigenvalues, ascending. */
  values: Float64Array;
  /** Column-major n×nev: eigenvector j is vectors[j·n … (j+1)·n). Orthonormal. */
  vectors: Float64Array;
  /** Operator applications used. */
  applications: number;
  restarts: number;
  library: string;
}

export class ArpackError extends Error {}

interface ArpackLib {
  library: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  saupd: (...a: any[]) => void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  seupd: (...a: any[]) => void;
}

let cached: { lib?: ArpackLib; reason?: string } | undefined;

export function arpackCandidates(): string[] {
  const arch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  if (process.platform === 'darwin') return ['/opt/homebrew/lib/libarpack.dylib', '/usr/local/lib/libarpack.dylib', 'libarpack.dylib'];
  if (process.platform === 'win32') return ['libarpack.dll', 'arpack.dll'];
  return [`/usr/lib/${arch}/libarpack.so.2`, '/usr/lib64/libarpack.so.2', '/usr/lib/libarpack.so.2', 'libarpack.so.2'];
}

/** The ARPACK library, or why there is none. */
export function loadArpack(): { lib?: ArpackLib; reason?: string } {
  if (cached) return cached;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let koffi: any;
  try {
    koffi = require('koffi');
  } catch (e) {
    return (cached = { reason: `koffi (FFI) could not be loaded: ${(e as Error).message.split('\n')[0]}` });
  }
  const errors: string[] = [];
  for (const file of arpackCandidates()) {
    if (file.startsWith('/') && !fs.existsSync(file)) continue;
    try {
      const h = koffi.load(file);
      const saupd = h.func('void dsaupd_(_Inout_ int *ido, const char *bmat, const int *n, const char *which, const int *nev, const double *tol, _Inout_ double *resid, const int *ncv, _Inout_ double *v, const int *ldv, _Inout_ int *iparam, _Inout_ int *ipntr, _Inout_ double *workd, _Inout_ double *workl, const int *lworkl, _Inout_ int *info, size_t lb, size_t lw)');
      const seupd = h.func('void dseupd_(const int *rvec, const char *howmny, _Inout_ int *select, _Out_ double *d, _Out_ double *z, const int *ldz, const double *sigma, const char *bmat, const int *n, const char *which, const int *nev, const double *tol, _Inout_ double *resid, const int *ncv, _Inout_ double *v, const int *ldv, _Inout_ int *iparam, _Inout_ int *ipntr, _Inout_ double *workd, _Inout_ double *workl, const int *lworkl, _Inout_ int *info, size_t lh, size_t lb, size_t lw)');
      return (cached = { lib: { library: file, saupd, seupd } });
    } catch (e) {
      errors.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return (cached = { reason: errors.length ? `ARPACK could not be loaded (${errors.join('; ')})` : 'no ARPACK library found (Debian: apt-get install libarpack2)' });
}

const SAUPD_ERRORS: Record<number, string> = {
  1: 'the maximum number of restarts was reached',
  3: 'no shifts could be applied during a restart (try a larger ncv)',
  [-9]: 'the starting vector is zero',
  [-9999]: 'the Arnoldi factorisation could not be built',
};

/**
 * nev eigenpairs of the symmetric n×n operator `apply(x, y)` (y ← A·x; x and y are views into ARPACK's workspace
 * and must not be kept). which: 'LA' largest algebraic, 'SA' smallest algebraic, …
 */
export function symmetricEigs(n: number, nev: number, which: Which, apply: (x: Float64Array, y: Float64Array) => void, opts: ArpackOptions = {}): ArpackResult {
  const { lib, reason } = loadArpack();
  if (!lib) throw new ArpackError(`the sparse eigensolver needs ARPACK: ${reason}`);
  if (!(Number.isInteger(nev) && nev >= 1 && nev < n)) throw new ArpackError(`symmetricEigs: nev = ${nev} must be in 1…${n - 1} (n = ${n})`);
  const ncv = Math.min(n, Math.max(opts.ncv ?? 2 * nev + 1, nev + 1));
  if (ncv <= nev) throw new ArpackError(`symmetricEigs: ncv = ${ncv} must exceed nev = ${nev}`);
  const tol = Float64Array.of(opts.tol ?? 1e-10);
  const N = Int32Array.of(n);
  const NEV = Int32Array.of(nev);
  const NCV = Int32Array.of(ncv);
  const ido = Int32Array.of(0);
  const info = Int32Array.of(opts.start ? 1 : 0);
  const resid = opts.start ? Float64Array.from(opts.start) : new Float64Array(n);
  const v = new Float64Array(n * ncv);
  const iparam = new Int32Array(11);
  iparam[0] = 1; // exact shifts
  iparam[2] = opts.maxRestarts ?? 1000;
  iparam[6] = 1; // mode 1: A·x = λ·x
  const ipntr = new Int32Array(11);
  const workd = new Float64Array(3 * n);
  const lworkl = ncv * (ncv + 8);
  const workl = new Float64Array(lworkl);
  const LWORKL = Int32Array.of(lworkl);
  let applications = 0;
  for (;;) {
    lib.saupd(ido, 'I', N, which, NEV, tol, resid, NCV, v, N, iparam, ipntr, workd, workl, LWORKL, info, 1, 2);
    if (ido[0] === -1 || ido[0] === 1) {
      const x = workd.subarray(ipntr[0] - 1, ipntr[0] - 1 + n);
      const y = workd.subarray(ipntr[1] - 1, ipntr[1] - 1 + n);
      apply(x, y);
      applications++;
      opts.onStep?.(applications);
      continue;
    }
    break;
  }
  if (info[0] < 0 || (info[0] !== 0 && info[0] !== 1)) throw new ArpackError(`dsaupd failed (info ${info[0]}${SAUPD_ERRORS[info[0]] ? `: ${SAUPD_ERRORS[info[0]]}` : ''})`);
  if (info[0] === 1) throw new ArpackError(`dsaupd: ${SAUPD_ERRORS[1]} (${iparam[2]} restarts, ${iparam[4]} of ${nev} eigenvalues converged)`);
  const select = new Int32Array(ncv);
  const d = new Float64Array(nev);
  const z = new Float64Array(n * nev);
  const rinfo = Int32Array.of(0);
  lib.seupd(Int32Array.of(1), 'A', select, d, z, N, Float64Array.of(0), 'I', N, which, NEV, tol, resid, NCV, v, N, iparam, ipntr, workd, workl, LWORKL, rinfo, 1, 1, 2);
  if (rinfo[0] !== 0) throw new ArpackError(`dseupd failed (info ${rinfo[0]})`);
  // dseupd returns the eigenvalues ascending already; sort defensively
  const order = Array.from({ length: nev }, (_, j) => j).sort((a, b) => d[a] - d[b]);
  const values = Float64Array.from(order, (j) => d[j]);
  const vectors = new Float64Array(n * nev);
  order.forEach((j, t) => vectors.set(z.subarray(j * n, (j + 1) * n), t * n));
  return { values, vectors, applications, restarts: iparam[2], library: lib.library };
}
