import { conv2dGemm, conv2dSame, convGeometry, getConvBlas, samePad, type ConvAttrs } from '../conv';
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

/** Conv2D: a single-channel 'same' convolution as direct loops, other shapes as im2col + sgemm while the BLAS group is
 * registered (../conv.ts); the rest (dilations, NCHW) go to the stock kernel. */
export const conv2DKernel: CpuKernel = {
  kernelName: 'Conv2D',
  group: 'conv',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args as unknown as { inputs: Record<string, TensorInfo>; backend: CpuBackend; attrs: ConvAttrs };
    const { x, filter } = inputs;
    const [n, h, w, c] = x.shape;
    const [kh, kw, ci, co] = filter.shape;
    const p = samePad(attrs, kh, kw);
    if (n !== 1 || c !== 1 || ci !== 1 || co !== 1 || p === undefined) {
      const blas = getConvBlas();
      const g = blas ? convGeometry(attrs, x.shape, filter.shape) : undefined;
      if (!blas || !g) return (stock as (a: unknown) => TensorInfo)(args) as never;
      return backend.makeTensorInfo([g.n, g.ho, g.wo, g.co], 'float32', conv2dGemm(blas, f32Values(backend, x), f32Values(backend, filter), g)) as never;
    }
    return backend.makeTensorInfo([1, h, w, 1], 'float32', conv2dSame(f32Values(backend, x), h, w, f32Values(backend, filter), kh)) as never;
  },
};
