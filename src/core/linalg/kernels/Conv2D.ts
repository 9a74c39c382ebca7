import { conv2dSame, samePad, type ConvAttrs } from '../conv';
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

/** Conv2D for a single-channel 'same' convolution (../conv.ts); other shapes go to the stock kernel. */
export const conv2DKernel: CpuKernel = {
  kernelName: 'Conv2D',
  group: 'conv',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args as unknown as { inputs: Record<string, TensorInfo>; backend: CpuBackend; attrs: ConvAttrs };
    const { x, filter } = inputs;
    const [n, h, w, c] = x.shape;
    const [kh, kw, ci, co] = filter.shape;
    const p = samePad(attrs, kh, kw);
    if (n !== 1 || c !== 1 || ci !== 1 || co !== 1 || p === undefined) return (stock as (a: unknown) => TensorInfo)(args) as never;
    return backend.makeTensorInfo([1, h, w, 1], 'float32', conv2dSame(f32Values(backend, x), h, w, f32Values(backend, filter), kh)) as never;
  },
};
