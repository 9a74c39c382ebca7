/** Constant padding of a float32 tensor as copies of contiguous runs (the stock kernel maps every element). */
import type { CpuBackend, TensorInfo } from './cpuBackend';
import type { CpuKernel } from './kernel';

export function padRuns(xv: Float32Array, shape: number[], paddings: [number, number][], value: number): { values: Float32Array; shape: number[] } {
  const r = shape.length;
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = new Float32Array(outShape.reduce((p, q) => p * q, 1));
  if (value !== 0) out.fill(value);
  const n = shape.reduce((p, q) => p * q, 1);
  if (n === 0) return { values: out, shape: outShape };
  let k = r - 1;
  while (k > 0 && paddings[k][0] === 0 && paddings[k][1] === 0) k--;
  let inner = 1;
  for (let d = k + 1; d < r; d++) inner *= shape[d];
  const run = shape[k] * inner;
  const oStrides = new Array(r).fill(1);
  for (let d = r - 2; d >= 0; d--) oStrides[d] = oStrides[d + 1] * outShape[d + 1];
  const idx = new Array(k).fill(0);
  const nOuter = shape.slice(0, k).reduce((p, q) => p * q, 1);
  for (let o = 0, src = 0; o < nOuter; o++, src += run) {
    let dst = paddings[k][0] * oStrides[k];
    for (let d = 0; d < k; d++) dst += (paddings[d][0] + idx[d]) * oStrides[d];
    out.set(xv.subarray(src, src + run), dst);
    for (let d = k - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}

export const padV2Kernel: CpuKernel = {
  kernelName: 'PadV2',
  group: 'elementwise',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as unknown as { x: TensorInfo };
    const { paddings, constantValue } = attrs as unknown as { paddings: [number, number][]; constantValue: number };
    const cpu = backend as unknown as CpuBackend;
    const xv = cpu.data.get(x.dataId).values;
    if (x.dtype !== 'float32' || !(xv instanceof Float32Array) || x.shape.length === 0 || paddings.length !== x.shape.length || paddings.some(([a, b]) => a < 0 || b < 0)) return (stock as (a: unknown) => TensorInfo)(args) as never;
    const r = padRuns(xv, x.shape, paddings, constantValue ?? 0);
    return cpu.makeTensorInfo(r.shape, 'float32', r.values) as never;
  },
};
