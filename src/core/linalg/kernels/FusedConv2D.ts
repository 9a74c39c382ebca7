/**
 * FusedConv2D (convolution + bias + activation, what tfjs layers' Conv2D calls) as im2col + sgemm (../conv.ts),
 * then the per-channel bias and the activation in place. Prelu weights, other biases, dilations and NCHW go to
 * the stock kernel; so does everything while the BLAS group is not registered.
 */
import { applyActivation } from '../blasMatMul';
import { conv2dGemm, convGeometry, type ConvAttrs } from '../conv';
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

export const fusedConv2DKernel: CpuKernel = {
  kernelName: 'FusedConv2D',
  group: 'blas',
  make: (stock, { blas }) => (args) => {
    const { inputs, backend, attrs } = args as unknown as { inputs: Record<string, TensorInfo | undefined>; backend: CpuBackend; attrs: ConvAttrs & { activation?: string; leakyreluAlpha?: number } };
    const { x, filter, bias, preluActivationWeights } = inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const fallback = () => (stock as (a: unknown) => TensorInfo)(args) as never;
    const g = blas ? convGeometry(attrs, x.shape, filter.shape) : undefined;
    const biasSize = bias ? bias.shape.reduce((p, q) => p * q, 1) : 0;
    const act = attrs.activation ?? 'linear';
    if (!blas || !g || preluActivationWeights || (bias && biasSize !== 1 && biasSize !== g.co) || !['linear', 'relu', 'relu6', 'sigmoid', 'elu', 'leakyrelu'].includes(act)) return fallback();
    const y = conv2dGemm(blas, f32Values(backend, x), f32Values(backend, filter), g);
    if (bias) {
      const bv = f32Values(backend, bias);
      if (biasSize === 1) for (let i = 0; i < y.length; i++) y[i] += bv[0];
      else for (let i = 0; i < y.length; i++) y[i] += bv[i % g.co];
    }
    applyActivation(y, act, attrs.leakyreluAlpha ?? 0.2);
    return backend.makeTensorInfo([g.n, g.ho, g.wo, g.co], 'float32', y) as never;
  },
};
