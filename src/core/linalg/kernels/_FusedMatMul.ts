import { applyActivation, blasBatchMatMul } from '../blasMatMul';
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

/**
 * _FusedMatMul (matMul + bias + activation) on CBLAS sgemm. Unusual cases (prelu weights, biases that are not
 * per-column or scalar, other activations) go to the stock kernel.
 */
export const fusedMatMulKernel: CpuKernel = {
  kernelName: '_FusedMatMul',
  group: 'blas',
  make: (stock, { blas }) => (args) => {
    const { inputs, backend, attrs } = args;
    const cpu = backend as unknown as CpuBackend;
    const { a, b, bias, preluActivationWeights } = inputs as unknown as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as { transposeA: boolean; transposeB: boolean; activation: string; leakyreluAlpha: number };
    const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    const biasSize = bias ? bias.shape.reduce((p, q) => p * q, 1) : 0;
    const simple = !preluActivationWeights && (!bias || biasSize === 1 || (biasSize === n && bias.shape[bias.shape.length - 1] === n)) && ['linear', 'relu', 'relu6', 'sigmoid', 'elu', 'leakyrelu', undefined].includes(activation);
    if (!simple) return (stock as (x: unknown) => TensorInfo)(args) as never;
    const r = blasBatchMatMul(blas as NonNullable<typeof blas>, f32Values(cpu, a), a.shape, f32Values(cpu, b), b.shape, !!transposeA, !!transposeB);
    if (bias) {
      const bv = f32Values(cpu, bias);
      if (biasSize === 1) for (let i = 0; i < r.values.length; i++) r.values[i] += bv[0];
      else for (let i = 0; i < r.values.length; i++) r.values[i] += bv[i % n];
    }
    applyActivation(r.values, activation, leakyreluAlpha ?? 0.2);
    return cpu.makeTensorInfo(r.shape, 'float32', r.values) as never;
  },
};
