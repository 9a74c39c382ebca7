/**
 * Sum over axis 0, axis 1 or all axes of a float32 matrix (and over the leading or trailing axes of an N-d tensor,
 * e.g. the batch-norm moments over [0, 1, 2] of NHWC): the stock CPU Sum transposes before reducing any axis
 * but the last, which dominates gradients of broadcast ops (bias rows, column sums). Accumulates in float64 per
 * output element (the stock kernel accumulates in float32, so sums can differ in the last bits).
 */
import type { CpuBackend, TensorInfo } from './cpuBackend';
import type { CpuKernel } from './kernel';

export const sumKernel: CpuKernel = {
  kernelName: 'Sum',
  group: 'elementwise',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as unknown as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const fallback = () => (stock as (a: unknown) => TensorInfo)(args) as never;
    const cpu = backend as unknown as CpuBackend;
    const xv = cpu.data.get(x.dataId).values;
    if (x.dtype !== 'float32' || !(xv instanceof Float32Array)) return fallback();
    const red = asMatrixReduction(x.shape, axis);
    if (!red) return fallback();
    // axis 0, axis 1 or both of a matrix, and leading or trailing runs of axes of an N-d tensor alike: a matrix view
    return cpu.makeTensorInfo(keepDims ? red.keepShape : red.outShape, 'float32', reduceMatrix(xv, red.m, red.n, red.along)) as never;
  },
};

/** Reducing `axes` of `shape` as a matrix: the axes must be a leading or a trailing run (all axes: trailing). */
export function asMatrixReduction(shape: number[], axis: number | number[]): { m: number; n: number; along: 0 | 1; outShape: number[]; keepShape: number[] } | undefined {
  const r = shape.length;
  if (r === 0) return undefined;
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + r : a)))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.some((a, i) => a !== axes[0] + i)) return undefined;
  const prod = (xs: number[]) => xs.reduce((p, q) => p * q, 1);
  const keepShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = shape.filter((_, i) => !axes.includes(i));
  if (axes[axes.length - 1] === r - 1) return { m: prod(shape.slice(0, axes[0])), n: prod(shape.slice(axes[0])), along: 1, outShape, keepShape };
  if (axes[0] === 0) return { m: prod(shape.slice(0, axes.length)), n: prod(shape.slice(axes.length)), along: 0, outShape, keepShape };
  return undefined;
}

/** Sums of an m × n row-major matrix along axis 0 (n results) or 1 (m results), accumulated in float64. */
export function reduceMatrix(xv: Float32Array, m: number, n: number, along: 0 | 1): Float32Array {
  if (along === 0) {
    const acc = new Float64Array(n);
    for (let r = 0, k = 0; r < m; r++) for (let c = 0; c < n; c++, k++) acc[c] += xv[k];
    return Float32Array.from(acc);
  }
  const o = new Float32Array(m);
  for (let r = 0, k = 0; r < m; r++) {
    let s = 0;
    for (let c = 0; c < n; c++, k++) s += xv[k];
    o[r] = s;
  }
  return o;
}
