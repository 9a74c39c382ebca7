/**
 * Slice of a float32 tensor as copies of contiguous runs (the trailing dimensions taken whole, times the extent of
 * the first partial one): the stock kernel computes every element's index (the padding gradients of a conv net).
 */
import type { CpuBackend, TensorInfo } from './cpuBackend';
import type { CpuKernel } from './kernel';

export function sliceRuns(xv: Float32Array, shape: number[], begin: number[], size: number[]): Float32Array {
  const r = shape.length;
  const out = new Float32Array(size.reduce((p, q) => p * q, 1));
  if (out.length === 0) return out;
  // k: the first dimension after which everything is taken whole
  let k = r - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  let inner = 1;
  for (let d = k + 1; d < r; d++) inner *= shape[d];
  const run = size[k] * inner;
  const strides = new Array(r).fill(1);
  for (let d = r - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  const outer = size.slice(0, k);
  const idx = new Array(k).fill(0);
  const nOuter = outer.reduce((p, q) => p * q, 1);
  for (let o = 0, w = 0; o < nOuter; o++, w += run) {
    let src = begin[k] * strides[k];
    for (let d = 0; d < k; d++) src += (begin[d] + idx[d]) * strides[d];
    out.set(xv.subarray(src, src + run), w);
    for (let d = k - 1; d >= 0; d--) {
      if (++idx[d] < outer[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

export const sliceKernel: CpuKernel = {
  kernelName: 'Slice',
  group: 'elementwise',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as unknown as { x: TensorInfo };
    const { begin, size } = attrs as unknown as { begin: number | number[]; size: number | number[] };
    const cpu = backend as unknown as CpuBackend;
    const xv = cpu.data.get(x.dataId).values;
    const r = x.shape.length;
    const b = Array.isArray(begin) ? begin : [begin];
    const s = Array.isArray(size) ? size : [size];
    if (x.dtype !== 'float32' || !(xv instanceof Float32Array) || r === 0 || b.length !== r || s.length !== r) return (stock as (a: unknown) => TensorInfo)(args) as never;
    const sz = s.map((v, d) => (v === -1 ? x.shape[d] - b[d] : v));
    if (sz.some((v, d) => v < 0 || b[d] < 0 || b[d] + v > x.shape[d])) return (stock as (a: unknown) => TensorInfo)(args) as never;
    return cpu.makeTensorInfo(sz, 'float32', sliceRuns(xv, x.shape, b, sz)) as never;
  },
};
