/**
 * KrlAdam — one Adam update of a parameter tensor in a single pass (three outputs: the parameter, the first and the
 * second moment), where tfjs's optimizer runs about ten tensor ops per variable, each allocating a full-size
 * result. torch's formula: m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², x ← x − (lr / (1 − β1^t))·m /
 * (√v / √(1 − β2^t) + ε). Called through the op adamUpdate (../ops.ts); no gradient (an optimiser step).
 */
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

export const ADAM = 'KrlAdam';

export interface AdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** The step number, from 1 (bias correction). */
  t: number;
}

export function adamPass(x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, a: AdamAttrs): [Float32Array, Float32Array, Float32Array] {
  const n = x.length;
  const xo = new Float32Array(n);
  const mo = new Float32Array(n);
  const vo = new Float32Array(n);
  const step = a.lr / (1 - a.beta1 ** a.t);
  const bc2 = Math.sqrt(1 - a.beta2 ** a.t);
  const b1 = a.beta1;
  const b2 = a.beta2;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + (1 - b1) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    mo[i] = mi;
    vo[i] = vi;
    xo[i] = x[i] - (step * mi) / (Math.sqrt(vi) / bc2 + a.eps);
  }
  return [xo, mo, vo];
}

export const krlAdam: CpuKernel = {
  kernelName: ADAM,
  group: 'fused',
  make: () => ({ inputs, backend, attrs }) => {
    const cpu = backend as unknown as CpuBackend;
    const { x, g, m, v } = inputs as unknown as Record<'x' | 'g' | 'm' | 'v', TensorInfo>;
    const [xo, mo, vo] = adamPass(f32Values(cpu, x), f32Values(cpu, g), f32Values(cpu, m), f32Values(cpu, v), attrs as unknown as AdamAttrs);
    return [cpu.makeTensorInfo(x.shape, 'float32', xo), cpu.makeTensorInfo(x.shape, 'float32', mo), cpu.makeTensorInfo(x.shape, 'float32', vo)] as never;
  },
};
