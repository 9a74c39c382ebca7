/**
 * KrlLocalKernelGrad — the backward pass of ./KrlLocalKernel.ts in one pass over (i, j): ∂W, ∂u and ∂v of
 * W ⊙ K (upstream dy) and of the regulariser (upstream dr), rows split over the worker pool ('localKernelBwd').
 */
import { parallelRows, rangesFor, sharedF32, sharedF64, toShared, transposedF64 } from '../parallel';
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';
import { LOCAL_KERNEL_GRAD, type LocalKernelAttrs } from './KrlLocalKernel';

export const krlLocalKernelGrad: CpuKernel = {
  kernelName: LOCAL_KERNEL_GRAD,
  group: 'fused',
  make: () => ({ inputs, backend, attrs }) => {
    const cpu = backend as unknown as CpuBackend;
    const { dy, dr, W, u, v } = inputs as unknown as Record<'dy' | 'dr' | 'W' | 'u' | 'v', TensorInfo>;
    const { lambdaS, lambda2 } = attrs as unknown as LocalKernelAttrs;
    const [m, n] = W.shape;
    const d = u.shape[1];
    const vv = f32Values(cpu, v);
    const dW = sharedF32(m * n);
    const du = sharedF32(m * d);
    const work = n * (7 * d + 8);
    const slot = (d + 1) * n; // per range: Σ_i ∂D_ij·u_ik (d × n), then Σ_i ∂D_ij (n)
    const partials = sharedF64(rangesFor(m, work) * slot);
    const args = { dy: toShared(f32Values(cpu, dy)), r: f32Values(cpu, dr)[0], W: toShared(f32Values(cpu, W)), u: toShared(f32Values(cpu, u)), vt: transposedF64(vv, n, d), dW, du, n, d, lambdaS, lambda2, partials };
    const parts = parallelRows('localKernelBwd', args, m, work);
    // ∂D_ij/∂v_jk = −2(u_ik − v_jk): dv_jk = 2(v_jk·Σ_i ∂D_ij − Σ_i ∂D_ij·u_ik)
    const dv = new Float32Array(n * d);
    for (let j = 0; j < n; j++) {
      let cs = 0;
      for (let p = 0; p < parts; p++) cs += partials[p * slot + d * n + j];
      for (let k = 0; k < d; k++) {
        let gu = 0;
        for (let p = 0; p < parts; p++) gu += partials[p * slot + k * n + j];
        dv[j * d + k] = 2 * (vv[j * d + k] * cs - gu);
      }
    }
    return [cpu.makeTensorInfo([m, n], 'float32', dW), cpu.makeTensorInfo([m, d], 'float32', du), cpu.makeTensorInfo([n, d], 'float32', dv)] as never;
  },
};
