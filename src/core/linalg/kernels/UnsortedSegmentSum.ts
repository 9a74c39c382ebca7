/**
 * UnsortedSegmentSum (the gradient of gather: trained embedding lookups) as one scatter-add pass over the rows. The
 * stock CPU kernel runs five tensor ops per segment — for a 1,000-row embedding table, 5,000 ops per step.
 * Float32 values with 1-d segment ids; anything else goes to the stock kernel. Ids outside [0, numSegments) are
 * dropped, as the stock kernel drops them.
 */
import type { CpuBackend, TensorInfo } from './cpuBackend';
import type { CpuKernel } from './kernel';

export const unsortedSegmentSumKernel: CpuKernel = {
  kernelName: 'UnsortedSegmentSum',
  group: 'elementwise',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args;
    const { x, segmentIds } = inputs as unknown as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as unknown as { numSegments: number };
    const cpu = backend as unknown as CpuBackend;
    const xv = cpu.data.get(x.dataId).values;
    const ids = cpu.data.get(segmentIds.dataId).values;
    if (x.dtype !== 'float32' || !(xv instanceof Float32Array) || segmentIds.shape.length !== 1 || x.shape.length < 1 || segmentIds.shape[0] !== x.shape[0] || !(ids instanceof Int32Array || ids instanceof Float32Array)) return (stock as (a: unknown) => TensorInfo)(args) as never;
    const inner = x.shape.slice(1).reduce((p, q) => p * q, 1);
    const out = new Float32Array(numSegments * inner);
    for (let i = 0; i < x.shape[0]; i++) {
      const s = ids[i];
      if (!(s >= 0 && s < numSegments)) continue;
      const o = s * inner;
      const src = i * inner;
      for (let j = 0; j < inner; j++) out[o + j] += xv[src + j];
    }
    return cpu.makeTensorInfo([numSegments, ...x.shape.slice(1)], 'float32', out) as never;
  },
};
