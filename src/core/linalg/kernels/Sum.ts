/**
 * Sum over axis 0, axis 1 or all axes of a float32 matrix: the stock CPU Sum transposes before reducing any axis
 * but the last, which dominates gradients of broadcast ops (bias rows, column sums). Accumulates in float64 per
 * output element over axis 0 (the stock kernel accumulates in float32, so sums can differ in the last bits).
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
    if (x.dtype !== 'float32' || !(xv instanceof Float32Array) || x.shape.length !== 2) return fallback();
    const [m, n] = x.shape;
    const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + 2 : a)).sort();
    if (axes.length === 1 && axes[0] === 0) {
      const acc = new Float64Array(n);
      for (let r = 0, k = 0; r < m; r++) for (let c = 0; c < n; c++, k++) acc[c] += xv[k];
      return cpu.makeTensorInfo(keepDims ? [1, n] : [n], 'float32', Float32Array.from(acc)) as never;
    }
    if (axes.length === 1 && axes[0] === 1) {
      const o = new Float32Array(m);
      for (let r = 0, k = 0; r < m; r++) {
        let s = 0;
        for (let c = 0; c < n; c++, k++) s += xv[k];
        o[r] = s;
      }
      return cpu.makeTensorInfo(keepDims ? [m, 1] : [m], 'float32', o) as never;
    }
    if (axes.length === 2) {
      let s = 0;
      for (let k = 0; k < xv.length; k++) s += xv[k];
      return cpu.makeTensorInfo(keepDims ? [1, 1] : [], 'float32', Float32Array.of(s)) as never;
    }
    return fallback();
  },
};
