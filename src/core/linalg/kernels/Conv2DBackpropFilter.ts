import { conv2dFilterGrad, conv2dFilterGradGemm, convGeometry, getConvBlas, samePad, type ConvAttrs } from '../conv';
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

/** The filter gradient: single-channel 'same' as direct loops, other shapes as im2col + sgemm while the BLAS group is
 * registered (../conv.ts); the rest go to the stock kernel. */
export const conv2DBackpropFilterKernel: CpuKernel = {
  kernelName: 'Conv2DBackpropFilter',
  group: 'conv',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args as unknown as { inputs: Record<string, TensorInfo>; backend: CpuBackend; attrs: ConvAttrs & { filterShape: number[] } };
    const { x, dy } = inputs;
    const fs = attrs.filterShape;
    const [n, h, w, c] = x.shape;
    const p = samePad(attrs, fs[0], fs[1]);
    if (n !== 1 || c !== 1 || fs[2] !== 1 || fs[3] !== 1 || p === undefined) {
      const blas = getConvBlas();
      const g = blas ? convGeometry(attrs, x.shape, fs) : undefined;
      if (!blas || !g || g.ho !== dy.shape[1] || g.wo !== dy.shape[2]) return (stock as (a: unknown) => TensorInfo)(args) as never;
      return backend.makeTensorInfo(fs, 'float32', conv2dFilterGradGemm(blas, f32Values(backend, x), f32Values(backend, dy), g)) as never;
    }
    return backend.makeTensorInfo(fs, 'float32', conv2dFilterGrad(f32Values(backend, x), f32Values(backend, dy), h, w, fs[0])) as never;
  },
};
