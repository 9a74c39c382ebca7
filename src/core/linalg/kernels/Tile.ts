/** Tile of a float32 tensor by copying whole slabs, one dimension at a time (the stock kernel maps every element;
 * batch norm's gradient tiles per-channel vectors over the batch). */
import type { CpuBackend, TensorInfo } from './cpuBackend';
import type { CpuKernel } from './kernel';

export function tileSlabs(xv: Float32Array, shape: number[], reps: number[]): { values: Float32Array; shape: number[] } {
  let cur = xv;
  const s = shape.slice();
  for (let d = s.length - 1; d >= 0; d--) {
    if (reps[d] === 1) continue;
    let outer = 1;
    for (let k = 0; k < d; k++) outer *= s[k];
    let slab = 1;
    for (let k = d; k < s.length; k++) slab *= s[k];
    const next = new Float32Array(outer * slab * reps[d]);
    for (let o = 0; o < outer; o++) {
      const src = cur.subarray(o * slab, (o + 1) * slab);
      for (let r = 0; r < reps[d]; r++) next.set(src, (o * reps[d] + r) * slab);
    }
    cur = next;
    s[d] *= reps[d];
  }
  return { values: cur === xv ? xv.slice() : cur, shape: s };
}

export const tileKernel: CpuKernel = {
  kernelName: 'Tile',
  group: 'elementwise',
  make: (stock) => (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as unknown as { x: TensorInfo };
    const { reps } = attrs as unknown as { reps: number[] };
    const cpu = backend as unknown as CpuBackend;
    const xv = cpu.data.get(x.dataId).values;
    if (x.dtype !== 'float32' || !(xv instanceof Float32Array) || reps.length !== x.shape.length || reps.some((r) => !(Number.isInteger(r) && r >= 1))) return (stock as (a: unknown) => TensorInfo)(args) as never;
    const r = tileSlabs(xv, x.shape, reps);
    return cpu.makeTensorInfo(r.shape, 'float32', r.values) as never;
  },
};
