/**
 * Row-parallel element-wise kernels for the cpu backend on worker threads.
 *
 * BLAS already runs the matmuls on every core; the element-wise passes around them (σ(z + b), the masked squared
 * error, the local kernel max(0, 1 − ‖u_i − v_j‖²) with its gradients) are plain JavaScript loops, which run on one
 * core unless split. A pool of (threads − 1) workers shares SharedArrayBuffer-backed typed arrays with the main
 * thread; each call splits the rows into one range per thread, the main thread takes the first range, and waits
 * (Atomics.wait) for the others. The kernels are plain self-contained functions: the main thread calls them
 * directly and the workers get their source text, so both run the same code.
 *
 * Kernels write only their own rows of the outputs; reductions (column sums, scalar sums) go to per-range slots of a
 * partials array that the caller adds up afterwards.
 */
import { Worker } from 'worker_threads';
import * as os from 'os';

export type F32 = Float32Array;
export type Args = Record<string, Float32Array | Float64Array | Int32Array | number>;
type RowKernel = (a: Args, r0: number, r1: number, part: number) => void;

// ---- kernels (self-contained: they call only the helpers in HELPERS, whose source the workers also get) ---------

/**
 * acc[j] = ‖u_i − v_j‖² = Σ_k (u_ik − v_jk)² in float64, computed directly (not as |u|² + |v|² − 2u·v, which
 * cancels when u ≈ v — at initialisation every distance is ~1e-6). vt is v transposed (d × n) so the inner loop
 * runs over contiguous j.
 */
export function distanceRow(u: ArrayLike<number>, i: number, d: number, vt: Float64Array, n: number, acc: Float64Array): void {
  acc.fill(0);
  for (let k = 0; k < d; k++) {
    const ui = u[i * d + k];
    const off = k * n;
    for (let j = 0; j < n; j++) {
      const diff = ui - vt[off + j];
      acc[j] += diff * diff;
    }
  }
}

/**
 * max(x, +0) in place over entries [from, to) of a float array seen through its int32 bits: activations have random
 * signs and the branching form (`if (x < 0) x = 0`) mispredicts about half the time (4–5× slower here). A float is
 * negative exactly when its sign bit, the int32's, is set (−0 included), so x & ~(x >> 31) is max(x, +0).
 */
export function reluBits(bits: Int32Array, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    const t = bits[k];
    bits[k] = t & ~(t >> 31);
  }
}

/** Rows to view a flat array of `len` entries as for a split element-wise pass: 64 when they divide it, else 1. */
export function flatRows(len: number): number {
  return len % 64 === 0 ? 64 : 1;
}

const HELPERS = [distanceRow, reluBits];

/** y = σ(z + b) over rows [r0, r1) of an rows × cols matrix. */
function biasSigmoidFwd(a: Args, r0: number, r1: number): void {
  const z = a.z as Float32Array;
  const b = a.b as Float32Array;
  const y = a.y as Float32Array;
  const cols = a.cols as number;
  for (let r = r0; r < r1; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) y[o + c] = 1 / (1 + Math.exp(-(z[o + c] + b[c])));
  }
}

/** g = dy·y·(1 − y); column sums of g into partials[part·cols …]. */
function biasSigmoidBwd(a: Args, r0: number, r1: number, part: number): void {
  const dy = a.dy as Float32Array;
  const y = a.y as Float32Array;
  const g = a.g as Float32Array;
  const cols = a.cols as number;
  const cs = a.partials as Float64Array;
  const off = part * cols;
  for (let r = r0; r < r1; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const yy = y[o + c];
      const v = dy[o + c] * yy * (1 - yy);
      g[o + c] = v;
      cs[off + c] += v;
    }
  }
}

/**
 * Over the observed entries of rows [r0, r1) only (idx: flat indices where M ≠ 0, ascending; rowStart[r] is the
 * first of row r): g = −M·(M(R − z − b)), the gradient of ½Σ(M(R − z − b))² (g is zero elsewhere), its column sums
 * into partials[part·(cols + 1) …] and the sum of squares into partials[part·(cols + 1) + cols].
 */
function maskedSseFwd(a: Args, r0: number, r1: number, part: number): void {
  const z = a.z as Float32Array;
  const b = a.b as Float32Array;
  const R = a.R as Float32Array;
  const M = a.M as Float32Array;
  const g = a.g as Float32Array;
  const idx = a.idx as Int32Array;
  const rowStart = a.rowStart as Int32Array;
  const cols = a.cols as number;
  const p = a.partials as Float64Array;
  const off = part * (cols + 1);
  let s = 0;
  for (let r = r0; r < r1; r++) {
    const base = r * cols;
    for (let t = rowStart[r], end = rowStart[r + 1]; t < end; t++) {
      const k = idx[t];
      const c = k - base;
      const m = M[k];
      const e = m * (R[k] - (z[k] + b[c]));
      s += e * e;
      const v = -m * e;
      g[k] = v;
      p[off + c] += v;
    }
  }
  p[off + cols] = s;
}

/**
 * Local kernel forward over rows i ∈ [r0, r1): out = W ⊙ max(0, 1 − D), D_ij = ‖u_i − v_j‖² (distanceRow; vt is v
 * transposed, float64). partials[2·part] = ΣK², partials[2·part + 1] = ΣW².
 */
function localKernelFwd(a: Args, r0: number, r1: number, part: number): void {
  const W = a.W as Float32Array;
  const u = a.u as Float32Array;
  const vt = a.vt as Float64Array;
  const out = a.out as Float32Array;
  const n = a.n as number;
  const d = a.d as number;
  const acc = new Float64Array(n);
  let sk = 0;
  let sw = 0;
  for (let i = r0; i < r1; i++) {
    distanceRow(u, i, d, vt, n, acc);
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const w = W[row + j];
      sw += w * w;
      const K = 1 - acc[j];
      if (K > 0) {
        out[row + j] = w * K;
        sk += K * K;
      }
    }
  }
  const p = a.partials as Float64Array;
  p[2 * part] = sk;
  p[2 * part + 1] = sw;
}

/**
 * Local kernel backward over rows [r0, r1), for L with ∂L/∂(W⊙K) = dy and ∂L/∂reg = r, reg = λs·½ΣK² + λ2·½ΣW²:
 * dW = dy·K + r·λ2·W; ∂L/∂D_ij = −(dy·W + r·λs·K) where K > 0; du_i = 2 Σ_j ∂D_ij (u_i − v_j) (complete for
 * these rows); the v side needs all rows, so this range's Σ_i ∂D_ij·u_ik (d × n) and Σ_i ∂D_ij (n) go to
 * partials[part·(d + 1)·n …].
 */
function localKernelBwd(a: Args, r0: number, r1: number, part: number): void {
  const g = a.dy as Float32Array;
  const W = a.W as Float32Array;
  const u = a.u as Float32Array;
  const vt = a.vt as Float64Array;
  const dW = a.dW as Float32Array;
  const du = a.du as Float32Array;
  const n = a.n as number;
  const d = a.d as number;
  const rw = (a.r as number) * (a.lambda2 as number);
  const rk = (a.r as number) * (a.lambdaS as number);
  const p = a.partials as Float64Array;
  const gvt = part * (d + 1) * n; // Σ_i ∂D_ij·u_ik at gvt + k·n + j
  const cs = gvt + d * n; // Σ_i ∂D_ij at cs + j
  const acc = new Float64Array(n);
  const gD = new Float64Array(n);
  for (let i = r0; i < r1; i++) {
    distanceRow(u, i, d, vt, n, acc);
    const row = i * n;
    let rowsum = 0;
    for (let j = 0; j < n; j++) {
      const w = W[row + j];
      const K = 1 - acc[j];
      if (K > 0) {
        const gy = g[row + j];
        dW[row + j] = gy * K + rw * w;
        const e = -(gy * w + rk * K);
        gD[j] = e;
        rowsum += e;
        p[cs + j] += e;
      } else {
        dW[row + j] = rw * w;
        gD[j] = 0;
      }
    }
    for (let k = 0; k < d; k++) {
      const ui = u[i * d + k];
      const off = k * n;
      const po = gvt + off;
      let s = 0;
      for (let j = 0; j < n; j++) {
        s += gD[j] * vt[off + j];
        p[po + j] += gD[j] * ui;
      }
      du[i * d + k] = 2 * (ui * rowsum - s);
    }
  }
}

/**
 * Rows (b, oy) of a convolution's patch matrix (columns (ky, kx, c), the filter's layout) against its NHWC input x.
 * Geometry as ./conv.ts ConvGeometry. Two directions over the same walk:
 *   im2col (a.add falsy): cols gets, for every output position, the kh × kw × c window of x, zeros where it falls in
 *     the padding; every entry of the rows is written, so a reused buffer needs no clearing.
 *   col2im (a.add truthy): each patch entry is added back onto the x entry it came from (padding entries dropped):
 *     the input gradient from the patches' gradient. Windows of neighbouring rows overlap in x, so a split must not
 *     cut an image: r0, r1 then count whole images (rows r0·ho … r1·ho).
 * A whole kw × c window row inside the image is one contiguous run of x.
 */
export function im2colRows(a: Args, r0: number, r1: number): void {
  const x = a.x as Float32Array;
  const cols = a.cols as Float32Array;
  const add = !!a.add;
  const h = a.h as number, w = a.w as number, c = a.c as number, kh = a.kh as number, kw = a.kw as number;
  const sh = a.sh as number, sw = a.sw as number, top = a.top as number, left = a.left as number, ho = a.ho as number, wo = a.wo as number;
  const row = kw * c;
  const run = (o: number, src: number, len: number) => {
    if (!add) cols.set(x.subarray(src, src + len), o);
    else for (let t = 0; t < len; t++) x[src + t] += cols[o + t];
  };
  const [first, last] = add ? [r0 * ho, r1 * ho] : [r0, r1];
  for (let r = first; r < last; r++) {
    const b = Math.floor(r / ho);
    const oy = r - b * ho;
    let o = r * wo * kh * row;
    for (let ox = 0; ox < wo; ox++) {
      const ix0 = ox * sw - left;
      const inside = ix0 >= 0 && ix0 + kw <= w;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh + ky - top;
        if (iy < 0 || iy >= h) {
          if (!add) cols.fill(0, o, o + row);
          o += row;
          continue;
        }
        const base = (b * h + iy) * w;
        if (inside) {
          run(o, (base + ix0) * c, row);
          o += row;
          continue;
        }
        for (let kx = 0; kx < kw; kx++) {
          const ix = ix0 + kx;
          if (ix >= 0 && ix < w) run(o, (base + ix) * c, c);
          else if (!add) cols.fill(0, o, o + c);
          o += c;
        }
      }
    }
  }
}

/** ReLU in place over rows [r0, r1) of a rows × cols matrix x, branch-free (reluBits). */
export function reluRows(a: Args, r0: number, r1: number): void {
  const x = a.x as Float32Array;
  const cols = a.cols as number;
  reluBits(new Int32Array(x.buffer, x.byteOffset, x.length), r0 * cols, r1 * cols);
}

/** g ⊙ (y > 0) in place over rows [r0, r1) (the ReLU gradient from its output; +0 and −0 stop it), branch-free as
 * reluBits: positive floats are exactly the positive int32s. */
export function maskRows(a: Args, r0: number, r1: number): void {
  const g = a.g as Float32Array;
  const y = a.y as Float32Array;
  const cols = a.cols as number;
  const gv = new Int32Array(g.buffer, g.byteOffset + r0 * cols * 4, (r1 - r0) * cols);
  const yv = new Int32Array(y.buffer, y.byteOffset + r0 * cols * 4, (r1 - r0) * cols);
  for (let k = 0; k < gv.length; k++) gv[k] &= -(yv[k] > 0);
}

/** x[r, j] ← max(x[r, j] + b[j], 0) over rows [r0, r1) of a rows × cols matrix: a layer's bias and ReLU after its
 * sgemm, branch-free (the sum first, then reluBits over the row while it is in cache). */
export function biasReluRows(a: Args, r0: number, r1: number): void {
  const x = a.x as Float32Array;
  const b = a.b as Float32Array;
  const cols = a.cols as number;
  const bits = new Int32Array(x.buffer, x.byteOffset, x.length);
  for (let r = r0; r < r1; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) x[o + j] += b[j];
    reluBits(bits, o, o + cols);
  }
}

/** Rows [r0, r1) of the pair matrix out[(u, i), j] = max(items[i, j] + users[u0 + u, j], 0), r = u·ni + i (the first
 * layer of an MLP over every (user, item) pair whose weights split into a user half and an item half), branch-free. */
export function pairSumReluRows(a: Args, r0: number, r1: number): void {
  const out = a.out as Float32Array;
  const items = a.items as Float32Array;
  const users = a.users as Float32Array;
  const ni = a.ni as number, h = a.h as number, u0 = a.u0 as number;
  const bits = new Int32Array(out.buffer, out.byteOffset, out.length);
  for (let r = r0; r < r1; r++) {
    const u = Math.floor(r / ni);
    const io = (r - u * ni) * h;
    const uo = (u0 + u) * h;
    const o = r * h;
    for (let j = 0; j < h; j++) out[o + j] = items[io + j] + users[uo + j];
    reluBits(bits, o, o + h);
  }
}

/**
 * One Adam step (torch's formula) in place over rows [r0, r1) of a parameter seen as rows × cols: m ← β1·m + (1 − β1)·g,
 * v ← β2·v + (1 − β2)·g², xo ← x − step·m / (√v·ib + ε), with step = lr / (1 − β1^t) and ib = 1 / √(1 − β2^t)
 * computed by the caller (../optim/adam.ts). xo may be x.
 */
export function adamRows(a: Args, r0: number, r1: number): void {
  const x = a.x as Float32Array, g = a.g as Float32Array, m = a.m as Float32Array, v = a.v as Float32Array, xo = a.xo as Float32Array;
  const step = a.step as number, ib = a.ib as number, b1 = a.b1 as number, b2 = a.b2 as number, eps = a.eps as number, cols = a.cols as number;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = r0 * cols, end = r1 * cols; i < end; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + c1 * gi;
    const vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    xo[i] = x[i] - (step * mi) / (Math.sqrt(vi) * ib + eps);
  }
}

/** Bytes of shared arrays a worker receives between two collections of its garbage. */
const WORKER_COLLECT_BYTES = 256 * 2 ** 20;

const KERNELS: Record<string, RowKernel> = { biasSigmoidFwd, biasSigmoidBwd, maskedSseFwd, localKernelFwd, localKernelBwd, im2colRows, reluRows, maskRows, adamRows, biasReluRows, pairSumReluRows };

/**
 * The workers' source. Every call posts its shared arrays; each post makes new SharedArrayBuffer objects in the
 * worker, and a backing store is freed only when every isolate holding it has collected its objects. A worker's heap
 * barely grows, so V8 would almost never collect it and every array a worker ever saw would stay resident (GLocal-K
 * on a 3000 × 3000 matrix: about 1 GiB more per epoch). So a worker collects its garbage after every 256 MiB of
 * shared arrays it has been handed (a full GC of its tiny heap takes about a millisecond).
 */
const WORKER_SOURCE = `
const { parentPort } = require('worker_threads');
${HELPERS.map((fn) => fn.toString()).join('\n')}
const K = {};
${Object.entries(KERNELS).map(([name, fn]) => `K[${JSON.stringify(name)}] = (${fn.toString()});`).join('\n')}
let collect = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;
if (!collect) {
  try {
    require('v8').setFlagsFromString('--expose-gc');
    collect = require('vm').runInNewContext('gc');
  } catch (e) { /* without it the arrays are freed whenever V8 collects on its own */ }
}
const COLLECT_AFTER = ${WORKER_COLLECT_BYTES};
let received = 0;
parentPort.on('message', (m) => {
  try {
    K[m.op](m.args, m.r0, m.r1, m.part);
    Atomics.store(m.flag, 0, 1);
  } catch (e) {
    const text = new TextEncoder().encode(String((e && e.stack) || e)).subarray(0, m.error.length);
    m.error.fill(0);
    m.error.set(text);
    Atomics.store(m.flag, 0, 2);
  }
  Atomics.notify(m.flag, 0);
  for (const v of Object.values(m.args)) if (v && typeof v === 'object' && v.byteLength) received += v.byteLength;
  if (collect && received >= COLLECT_AFTER) {
    received = 0;
    m = undefined;
    collect();
  }
});
`;

// ---- shared memory -----------------------------------------------------------------------------------------------

/** Work (elements × cost) below which a call runs on the main thread alone (a worker round trip is ~50 µs). */
const MIN_PARALLEL_WORK = 50_000;

/** Whether a typed array lives on shared memory (the workers see it). */
export function isShared(a: { buffer: ArrayBufferLike }): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** A zeroed Float32Array on shared memory when a pool is active (plain memory otherwise). */
export function sharedF32(n: number): Float32Array {
  return pool && n > 0 ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
}

export function sharedF64(n: number): Float64Array {
  return pool && n > 0 ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
}

/** v (n × d, row-major) transposed to d × n in float64, on shared memory when a pool is active (for distanceRow). */
export function transposedF64(v: ArrayLike<number>, n: number, d: number): Float64Array {
  const vt = sharedF64(d * n);
  for (let j = 0; j < n; j++) for (let k = 0; k < d; k++) vt[k * n + j] = v[j * d + k];
  return vt;
}

const copies = new WeakMap<Float32Array, Float32Array>();
const observed = new WeakMap<Float32Array, { idx: Int32Array; rowStart: Int32Array }>();

/**
 * The flat indices of the non-zero entries of a rows × cols mask, ascending, with each row's first position
 * (rowStart has rows + 1 entries). Cached per array: a run's training mask is indexed once.
 */
export function observedEntries(mask: Float32Array, rows: number, cols: number): { idx: Int32Array; rowStart: Int32Array } {
  let o = observed.get(mask);
  if (o && o.rowStart.length === rows + 1) return o;
  let nnz = 0;
  for (let k = 0; k < mask.length; k++) if (mask[k] !== 0) nnz++;
  const idx = pool ? new Int32Array(new SharedArrayBuffer(Math.max(1, nnz) * 4)) : new Int32Array(nnz);
  const rowStart = pool ? new Int32Array(new SharedArrayBuffer((rows + 1) * 4)) : new Int32Array(rows + 1);
  let t = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = t;
    for (let c = 0, k = r * cols; c < cols; c++, k++) if (mask[k] !== 0) idx[t++] = k;
  }
  rowStart[rows] = t;
  o = { idx, rowStart };
  observed.set(mask, o);
  return o;
}

/**
 * The array itself when it is already on shared memory, otherwise a shared copy. Tensor values never change in
 * place, so the copy is cached per array (a constant ratings matrix is copied once per run, not per evaluation).
 */
export function toShared(a: Float32Array): Float32Array {
  if (!pool || a.buffer instanceof SharedArrayBuffer) return a;
  let c = copies.get(a);
  if (!c) {
    c = new Float32Array(new SharedArrayBuffer(a.length * 4));
    c.set(a);
    copies.set(a, c);
  }
  return c;
}

// ---- the pool ----------------------------------------------------------------------------------------------------

interface Slot {
  worker: Worker;
  flag: Int32Array;
  /** the worker's error text, when a kernel throws there (UTF-8, zero-padded) */
  error: Uint8Array;
}

let pool: Slot[] | undefined;

/** Starts (threads − 1) workers (threads default: cores); threads ≤ 1 stops them. Returns the thread count used. */
export function setParallelThreads(threads?: number): number {
  const want = Math.max(1, Math.floor(threads && threads > 0 ? threads : os.cpus().length));
  if ((pool?.length ?? 0) + 1 === want) return want;
  stopParallel();
  if (want <= 1) return 1;
  const slots: Slot[] = [];
  try {
    for (let t = 1; t < want; t++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      worker.on('error', () => { /* reported through the flag of the call that failed */ });
      slots.push({ worker, flag: new Int32Array(new SharedArrayBuffer(4)), error: new Uint8Array(new SharedArrayBuffer(2048)) });
    }
  } catch {
    for (const s of slots) void s.worker.terminate();
    return 1;
  }
  pool = slots;
  return want;
}

/** Whether a worker pool is running (shared arrays then pay off). */
export function sharedPool(): boolean {
  return !!pool;
}

export function stopParallel(): void {
  if (!pool) return;
  for (const s of pool) void s.worker.terminate();
  pool = undefined;
}

/**
 * Runs kernel `op` over rows [0, rows) split into one range per thread (fewer when the work is small) and returns
 * the number of ranges used, so the caller knows how many partial slots to add up. Every typed array in args must
 * be on shared memory when more than one range is used (sharedF32 / toShared).
 */
export function parallelRows(op: keyof typeof KERNELS, args: Args, rows: number, workPerRow: number): number {
  const kernel = KERNELS[op];
  const parts = rangesFor(rows, workPerRow);
  if (parts === 1) {
    kernel(args, 0, rows, 0);
    return 1;
  }
  const slots = pool!.slice(0, parts - 1);
  const bound = (p: number) => Math.round((rows * p) / parts);
  for (let p = 1; p < parts; p++) {
    const s = slots[p - 1];
    Atomics.store(s.flag, 0, 0);
    s.worker.postMessage({ op, args, r0: bound(p), r1: bound(p + 1), part: p, flag: s.flag, error: s.error });
  }
  let err: unknown;
  try {
    kernel(args, 0, bound(1), 0);
  } catch (e) {
    err = e;
  }
  for (const s of slots) {
    while (Atomics.load(s.flag, 0) === 0) Atomics.wait(s.flag, 0, 0, 1000);
    if (Atomics.load(s.flag, 0) === 2) err ??= new Error(`parallel kernel ${op} failed in a worker: ${new TextDecoder().decode(s.error.slice()).replace(/\0+$/, '')}`);
  }
  if (err) throw err;
  return parts;
}

/** The number of row ranges parallelRows would use (to size partials before the call). */
export function rangesFor(rows: number, workPerRow: number): number {
  return pool && rows > 1 && rows * workPerRow >= MIN_PARALLEL_WORK ? Math.min(pool.length + 1, rows) : 1;
}
