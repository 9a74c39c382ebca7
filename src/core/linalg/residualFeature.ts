/**
 * DLR²'s residual feature network (../models/ranking/dlr2Net.ts) in training mode as one fused forward and backward
 * pass on BLAS: the same arithmetic as the layers (1×1 conv + ReLU → 3×3 block with identity shortcut → stride-2 3×3
 * block with a 1×1 stride-2 conv + batch-norm shortcut → flatten → linear), float32, but
 *   - activations are channel-major ([channel][image, row, column]), so every convolution is one sgemm with the
 *     channels as its short side (M = 64 or 128) and the positions as its long side: OpenBLAS splits and packs that
 *     shape far better on two threads than positions × channels (BENCHMARKS.md "Top-N ranking" has the step time);
 *   - the patch matrix of a stride-1 'same' convolution is, row by row, the channel's plane shifted by a constant
 *     offset (one contiguous copy per filter tap) with the image borders cleared; the forward's patch matrices are
 *     kept for the filter gradients;
 *   - the first 3×3 convolution sees relu(w0[c]·x[p]) = relu(w0[c])·x⁺[p] + relu(−w0[c])·x⁻[p], a rank-2 input: it
 *     runs on the 9 shifts of x⁺ and x⁻ with the filter contracted over its input channels (K = 18, not 9·64), and
 *     its filter gradient, the gradient of w0 and of x come from two thin sgemms (R and Z in backward) — the same
 *     sums regrouped, about a fifth of the step's arithmetic saved;
 *   - ReLU and its gradient are applied in place on the sgemm outputs, and the residual sums are folded in;
 *   - the input gradients of the stride-1 3×3 convolutions are forward convolutions of dy with the flipped filters,
 *     the stride-2 one a strided scatter-add of the patches' gradient.
 * Inputs, weights, features and gradients keep the layers' layouts (NHWC input, [kh, kw, in, out] filters, the
 * linear layer on the NHWC flattening); only the internals are channel-major.
 * Pure numeric code: no tfjs, no vscode. The op that exposes it to tfjs (with its gradient) is in ./ops.ts.
 *
 * Shapes: x [n, h, w, 1]; w0 [1, 1, 1, c1]; w1, w2 [3, 3, c1, c1]; w3 [3, 3, c1, c2] (stride 2, padding 1 on every
 * side); w4 [3, 3, c2, c2]; w5 [1, 1, c1, c2] (stride 2); gamma, beta [c2]; fcK [ho·wo·c2, d]; fcB [d].
 */
import type { Blas } from './blas';
import { flatRows, isShared, maskRows, parallelRows, reluRows, sharedF32 } from './parallel';

export interface ResFeatureWeights {
  w0: Float32Array; w1: Float32Array; w2: Float32Array; w3: Float32Array; w4: Float32Array; w5: Float32Array;
  gamma: Float32Array; beta: Float32Array; fcK: Float32Array; fcB: Float32Array;
}

export interface ResFeatureShape { n: number; h: number; w: number; c1: number; c2: number; d: number; eps: number }

export interface ResFeatureGrads {
  dx: Float32Array; w0: Float32Array; w1: Float32Array; w2: Float32Array; w3: Float32Array; w4: Float32Array; w5: Float32Array;
  gamma: Float32Array; beta: Float32Array; fcK: Float32Array; fcB: Float32Array;
}

/** What the forward keeps for the backward (its buffers go back to the pool when the backward is done). All
 * channel-major but x2n, the last activation in the NHWC order of the linear layer. */
interface Tape {
  x: Float32Array; W: ResFeatureWeights;
  /** The first convolution's split of w0 (u = relu(w0), v = relu(−w0)) and its contracted filter E. */
  first: { u: Float32Array; v: Float32Array; E: Float32Array };
  xpn: Float32Array; colsX: Float32Array; a1: Float32Array; b1: Float32Array; colsB: Float32Array; x1: Float32Array;
  colsC: Float32Array; z1: Float32Array; colsD: Float32Array; x2n: Float32Array; xs: Float32Array;
  xhat: Float32Array; inv: Float32Array;
}

/** Output size of the stride-2 block (3×3, stride 2, padding 1) for an h × w input. */
export function resFeatureOutSize(h: number, w: number): { ho: number; wo: number } {
  return { ho: Math.floor((h - 1) / 2) + 1, wo: Math.floor((w - 1) / 2) + 1 };
}

/**
 * The patch matrix of a stride-1 'same' k×k convolution (k odd) of channel-major src ([C][n·h·w]): row
 * (ky·k + kx)·C + c is channel c's plane shifted by (ky − pad, kx − pad), zero where the window leaves its image.
 * For one (ky, kx) the C rows are the whole of src shifted by one offset, so they are one contiguous copy; the
 * entries that copy takes from a neighbouring row, image or channel are exactly those whose window leaves the image,
 * and are cleared after it. Every entry is written, so a reused buffer needs no clearing.
 */
export function shiftCols(src: Float32Array, C: number, n: number, h: number, w: number, k: number, cols: Float32Array): Float32Array {
  const P = n * h * w;
  const CP = C * P;
  const hw = h * w;
  const pad = (k - 1) / 2;
  for (let ky = 0; ky < k; ky++) {
    const dy = ky - pad;
    // image rows whose source row is outside the image: [y0, y1)
    const y0 = dy < 0 ? 0 : Math.max(0, h - dy);
    const y1 = dy < 0 ? Math.min(h, -dy) : h;
    for (let kx = 0; kx < k; kx++) {
      const dx = kx - pad;
      const x0 = dx < 0 ? 0 : Math.max(0, w - dx);
      const x1 = dx < 0 ? Math.min(w, -dx) : w;
      const off = dy * w + dx;
      const block = (ky * k + kx) * CP;
      const lo = Math.min(CP, Math.max(0, -off));
      const hi = Math.max(lo, Math.min(CP, CP - off));
      if (hi > lo) cols.set(src.subarray(lo + off, hi + off), block + lo);
      cols.fill(0, block, block + lo);
      cols.fill(0, block + hi, block + CP);
      if (y1 <= y0 && x1 <= x0) continue;
      for (let img = block; img < block + CP; img += hw) {
        if (y1 > y0) cols.fill(0, img + y0 * w, img + y1 * w);
        if (x1 > x0) for (let r = img; r < img + hw; r += w) for (let x = x0; x < x1; x++) cols[r + x] = 0;
      }
    }
  }
  return cols;
}

/** Geometry of a strided convolution in channel-major layout. */
interface Strided { n: number; h: number; w: number; C: number; k: number; s: number; pad: number; ho: number; wo: number }

/**
 * The patch matrix of a strided k×k convolution with `pad` zeros on every side, channel-major: row (ky·k + kx)·C + c,
 * column (image, oy, ox) = src[c][image, oy·s + ky − pad, ox·s + kx − pad] (zero outside). With `add`, the adjoint:
 * each entry of cols is added back onto the src entry it came from (the input gradient's scatter-add).
 */
export function stridedCols(src: Float32Array, g: Strided, cols: Float32Array, add = false): void {
  const { n, h, w, C, k, s, pad, ho, wo } = g;
  const P = n * h * w;
  const Q = n * ho * wo;
  // the first and one-past-last ox whose source column is inside the image, per kx
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      const dx = kx - pad;
      const ox0 = Math.max(0, Math.ceil(-dx / s));
      const ox1 = Math.min(wo, Math.floor((w - 1 - dx) / s) + 1);
      for (let c = 0; c < C; c++) {
        const row = ((ky * k + kx) * C + c) * Q;
        for (let b = 0; b < n; b++) {
          for (let oy = 0; oy < ho; oy++) {
            const o = row + (b * ho + oy) * wo;
            const iy = oy * s + ky - pad;
            if (iy < 0 || iy >= h) {
              if (!add) cols.fill(0, o, o + wo);
              continue;
            }
            const base = c * P + (b * h + iy) * w + dx;
            if (add) {
              for (let ox = ox0; ox < ox1; ox++) src[base + ox * s] += cols[o + ox];
            } else {
              if (ox0 > 0) cols.fill(0, o, o + ox0);
              for (let ox = ox0; ox < ox1; ox++) cols[o + ox] = src[base + ox * s];
              if (ox1 < wo) cols.fill(0, o + Math.max(ox1, 0), o + wo);
            }
          }
        }
      }
    }
  }
}

/** dst[c][r] = src[r][c] for src rows × cols, in 32 × 32 tiles (both sides stay in cache). */
export function transposeInto(src: Float32Array, rows: number, cols: number, dst: Float32Array): Float32Array {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) for (let c = c0, o = r * cols; c < c1; c++) dst[c * rows + r] = src[o + c];
    }
  }
  return dst;
}

/** A k×k filter [k, k, ci, co] flipped in space with its channels swapped: f'[ky, kx, o, c] = f[k−1−ky, k−1−kx, c, o]
 * (the filter of the input gradient of a stride-1 'same' convolution, as a forward convolution of dy). */
function flipFilter(f: Float32Array, k: number, ci: number, co: number): Float32Array {
  const out = new Float32Array(f.length);
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      const src = ((k - 1 - ky) * k + (k - 1 - kx)) * ci * co;
      const dst = (ky * k + kx) * co * ci;
      for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) out[dst + o * ci + c] = f[src + c * co + o];
    }
  }
  return out;
}

/** u = relu(w), v = relu(−w). */
function splitSigns(w: Float32Array): { u: Float32Array; v: Float32Array } {
  const u = new Float32Array(w.length);
  const v = new Float32Array(w.length);
  for (let c = 0; c < w.length; c++) {
    u[c] = w[c] > 0 ? w[c] : 0;
    v[c] = w[c] < 0 ? -w[c] : 0;
  }
  return { u, v };
}

/** A 3×3 filter [3, 3, c, co] contracted over its input channels with u and with v: E[(tap, 0)][co] = Σ_c u[c]·
 * f[tap][c][co], E[(tap, 1)][co] the same with v ([18, co], float64 sums). */
function contractFilter(f: Float32Array, u: Float32Array, v: Float32Array, co: number): Float32Array {
  const c = u.length;
  const E = new Float32Array(18 * co);
  const au = new Float64Array(co);
  const av = new Float64Array(co);
  for (let t = 0; t < 9; t++) {
    au.fill(0);
    av.fill(0);
    for (let ci = 0; ci < c; ci++) {
      const o = (t * c + ci) * co;
      const uc = u[ci];
      const vc = v[ci];
      for (let k = 0; k < co; k++) {
        au[k] += uc * f[o + k];
        av[k] += vc * f[o + k];
      }
    }
    E.set(au, 2 * t * co);
    E.set(av, (2 * t + 1) * co);
  }
  return E;
}

/** The adjoint of shiftCols: dst[c][p] += Σ_(ky, kx) cols[(ky·k + kx)·C + c][p − offset] over the windows that
 * took p (the input gradient of a stride-1 'same' convolution from its patches' gradient). */
export function shiftColsAdjoint(cols: Float32Array, C: number, n: number, h: number, w: number, k: number, dst: Float32Array): Float32Array {
  const P = n * h * w;
  const hw = h * w;
  const pad = (k - 1) / 2;
  for (let ky = 0; ky < k; ky++) {
    const dy = ky - pad;
    const ya = Math.max(0, -dy);
    const yb = Math.min(h, h - dy);
    for (let kx = 0; kx < k; kx++) {
      const dx = kx - pad;
      const xa = Math.max(0, -dx);
      const xb = Math.min(w, w - dx);
      const off = dy * w + dx;
      for (let c = 0; c < C; c++) {
        const row = ((ky * k + kx) * C + c) * P;
        const to = c * P + off;
        for (let b = 0; b < n; b++) {
          for (let y = ya; y < yb; y++) {
            const q0 = b * hw + y * w;
            for (let x = xa; x < xb; x++) dst[to + q0 + x] += cols[row + q0 + x];
          }
        }
      }
    }
  }
  return dst;
}

export class ResidualFeature {
  private readonly pool = new Map<string, Float32Array[]>();
  private readonly scratch = new Map<string, Float32Array>();
  readonly ho: number;
  readonly wo: number;
  readonly P: number;
  readonly Q: number;
  private readonly g3: Strided;
  /** Pixel index in an n·h·w plane of each stride-2 position (the shortcut's input columns): gathered forward,
   * added back backward. */
  private readonly s2: Int32Array;

  constructor(private readonly blas: Blas, readonly s: ResFeatureShape) {
    const { ho, wo } = resFeatureOutSize(s.h, s.w);
    this.ho = ho;
    this.wo = wo;
    this.P = s.n * s.h * s.w;
    this.Q = s.n * ho * wo;
    this.g3 = { n: s.n, h: s.h, w: s.w, C: s.c1, k: 3, s: 2, pad: 1, ho, wo };
    this.s2 = new Int32Array(this.Q);
    for (let b = 0, q = 0; b < s.n; b++) {
      for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++, q++) this.s2[q] = (b * s.h + 2 * oy) * s.w + 2 * ox;
    }
  }

  /** The filter gradient [K, co] of a convolution from its output gradient dy [co][cols] and patches [K][cols]:
   * dy · patchesᵀ ([co, K], the fast sgemm shape) transposed. */
  private filterGrad(dy: Float32Array, patches: Float32Array, co: number, K: number, cols: number, out: Float32Array): Float32Array {
    const t = this.buffer(`filterGrad${co * K}`, co * K);
    this.blas.sgemm(false, true, co, K, cols, 1, dy, cols, patches, cols, 0, t, K);
    return transposeInto(t, co, K, out);
  }

  /** A buffer of the forward's tape: from the pool when one is free (handed back by the backward). */
  private take(name: string, len: number): Float32Array {
    const list = this.pool.get(name);
    const b = list?.pop();
    return b && b.length === len ? b : new Float32Array(len);
  }

  /** A work buffer that lives within one forward or backward call, reused from call to call (never handed out). */
  private buffer(name: string, len: number): Float32Array {
    let b = this.scratch.get(name);
    if (!b || b.length !== len) {
      b = new Float32Array(len);
      this.scratch.set(name, b);
    }
    return b;
  }

  private give(t: Tape): void {
    for (const [k, v] of Object.entries(t)) {
      if (k === 'x' || k === 'W' || !(v instanceof Float32Array)) continue;
      const list = this.pool.get(k) ?? [];
      if (list.length < 2) list.push(v);
      this.pool.set(k, list);
    }
  }

  /** Training-mode forward: the features [n, d] and the shortcut's batch mean and (biased) variance. With `stats`,
   * inference mode: the batch norm uses those (the moving mean and variance) and returns them. */
  forward(x: Float32Array, W: ResFeatureWeights, stats?: { mean: Float32Array; variance: Float32Array }): { out: Float32Array; mean: Float32Array; variance: Float32Array; tape: Tape } {
    const { blas, s, P, Q, ho, wo } = this;
    const { n, h, w, c1, c2, d } = s;
    const K1 = 9 * c1;
    const K4 = 9 * c2;
    // 1×1 conv from one channel + ReLU: a1[c][p] = relu(w0[c]·x[p]) = u[c]·x⁺[p] + v[c]·x⁻[p] with u = relu(w0),
    // v = relu(−w0), x⁺ = relu(x), x⁻ = relu(−x): for each (c, p) one term is that product itself and the other 0,
    // so a1 is the same array; being of rank 2, the first 3×3 convolution of it needs only the 9 shifts of x⁺ and
    // x⁻ and the filter contracted with u and v (K = 18 instead of 9·c1)
    const xpn = this.take('xpn', 2 * P);
    for (let p = 0; p < P; p++) {
      const v = x[p];
      xpn[p] = v > 0 || v !== v ? v : 0;
      xpn[P + p] = v < 0 ? -v : v !== v ? v : 0;
    }
    const { u, v } = splitSigns(W.w0);
    const a1 = this.take('a1', c1 * P);
    for (let c = 0; c < c1; c++) {
      const o = c * P;
      if (u[c] > 0) for (let p = 0, uc = u[c]; p < P; p++) a1[o + p] = uc * xpn[p];
      else if (v[c] > 0) for (let p = 0, vc = v[c]; p < P; p++) a1[o + p] = vc * xpn[P + p];
      else a1.fill(W.w0[c] === 0 ? 0 : NaN, o, o + P);
    }
    // block 1: b1 = relu(conv(a1, w1)); x1 = relu(conv(b1, w2) + a1)
    const colsX = shiftCols(xpn, 2, n, h, w, 3, this.take('colsX', 18 * P));
    const E = contractFilter(W.w1, u, v, c1);
    const b1 = this.take('b1', c1 * P);
    blas.sgemm(true, false, c1, P, 18, 1, E, c1, colsX, P, 0, b1, P);
    reluInPlace(b1);
    const colsB = shiftCols(b1, c1, n, h, w, 3, this.take('colsB', K1 * P));
    const x1 = this.take('x1', c1 * P);
    x1.set(a1);
    blas.sgemm(true, false, c1, P, K1, 1, W.w2, c1, colsB, P, 1, x1, P);
    reluInPlace(x1);
    // block 2: z1 = relu(conv_s2(x1, w3)); z2 = conv(z1, w4); sc = bn(conv1x1_s2(x1, w5)); x2 = relu(z2 + sc)
    const colsC = this.take('colsC', K1 * Q);
    stridedCols(x1, this.g3, colsC);
    const z1 = this.take('z1', c2 * Q);
    blas.sgemm(true, false, c2, Q, K1, 1, W.w3, c2, colsC, Q, 0, z1, Q);
    reluInPlace(z1);
    const colsD = shiftCols(z1, c2, n, ho, wo, 3, this.take('colsD', K4 * Q));
    const x2 = this.buffer('x2', c2 * Q);
    blas.sgemm(true, false, c2, Q, K4, 1, W.w4, c2, colsD, Q, 0, x2, Q);
    // the shortcut: x1 at the stride-2 positions, one sgemm, batch norm over the Q columns of each channel
    const xs = this.take('xs', c1 * Q);
    for (let c = 0; c < c1; c++) for (let q = 0, o = c * Q, src = c * P; q < Q; q++) xs[o + q] = x1[src + this.s2[q]];
    const xhat = this.take('xhat', c2 * Q);
    blas.sgemm(true, false, c2, Q, c1, 1, W.w5, c2, xs, Q, 0, xhat, Q);
    const mean = new Float32Array(c2);
    const variance = new Float32Array(c2);
    const inv = this.take('inv', c2);
    for (let c = 0; c < c2; c++) {
      const o = c * Q;
      let m: number;
      if (stats) {
        m = stats.mean[c];
        variance[c] = stats.variance[c];
      } else {
        let acc = 0;
        for (let q = 0; q < Q; q++) acc += xhat[o + q];
        m = acc / Q;
        acc = 0;
        for (let q = 0; q < Q; q++) {
          const t = xhat[o + q] - m;
          acc += t * t;
        }
        variance[c] = acc / Q;
      }
      mean[c] = m;
      const iv = 1 / Math.sqrt(variance[c] + s.eps);
      inv[c] = iv;
      const mf = Math.fround(m);
      const ivf = Math.fround(iv);
      const ga = W.gamma[c];
      const be = W.beta[c];
      for (let q = 0; q < Q; q++) {
        const hq = (xhat[o + q] - mf) * ivf;
        xhat[o + q] = hq;
        x2[o + q] += ga * hq + be;
      }
    }
    // flattened in the layers' NHWC order (rows (image, oy, ox), columns channels), ReLU → linear
    const x2n = transposeInto(x2, c2, Q, this.take('x2n', Q * c2));
    reluInPlace(x2n);
    const F = ho * wo * c2;
    const out = new Float32Array(n * d);
    for (let b = 0; b < n; b++) out.set(W.fcB, b * d);
    blas.sgemm(false, false, n, d, F, 1, x2n, F, W.fcK, d, 1, out, d);
    return { out, mean, variance, tape: { x, W, first: { u, v, E }, xpn, colsX, a1, b1, colsB, x1, colsC, z1, colsD, x2n, xs, xhat, inv } };
  }

  /** Inference-mode features of x [n, h, w, 1] (any n, in slices of this net's batch size; a short last slice is
   * padded with zero images, whose rows are dropped): the batch norm uses the moving statistics given. */
  infer(x: Float32Array, count: number, W: ResFeatureWeights, mean: Float32Array, variance: Float32Array): Float32Array {
    const { n, h, w, d } = this.s;
    const img = h * w;
    const out = new Float32Array(count * d);
    const slice = new Float32Array(n * img);
    for (let a = 0; a < count; a += n) {
      const k = Math.min(n, count - a);
      slice.set(x.subarray(a * img, (a + k) * img));
      if (k < n) slice.fill(0, k * img);
      const r = this.forward(slice, W, { mean, variance });
      this.give(r.tape);
      out.set(r.out.subarray(0, k * d), a * d);
    }
    return out;
  }

  /** Gradients of Σ dout ⊙ forward(x) with respect to x and every weight; releases the tape's buffers. `alloc`
   * gives the arrays the gradients are written to (every entry is written), by name: fresh shared ones unless the
   * caller recycles its own. */
  backward(tape: Tape, dout: Float32Array, alloc: (name: keyof ResFeatureGrads, len: number) => Float32Array = (_, len) => sharedF32(len)): ResFeatureGrads {
    const { blas, s, P, Q, ho, wo } = this;
    const { n, h, w, c1, c2, d } = s;
    const { W } = tape;
    const F = ho * wo * c2;
    const K1 = 9 * c1;
    const K4 = 9 * c2;
    // linear
    const fcK = alloc('fcK', F * d);
    blas.sgemm(true, false, F, d, n, 1, tape.x2n, F, dout, d, 0, fcK, d);
    const fcB = alloc('fcB', d).fill(0);
    for (let b = 0; b < n; b++) for (let j = 0; j < d; j++) fcB[j] += dout[b * d + j];
    const dx2n = this.buffer('dx2n', Q * c2);
    blas.sgemm(false, true, n, F, d, 1, dout, d, W.fcK, d, 0, dx2n, F);
    maskInPlace(dx2n, tape.x2n);
    const dx2 = transposeInto(dx2n, Q, c2, this.buffer('dx2', c2 * Q));
    // batch norm of the shortcut, per channel row
    const gamma = alloc('gamma', c2);
    const beta = alloc('beta', c2);
    const dsc = this.buffer('dsc', c2 * Q);
    const xhat = tape.xhat;
    for (let c = 0; c < c2; c++) {
      const o = c * Q;
      let ag = 0;
      let ab = 0;
      for (let q = 0; q < Q; q++) {
        ag += dx2[o + q] * xhat[o + q];
        ab += dx2[o + q];
      }
      gamma[c] = ag;
      beta[c] = ab;
      const scale = Math.fround((W.gamma[c] * tape.inv[c]) / Q);
      const agf = Math.fround(ag);
      const abf = Math.fround(ab);
      for (let q = 0; q < Q; q++) dsc[o + q] = scale * (Q * dx2[o + q] - abf - xhat[o + q] * agf);
    }
    const w5 = alloc('w5', c1 * c2);
    blas.sgemm(false, true, c1, c2, Q, 1, tape.xs, Q, dsc, Q, 0, w5, c2);
    const dxs = this.buffer('dxs', c1 * Q);
    blas.sgemm(false, false, c1, Q, c2, 1, W.w5, c2, dsc, Q, 0, dxs, Q);
    // block 2 main path
    const w4 = this.filterGrad(dx2, tape.colsD, c2, K4, Q, alloc('w4', K4 * c2));
    const colsDy = shiftCols(dx2, c2, n, ho, wo, 3, tape.colsD);
    const dz1 = this.buffer('dz1', c2 * Q);
    blas.sgemm(true, false, c2, Q, K4, 1, flipFilter(W.w4, 3, c2, c2), c2, colsDy, Q, 0, dz1, Q);
    maskInPlace(dz1, tape.z1);
    const w3 = this.filterGrad(dz1, tape.colsC, c2, K1, Q, alloc('w3', K1 * c2));
    const dcolsC = tape.colsC;
    blas.sgemm(false, false, K1, Q, c2, 1, W.w3, c2, dz1, Q, 0, dcolsC, Q);
    const dx1 = this.buffer('dx1', c1 * P);
    dx1.fill(0);
    stridedCols(dx1, this.g3, dcolsC, true);
    for (let c = 0; c < c1; c++) for (let q = 0, o = c * Q, dst = c * P; q < Q; q++) dx1[dst + this.s2[q]] += dxs[o + q];
    maskInPlace(dx1, tape.x1);
    // block 1 (dx1 is now the gradient of the residual sum: it reaches both conv(b1, w2) and a1)
    const w2 = this.filterGrad(dx1, tape.colsB, c1, K1, P, alloc('w2', K1 * c1));
    const db1 = this.buffer('db1', c1 * P);
    blas.sgemm(true, false, c1, P, K1, 1, flipFilter(W.w2, 3, c1, c1), c1, shiftCols(dx1, c1, n, h, w, 3, tape.colsB), P, 0, db1, P);
    maskInPlace(db1, tape.b1);
    // the first convolution, through the rank-2 a1 of the forward: R[co][(tap, ±)] = Σ_p db1[co][p]·colsX[(tap, ±)][p]
    // gives its filter gradient u[ci]·R[co][(tap, +)] + v[ci]·R[co][(tap, −)]
    const { u, v, E } = tape.first;
    const R = this.buffer('R', c1 * 18);
    blas.sgemm(false, true, c1, 18, P, 1, db1, P, tape.colsX, P, 0, R, 18);
    const w1 = alloc('w1', K1 * c1);
    for (let t = 0; t < 9; t++) {
      for (let ci = 0; ci < c1; ci++) {
        for (let co = 0, o = (t * c1 + ci) * c1; co < c1; co++) w1[o + co] = u[ci] * R[co * 18 + 2 * t] + v[ci] * R[co * 18 + 2 * t + 1];
      }
    }
    // the 1×1 conv from one channel. With D = convᵀ(db1, w1) + dx1 (a1's gradient before its ReLU mask), the mask
    // is a1 > 0, i.e. x > 0 where w0 > 0 and x < 0 where w0 < 0, so
    //   ∂w0[c] = Σ_p x⁺[p]·D[c][p] (w0[c] > 0), −Σ_p x⁻[p]·D[c][p] (w0[c] < 0);
    //   ∂x[p] = Σ_c u[c]·D[c][p] (x[p] > 0), −Σ_c v[c]·D[c][p] (x[p] < 0).
    // The convᵀ parts of these come from R and from Z = E·db1 ([(tap, ±)][p]) shifted back; dx1's parts directly.
    const gp = new Float64Array(c1);
    const gn = new Float64Array(c1);
    for (let t = 0; t < 9; t++) {
      for (let c = 0; c < c1; c++) {
        const o = (t * c1 + c) * c1;
        let ap = 0;
        let an = 0;
        for (let co = 0; co < c1; co++) {
          ap += W.w1[o + co] * R[co * 18 + 2 * t];
          an += W.w1[o + co] * R[co * 18 + 2 * t + 1];
        }
        gp[c] += ap;
        gn[c] += an;
      }
    }
    const Z = this.buffer('Z', 18 * P);
    blas.sgemm(false, false, 18, P, c1, 1, E, c1, db1, P, 0, Z, P);
    const suv = this.buffer('suv', 2 * P).fill(0);
    shiftColsAdjoint(Z, 2, n, h, w, 3, suv);
    const xpn = tape.xpn;
    for (let c = 0; c < c1; c++) {
      const o = c * P;
      const pos = u[c] > 0;
      if (!pos && !(v[c] > 0)) continue;
      const coef = pos ? u[c] : v[c];
      const xs = pos ? 0 : P;
      let acc = 0;
      for (let p = 0; p < P; p++) {
        const g = dx1[o + p];
        acc += xpn[xs + p] * g;
        suv[xs + p] += coef * g;
      }
      if (pos) gp[c] += acc;
      else gn[c] += acc;
    }
    const w0 = alloc('w0', c1);
    for (let c = 0; c < c1; c++) w0[c] = u[c] > 0 ? gp[c] : v[c] > 0 ? -gn[c] : 0;
    const dx = alloc('dx', P);
    const x = tape.x;
    for (let p = 0; p < P; p++) dx[p] = x[p] > 0 ? suv[p] : x[p] < 0 ? -suv[P + p] : 0;
    this.give(tape);
    return { dx, w0, w1, w2, w3, w4, w5, gamma, beta, fcK, fcB };
  }
}

/** max(a, 0) in place (−0 and negatives become +0), branch-free (./parallel.ts reluRows), split over the worker
 * pool when a is on shared memory. */
export function reluInPlace(a: Float32Array): void {
  const rows = flatRows(a.length);
  if (isShared(a)) parallelRows('reluRows', { x: a, cols: a.length / rows }, rows, a.length / rows);
  else reluRows({ x: a, cols: a.length }, 0, 1);
}

/** g ⊙ (y > 0) in place: the ReLU gradient from the ReLU's output (y = +0 or −0 stops it), as reluInPlace. */
export function maskInPlace(g: Float32Array, y: Float32Array): void {
  const rows = flatRows(g.length);
  if (isShared(g) && isShared(y)) parallelRows('maskRows', { g, y, cols: g.length / rows }, rows, g.length / rows);
  else maskRows({ g, y, cols: g.length }, 0, 1);
}
