/**
 * KrlLocalKernel — a local-kernel layer's effective weights W ⊙ K and its regulariser λs·½ΣK² + λ2·½ΣW² as one
 * two-output CPU kernel, K_ij = max(0, 1 − ‖u_i − v_j‖²), the distances computed directly in float64 and never
 * stored, rows split over the worker pool (../parallel.ts, 'localKernelFwd'). Its gradient runs
 * ./KrlLocalKernelGrad.ts once for ∂W, ∂u and ∂v. Called through the op localKernel (../ops.ts).
 */
import type * as tfNs from '@tensorflow/tfjs';
import { parallelRows, rangesFor, sharedF32, sharedF64, toShared, transposedF64 } from '../parallel';
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

export interface LocalKernelAttrs {
  lambdaS: number;
  lambda2: number;
}

export const LOCAL_KERNEL = 'KrlLocalKernel';
export const LOCAL_KERNEL_GRAD = 'KrlLocalKernelGrad';

export const krlLocalKernel: CpuKernel = {
  kernelName: LOCAL_KERNEL,
  group: 'fused',
  make: () => ({ inputs, backend, attrs }) => {
    const cpu = backend as unknown as CpuBackend;
    const { W, u, v } = inputs as unknown as Record<'W' | 'u' | 'v', TensorInfo>;
    const { lambdaS, lambda2 } = attrs as unknown as LocalKernelAttrs;
    const [m, n] = W.shape;
    const d = u.shape[1];
    const out = sharedF32(m * n);
    const work = n * (3 * d + 4);
    const partials = sharedF64(2 * rangesFor(m, work));
    const args = { W: toShared(f32Values(cpu, W)), u: toShared(f32Values(cpu, u)), vt: transposedF64(f32Values(cpu, v), n, d), out, n, d, partials };
    const parts = parallelRows('localKernelFwd', args, m, work);
    let sk = 0;
    let sw = 0;
    for (let p = 0; p < parts; p++) {
      sk += partials[2 * p];
      sw += partials[2 * p + 1];
    }
    return [cpu.makeTensorInfo([m, n], 'float32', out), cpu.makeTensorInfo([], 'float32', Float32Array.of((lambdaS / 2) * sk + (lambda2 / 2) * sw))] as never;
  },
  gradient: (tf) => ({
    kernelName: LOCAL_KERNEL,
    inputsToSave: ['W', 'u', 'v'],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dr] = dys as tfNs.Tensor[];
      const [W, u, v] = saved;
      // computed here, not inside the per-input closures: those run in separate tidy scopes, and one kernel call
      // yields all three gradients (tensors made here belong to the enclosing backward scope)
      const [gW, gu, gv] = tf.engine().runKernel(LOCAL_KERNEL_GRAD, { dy, dr, W, u, v } as never, attrs as never) as unknown as tfNs.Tensor[];
      return { W: () => gW, u: () => gu, v: () => gv };
    },
  }),
};
