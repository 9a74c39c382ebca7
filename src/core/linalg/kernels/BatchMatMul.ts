import { blasBatchMatMul } from '../blasMatMul';
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

/** BatchMatMul on CBLAS sgemm (../blasMatMul.ts); installed only when a BLAS library loads. */
export const batchMatMulKernel: CpuKernel = {
  kernelName: 'BatchMatMul',
  group: 'blas',
  make: (_stock, { blas }) => ({ inputs, backend, attrs }) => {
    const cpu = backend as unknown as CpuBackend;
    const { a, b } = inputs as unknown as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const r = blasBatchMatMul(blas as NonNullable<typeof blas>, f32Values(cpu, a), a.shape, f32Values(cpu, b), b.shape, !!transposeA, !!transposeB);
    return cpu.makeTensorInfo(r.shape, 'float32', r.values) as never;
  },
};
