/**
 * DLR²'s residual feature network (../models/ranking/dlr2Net.ts) in training mode as one fused forward and backward
 * pass on BLAS: the same arithmetic as the layers (1×1 conv + ReLU → 3×3 block with identity shortcut → stride-2 3×3
 * block with a 1×1 stride-2 conv + batch-norm shortcut → flatten → linear), NHWC, float32, but
 *   - every convolution is im2col + one sgemm, and the forward's patch matrices are kept for the filter gradients
 *     (the layer-by-layer path builds each of them twice);
 *   - ReLU and its gradient are applied in place on the sgemm outputs, and the residual sums are folded in, instead
 *     of a separate tensor (allocated and zero-filled) per element-wise op;
 *   - the input gradients of the stride-1 3×3 convolutions are forward convolutions of dy with the flipped filters
 *     (conv2dInputGradGemm), the stride-2 one a col2im.
 * Pure numeric code: no tfjs, no vscode. The op that exposes it to tfjs (with its gradient) is in ./ops.ts.
 *
 * Shapes: x [n, h, w, 1]; w0 [1, 1, 1, c1]; w1, w2 [3, 3, c1, c1]; w3 [3, 3, c1, c2] (stride 2, padding 1 on every
 * side); w4 [3, 3, c2, c2]; w5 [1, 1, c1, c2] (stride 2); gamma, beta [c2]; fcK [ho·wo·c2, d]; fcB [d].
 */
import type { Blas } from './blas';
import { conv2dInputGradGemm, im2colInto, type ConvGeometry } from './conv';
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

/** What the forward keeps for the backward (its buffers go back to the pool when the backward is done). */
interface Tape {
  x: Float32Array; W: ResFeatureWeights;
  a1: Float32Array; cols1: Float32Array; b1: Float32Array; cols2: Float32Array; x1: Float32Array;
  cols3: Float32Array; z1: Float32Array; cols4: Float32Array; x2: Float32Array; xs: Float32Array;
  xhat: Float32Array; inv: Float32Array;
}

const geom = (n: number, h: number, w: number, c: number, k: number, co: number, s: number, pad: number): ConvGeometry => ({
  n, h, w, c, kh: k, kw: k, co, sh: s, sw: s, top: pad, left: pad,
  ho: Math.floor((h + 2 * pad - k) / s) + 1, wo: Math.floor((w + 2 * pad - k) / s) + 1,
});

/** Output size of the stride-2 block for an h × w input. */
export function resFeatureOutSize(h: number, w: number): { ho: number; wo: number } {
  const g = geom(1, h, w, 1, 3, 1, 2, 1);
  return { ho: g.ho, wo: g.wo };
}

export class ResidualFeature {
  private readonly pool = new Map<string, Float32Array[]>();
  readonly g1: ConvGeometry;
  readonly g3: ConvGeometry;
  readonly g4: ConvGeometry;
  readonly P: number;
  readonly Q: number;
  /** NHWC offset in x1 of each stride-2 position (the shortcut's input rows): gathered forward, added back backward. */
  private readonly s2: Int32Array;

  constructor(private readonly blas: Blas, readonly s: ResFeatureShape) {
    this.g1 = geom(s.n, s.h, s.w, s.c1, 3, s.c1, 1, 1);
    this.g3 = geom(s.n, s.h, s.w, s.c1, 3, s.c2, 2, 1);
    this.g4 = geom(s.n, this.g3.ho, this.g3.wo, s.c2, 3, s.c2, 1, 1);
    this.P = s.n * s.h * s.w;
    this.Q = s.n * this.g3.ho * this.g3.wo;
    this.s2 = new Int32Array(this.Q);
    for (let b = 0, q = 0; b < s.n; b++) {
      for (let oy = 0; oy < this.g3.ho; oy++) for (let ox = 0; ox < this.g3.wo; ox++, q++) this.s2[q] = ((b * s.h + 2 * oy) * s.w + 2 * ox) * s.c1;
    }
  }

  /** aᵀ·b for a [rows, k] and b [rows, co]: every filter (and linear-layer) gradient here. */
  private transposeProduct(a: Float32Array, b: Float32Array, rows: number, k: number, co: number): Float32Array {
    const out = sharedF32(k * co);
    this.blas.sgemm(true, false, k, co, rows, 1, a, k, b, co, 0, out, co);
    return out;
  }

  private take(name: string, len: number): Float32Array {
    const list = this.pool.get(name);
    const b = list?.pop();
    return b && b.length === len ? b : sharedF32(len);
  }

  private give(t: Tape): void {
    for (const [k, v] of Object.entries(t)) {
      if (k === 'x' || k === 'W' || !(v instanceof Float32Array)) continue;
      const list = this.pool.get(k) ?? [];
      if (list.length < 2) list.push(v);
      this.pool.set(k, list);
    }
  }

  /** Training-mode forward: the features [n, d] and the shortcut's batch mean and (biased) variance. */
  forward(x: Float32Array, W: ResFeatureWeights): { out: Float32Array; mean: Float32Array; variance: Float32Array; tape: Tape } {
    const { blas, s, g1, g3, g4, P, Q } = this;
    const { c1, c2, d } = s;
    // 1×1 conv from one channel + ReLU
    const a1 = this.take('a1', P * c1);
    for (let p = 0, k = 0; p < P; p++) {
      const v = x[p];
      for (let c = 0; c < c1; c++, k++) a1[k] = v * W.w0[c];
    }
    reluInPlace(a1);
    // block 1: b1 = relu(conv(a1, w1)); x1 = relu(conv(b1, w2) + a1)
    const K1 = 9 * c1;
    const cols1 = im2colInto(a1, g1, this.take('cols1', P * K1));
    const b1 = this.take('b1', P * c1);
    blas.sgemm(false, false, P, c1, K1, 1, cols1, K1, W.w1, c1, 0, b1, c1);
    reluInPlace(b1);
    const cols2 = im2colInto(b1, g1, this.take('cols2', P * K1));
    const x1 = this.take('x1', P * c1);
    x1.set(a1);
    blas.sgemm(false, false, P, c1, K1, 1, cols2, K1, W.w2, c1, 1, x1, c1);
    reluInPlace(x1);
    // block 2: z1 = relu(conv_s2(x1, w3)); z2 = conv(z1, w4); sc = bn(conv1x1_s2(x1, w5)); x2 = relu(z2 + sc)
    const cols3 = im2colInto(x1, g3, this.take('cols3', Q * K1));
    const z1 = this.take('z1', Q * c2);
    blas.sgemm(false, false, Q, c2, K1, 1, cols3, K1, W.w3, c2, 0, z1, c2);
    reluInPlace(z1);
    const K4 = 9 * c2;
    const cols4 = im2colInto(z1, g4, this.take('cols4', Q * K4));
    const x2 = this.take('x2', Q * c2);
    blas.sgemm(false, false, Q, c2, K4, 1, cols4, K4, W.w4, c2, 0, x2, c2);
    // the shortcut: x1 at the stride-2 positions, one sgemm, batch norm over the Q rows
    const xs = this.take('xs', Q * c1);
    for (let q = 0; q < Q; q++) xs.set(x1.subarray(this.s2[q], this.s2[q] + c1), q * c1);
    const xhat = this.take('xhat', Q * c2);
    blas.sgemm(false, false, Q, c2, c1, 1, xs, c1, W.w5, c2, 0, xhat, c2);
    const mean = new Float32Array(c2);
    const variance = new Float32Array(c2);
    const inv = this.take('inv', c2);
    const acc = new Float64Array(c2);
    for (let q = 0, k = 0; q < Q; q++) for (let c = 0; c < c2; c++, k++) acc[c] += xhat[k];
    for (let c = 0; c < c2; c++) mean[c] = acc[c] / Q;
    acc.fill(0);
    for (let q = 0, k = 0; q < Q; q++) {
      for (let c = 0; c < c2; c++, k++) {
        const t = xhat[k] - mean[c];
        acc[c] += t * t;
      }
    }
    for (let c = 0; c < c2; c++) {
      variance[c] = acc[c] / Q;
      inv[c] = 1 / Math.sqrt(variance[c] + s.eps);
    }
    for (let q = 0, k = 0; q < Q; q++) {
      for (let c = 0; c < c2; c++, k++) {
        const h = (xhat[k] - mean[c]) * inv[c];
        xhat[k] = h;
        x2[k] += W.gamma[c] * h + W.beta[c];
      }
    }
    reluInPlace(x2);
    // flatten (NHWC rows per sample) → linear
    const F = g3.ho * g3.wo * c2;
    const out = new Float32Array(s.n * d);
    for (let b = 0; b < s.n; b++) out.set(W.fcB, b * d);
    blas.sgemm(false, false, s.n, d, F, 1, x2, F, W.fcK, d, 1, out, d);
    return { out, mean, variance, tape: { x, W, a1, cols1, b1, cols2, x1, cols3, z1, cols4, x2, xs, xhat, inv } };
  }

  /** Gradients of Σ dout ⊙ forward(x) with respect to x and every weight; releases the tape's buffers. */
  backward(tape: Tape, dout: Float32Array): ResFeatureGrads {
    const { blas, s, g1, g3, g4, P, Q } = this;
    const { c1, c2, d } = s;
    const { W } = tape;
    const F = g3.ho * g3.wo * c2;
    const K1 = 9 * c1;
    const K4 = 9 * c2;
    // linear
    const fcK = this.transposeProduct(tape.x2, dout, s.n, F, d);
    const fcB = new Float32Array(d);
    for (let b = 0; b < s.n; b++) for (let j = 0; j < d; j++) fcB[j] += dout[b * d + j];
    const dx2 = sharedF32(Q * c2);
    blas.sgemm(false, true, s.n, F, d, 1, dout, d, W.fcK, d, 0, dx2, F);
    maskInPlace(dx2, tape.x2);
    // batch norm of the shortcut
    const gamma = new Float32Array(c2);
    const beta = new Float32Array(c2);
    const ag = new Float64Array(c2);
    const ab = new Float64Array(c2);
    for (let q = 0, k = 0; q < Q; q++) {
      for (let c = 0; c < c2; c++, k++) {
        ag[c] += dx2[k] * tape.xhat[k];
        ab[c] += dx2[k];
      }
    }
    for (let c = 0; c < c2; c++) {
      gamma[c] = ag[c];
      beta[c] = ab[c];
    }
    const dsc = new Float32Array(Q * c2);
    for (let q = 0, k = 0; q < Q; q++) {
      for (let c = 0; c < c2; c++, k++) {
        dsc[k] = ((W.gamma[c] * tape.inv[c]) / Q) * (Q * dx2[k] - ab[c] - tape.xhat[k] * ag[c]);
      }
    }
    const w5 = this.transposeProduct(tape.xs, dsc, Q, c1, c2);
    const dxs = new Float32Array(Q * c1);
    blas.sgemm(false, true, Q, c1, c2, 1, dsc, c2, W.w5, c2, 0, dxs, c1);
    // block 2 main path
    const w4 = this.transposeProduct(tape.cols4, dx2, Q, K4, c2);
    const dz1 = conv2dInputGradGemm(blas, dx2, W.w4, g4);
    maskInPlace(dz1, tape.z1);
    const w3 = this.transposeProduct(tape.cols3, dz1, Q, K1, c2);
    const dx1 = conv2dInputGradGemm(blas, dz1, W.w3, g3);
    for (let q = 0; q < Q; q++) for (let c = 0, dst = this.s2[q]; c < c1; c++) dx1[dst + c] += dxs[q * c1 + c];
    maskInPlace(dx1, tape.x1);
    // block 1 (dx1 is now the gradient of the residual sum: it reaches both conv(b1, w2) and a1)
    const w2 = this.transposeProduct(tape.cols2, dx1, P, K1, c1);
    const db1 = conv2dInputGradGemm(blas, dx1, W.w2, g1);
    maskInPlace(db1, tape.b1);
    const w1 = this.transposeProduct(tape.cols1, db1, P, K1, c1);
    const da1 = conv2dInputGradGemm(blas, db1, W.w1, g1);
    for (let k = 0; k < da1.length; k++) da1[k] += dx1[k];
    maskInPlace(da1, tape.a1);
    // the 1×1 conv from one channel
    const w0 = new Float32Array(c1);
    const a0 = new Float64Array(c1);
    const dx = new Float32Array(P);
    for (let p = 0, k = 0; p < P; p++) {
      const v = tape.x[p];
      let t = 0;
      for (let c = 0; c < c1; c++, k++) {
        a0[c] += v * da1[k];
        t += da1[k] * W.w0[c];
      }
      dx[p] = t;
    }
    for (let c = 0; c < c1; c++) w0[c] = a0[c];
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
