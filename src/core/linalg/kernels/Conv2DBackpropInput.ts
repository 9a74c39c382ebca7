import { conv2dInputGrad, conv2dInputGradGemm, convGeometry, getConvBlas, samePad, type ConvAttrs } from '../conv';
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

/** The input gradient: single-channel 'same' as direct loops, other shapes as sgemm + col2im while the BLAS group is
 * registered (../conv.ts); the rest go to the stock kernel. */
export const conv2DBackpropInputKernel: CpuKernel = {
  kernelName: 'Conv2DBackpropInput',
  group: 'conv',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args as unknown as { inputs: Record<string, TensorInfo>; backend: CpuBackend; attrs: ConvAttrs & { inputShape: number[] } };
    const { dy, filter } = inputs;
    const is = attrs.inputShape;
    const [kh, kw, ci, co] = filter.shape;
    const p = samePad(attrs, kh, kw);
    if (is[0] !== 1 || is[3] !== 1 || ci !== 1 || co !== 1 || p === undefined) {
      const blas = getConvBlas();
      const g = blas ? convGeometry(attrs, is, filter.shape) : undefined;
      if (!blas || !g || g.ho !== dy.shape[1] || g.wo !== dy.shape[2]) return (stock as (a: unknown) => TensorInfo)(args) as never;
      return backend.makeTensorInfo(is, 'float32', conv2dInputGradGemm(blas, f32Values(backend, dy), f32Values(backend, filter), g)) as never;
    }
    return backend.makeTensorInfo(is, 'float32', conv2dInputGrad(f32Values(backend, dy), is[1], is[2], f32Values(backend, filter), kh)) as never;
  },
};
