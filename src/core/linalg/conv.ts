/**
 * The single-channel 'same' convolution GLocal-K applies to the whole rating matrix (batch 1, one input and one
 * output channel, stride 1, dilation 1, NHWC, odd k×k filter) and its two gradients, as direct loops. The stock
 * tfjs CPU Conv2DBackpropFilter takes seconds on a 1682×943 image; these take milliseconds. Used by the kernels
 * ./kernels/Conv2D*.ts; other shapes go to the stock kernels.
 */

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

