/**
 * The single-channel 'same' convolution GLocal-K applies to the whole rating matrix (batch 1, one input and one
 * output channel, stride 1, dilation 1, NHWC, odd k×k filter) and its two gradients, as direct loops. The stock
 * tfjs CPU Conv2DBackpropFilter takes seconds on a 1682×943 image; these take milliseconds. Used by the kernels
 * ./kernels/Conv2D*.ts; other shapes go to the stock kernels.
 */
import type { Blas } from './blas';
import { im2colRows, isShared, parallelRows, sharedF32, sharedPool } from './parallel';

export interface ConvAttrs { strides: number | number[]; pad: unknown; dataFormat?: string; dilations?: number | number[]; dimRoundingMode?: string }

const ones = (v: number | number[] | undefined) => v === undefined || (Array.isArray(v) ? v.every((x) => x === 1) : v === 1);

/** Top/left padding when the attributes describe a stride-1 'same' convolution with an odd k×k filter. */
export function samePad(attrs: ConvAttrs, kh: number, kw: number): number | undefined {
  if (!ones(attrs.strides) || !ones(attrs.dilations) || (attrs.dataFormat && attrs.dataFormat !== 'NHWC')) return undefined;
  if (kh !== kw || kh % 2 !== 1) return undefined;
  const p = (kh - 1) / 2;
  if (attrs.pad === 'same') return p;
  if (typeof attrs.pad === 'number' && attrs.pad === p) return p;
  return undefined;
}

/** out[i,j] = Σ_ab x[i+a−p, j+b−p]·f[a,b] — row by row, so each output row stays in cache for all k² taps. */
export function conv2dSame(x: ArrayLike<number>, h: number, w: number, f: ArrayLike<number>, k: number): Float32Array {
  const p = (k - 1) / 2;
  const out = new Float32Array(h * w);
  const row = new Float64Array(w);
  for (let i = 0; i < h; i++) {
    row.fill(0);
    for (let a = 0; a < k; a++) {
      const si = i + a - p;
      if (si < 0 || si >= h) continue;
      const base = si * w;
      for (let b = 0; b < k; b++) {
        const fv = f[a * k + b];
        if (fv === 0) continue;
        const dj = b - p;
        const j0 = Math.max(0, -dj);
        const j1 = Math.min(w, w - dj);
        const src = base + dj;
        for (let j = j0; j < j1; j++) row[j] += x[src + j] * fv;
      }
    }
    for (let j = 0; j < w; j++) out[i * w + j] = row[j];
  }
  return out;
}

/** df[a,b] = Σ_ij dy[i,j]·x[i+a−p, j+b−p] — row by row (float64 accumulation). */
export function conv2dFilterGrad(x: ArrayLike<number>, dy: ArrayLike<number>, h: number, w: number, k: number): Float32Array {
  const p = (k - 1) / 2;
  const acc = new Float64Array(k * k);
  for (let i = 0; i < h; i++) {
    const drow = i * w;
    for (let a = 0; a < k; a++) {
      const si = i + a - p;
      if (si < 0 || si >= h) continue;
      const base = si * w;
      for (let b = 0; b < k; b++) {
        const dj = b - p;
        const j0 = Math.max(0, -dj);
        const j1 = Math.min(w, w - dj);
        const src = base + dj;
        let s = 0;
        for (let j = j0; j < j1; j++) s += dy[drow + j] * x[src + j];
        acc[a * k + b] += s;
      }
    }
  }
  return Float32Array.from(acc);
}

/** dx[i,j] = Σ_ab dy[i−a+p, j−b+p]·f[a,b]: a 'same' convolution with the flipped filter */
export function conv2dInputGrad(dy: ArrayLike<number>, h: number, w: number, f: ArrayLike<number>, k: number): Float32Array {
  const flipped = new Float32Array(k * k);
  for (let q = 0; q < k * k; q++) flipped[q] = f[k * k - 1 - q];
  return conv2dSame(dy, h, w, flipped, k);
}


// ---------------------------------------------------------------------------------------------------------------
// Multi-channel NHWC convolutions (any batch, channels, stride, padding; dilation 1) as im2col + sgemm: the
// stock tfjs CPU kernels run them as scalar loops (~1 GFLOP/s); on BLAS they run at the library's speed. Used by
// DLR²'s residual feature network. Active only while the BLAS kernel group is registered (setConvBlas).


let convBlas: Blas | undefined;

/** The BLAS the multi-channel convolutions use (undefined: the stock kernels run them). */
export function setConvBlas(blas: Blas | undefined): void {
  convBlas = blas;
}

export function getConvBlas(): Blas | undefined {
  return convBlas;
}

export interface ConvGeometry {
  n: number; h: number; w: number; c: number;
  kh: number; kw: number; co: number;
  sh: number; sw: number;
  top: number; left: number;
  ho: number; wo: number;
}

const pair = (v: number | number[] | undefined): [number, number] => (v === undefined ? [1, 1] : Array.isArray(v) ? (v.length === 1 ? [v[0], v[0]] : [v[0], v[1]]) : [v, v]);

/** Output size and top/left padding as tfjs computes them; undefined for what the im2col path does not cover. */
export function convGeometry(attrs: ConvAttrs, xShape: number[], fShape: number[]): ConvGeometry | undefined {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC' && attrs.dataFormat !== 'channelsLast') return undefined;
  const [dh, dw] = pair(attrs.dilations);
  if (dh !== 1 || dw !== 1) return undefined;
  const [n, h, w, c] = xShape;
  const [kh, kw, ci, co] = fShape;
  if (ci !== c) return undefined;
  const [sh, sw] = pair(attrs.strides);
  const round = attrs.dimRoundingMode === 'ceil' ? Math.ceil : attrs.dimRoundingMode === 'round' ? Math.round : Math.floor;
  let top: number, left: number, ho: number, wo: number;
  const pad = attrs.pad;
  if (pad === 'valid') {
    top = left = 0;
    ho = Math.ceil((h - kh + 1) / sh);
    wo = Math.ceil((w - kw + 1) / sw);
  } else if (pad === 'same') {
    ho = Math.ceil(h / sh);
    wo = Math.ceil(w / sw);
    top = Math.floor(Math.max((ho - 1) * sh + kh - h, 0) / 2);
    left = Math.floor(Math.max((wo - 1) * sw + kw - w, 0) / 2);
  } else if (typeof pad === 'number') {
    top = left = pad;
    ho = round((h + 2 * pad - kh) / sh + 1);
    wo = round((w + 2 * pad - kw) / sw + 1);
  } else if (Array.isArray(pad) && pad.length === 4) {
    const p = pad as number[][];
    top = p[1][0];
    left = p[2][0];
    ho = Math.floor((h + p[1][0] + p[1][1] - kh) / sh + 1);
    wo = Math.floor((w + p[2][0] + p[2][1] - kw) / sw + 1);
  } else return undefined;
  if (!(ho > 0 && wo > 0)) return undefined;
  return { n, h, w, c, kh, kw, co, sh, sw, top, left, ho, wo };
}

/** Patches: rows (b, oy, ox), columns (ky, kx, c) — the filter's own layout, so Y = cols · F. */
/** Scratch buffers reused between calls (the patches live only inside one kernel call): no 10–30 MB allocation and
 * zeroing per convolution. */
const scratch: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
function scratchBuffer(slot: 0 | 1, n: number, zero: boolean): Float32Array {
  if (scratch[slot].length < n || (sharedPool() && !isShared(scratch[slot]))) scratch[slot] = sharedF32(Math.ceil(n * 1.25));
  const b = scratch[slot].subarray(0, n);
  if (zero) b.fill(0);
  return b;
}

function im2col(x: Float32Array, g: ConvGeometry): Float32Array {
  return im2colInto(x, g, scratchBuffer(0, g.n * g.ho * g.wo * g.kh * g.kw * g.c, false));
}

/** The patch matrix of x (rows (b, oy, ox), columns (ky, kx, c)) written into `cols`; every entry is written
 * (padding as explicit zeros), so a reused buffer needs no clearing. */
export function im2colInto(x: Float32Array, g: ConvGeometry, cols: Float32Array): Float32Array {
  // split over the worker pool when both arrays are on shared memory (the workers write their rows in place)
  if (isShared(x) && isShared(cols)) parallelRows('im2colRows', patchArgs(x, cols, g, false), g.n * g.ho, g.wo * g.kh * g.kw * g.c);
  else im2colRows(patchArgs(x, cols, g, false), 0, g.n * g.ho);
  return cols;
}

/** Adds the patches' entries back onto dx (col2im, the scatter-add of an input gradient), split by images over the
 * worker pool when both arrays are on shared memory. */
export function col2imInto(cols: Float32Array, g: ConvGeometry, dx: Float32Array): Float32Array {
  if (isShared(dx) && isShared(cols)) parallelRows('im2colRows', patchArgs(dx, cols, g, true), g.n, g.ho * g.wo * g.kh * g.kw * g.c);
  else im2colRows(patchArgs(dx, cols, g, true), 0, g.n);
  return dx;
}

function patchArgs(x: Float32Array, cols: Float32Array, g: ConvGeometry, add: boolean) {
  return { x, cols, add: add ? 1 : 0, h: g.h, w: g.w, c: g.c, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw, top: g.top, left: g.left, ho: g.ho, wo: g.wo };
}

/** y = conv(x, f), NHWC, as one sgemm over the patches. */
export function conv2dGemm(blas: Blas, x: Float32Array, f: Float32Array, g: ConvGeometry): Float32Array {
  const M = g.n * g.ho * g.wo;
  const K = g.kh * g.kw * g.c;
  const y = sharedF32(M * g.co);
  const cols = g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.top === 0 && g.left === 0 ? x : im2col(x, g);
  blas.sgemm(false, false, M, g.co, K, 1, cols, K, f, g.co, 0, y, g.co);
  return y;
}

/** ∂L/∂f = colsᵀ · dy. */
export function conv2dFilterGradGemm(blas: Blas, x: Float32Array, dy: Float32Array, g: ConvGeometry): Float32Array {
  const M = g.n * g.ho * g.wo;
  const K = g.kh * g.kw * g.c;
  const df = new Float32Array(K * g.co);
  const cols = g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.top === 0 && g.left === 0 ? x : im2col(x, g);
  blas.sgemm(true, false, K, g.co, M, 1, cols, K, dy, g.co, 0, df, g.co);
  return df;
}

/**
 * ∂L/∂x: dcols = dy · fᵀ, scattered back onto the input (col2im). With stride 1 and an output as large as the input
 * ('same' with odd kernels), the same sum is a forward convolution of dy with the filter flipped in space and with its
 * channels swapped, padded by (k − 1 − pad): a gather of dy's patches (contiguous copies) and one sgemm instead of
 * the scatter-add, which is the slower half.
 */
export function conv2dInputGradGemm(blas: Blas, dy: Float32Array, f: Float32Array, g: ConvGeometry): Float32Array {
  const M = g.n * g.ho * g.wo;
  const K = g.kh * g.kw * g.c;
  if (g.sh === 1 && g.sw === 1 && g.ho === g.h && g.wo === g.w && (g.kh > 1 || g.kw > 1)) {
    // f: [kh, kw, c, co] → f'[ky, kx, o, c] = f[kh−1−ky, kw−1−kx, c, o]
    const ft = new Float32Array(f.length);
    for (let ky = 0; ky < g.kh; ky++) {
      for (let kx = 0; kx < g.kw; kx++) {
        const src = ((g.kh - 1 - ky) * g.kw + (g.kw - 1 - kx)) * g.c * g.co;
        const dst = (ky * g.kw + kx) * g.co * g.c;
        for (let c = 0; c < g.c; c++) for (let o = 0; o < g.co; o++) ft[dst + o * g.c + c] = f[src + c * g.co + o];
      }
    }
    const gt: ConvGeometry = { ...g, c: g.co, co: g.c, top: g.kh - 1 - g.top, left: g.kw - 1 - g.left };
    return conv2dGemm(blas, dy, ft, gt);
  }
  const direct = g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.top === 0 && g.left === 0;
  const dcols = direct ? new Float32Array(M * K) : scratchBuffer(1, M * K, false);
  blas.sgemm(false, true, M, K, g.co, 1, dy, g.co, f, g.co, 0, dcols, K);
  if (direct) return dcols;
  return col2imInto(dcols, g, sharedF32(g.n * g.h * g.w * g.c));
}
