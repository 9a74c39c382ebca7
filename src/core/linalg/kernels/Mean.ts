/** Mean over leading or trailing axes as a matrix reduction (./Sum.ts); the stock kernel transposes first. */
import type { CpuBackend, TensorInfo } from './cpuBackend';
import type { CpuKernel } from './kernel';
import { asMatrixReduction, reduceMatrix } from './Sum';

export const meanKernel: CpuKernel = {
  kernelName: 'Mean',
  group: 'elementwise',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as unknown as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const cpu = backend as unknown as CpuBackend;
    const xv = cpu.data.get(x.dataId).values;
    const red = x.dtype === 'float32' && xv instanceof Float32Array ? asMatrixReduction(x.shape, axis) : undefined;
    if (!red || !(xv instanceof Float32Array)) return (stock as (a: unknown) => TensorInfo)(args) as never;
    const s = reduceMatrix(xv, red.m, red.n, red.along);
    const count = red.along === 0 ? red.m : red.n;
    for (let i = 0; i < s.length; i++) s[i] /= count;
    return cpu.makeTensorInfo(keepDims ? red.keepShape : red.outShape, 'float32', s) as never;
  },
};
