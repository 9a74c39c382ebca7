/**
 * KrlPairMlp — an MLP over every (row of U, row of I) pair whose first layer splits into a U half and an I half:
 * out[u, i] = w4 · relu(W3ᵀ relu(W2ᵀ relu(U[u] + I[i]) + b2) + b3) + b4 for all u, i (inference only: no
 * gradient). DLR²'s discriminative net S scores every item for every user this way. On the cpu backend the two
 * hidden layers run as sgemm over blocks of pairs with bias and ReLU in place; called through the op pairMlpScores
 * (../ops.ts), which composes the same formula from tfjs ops on every other backend.
 */
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';

export const PAIR_MLP = 'KrlPairMlp';

/** Pairs per block: bounds the hidden activations kept at once (65,536 × 256 floats = 64 MiB). */
const BLOCK_ROWS = 65536;

export const krlPairMlp: CpuKernel = {
  kernelName: PAIR_MLP,
  group: 'blas',
  make: (_stock, { blas }) => ({ inputs, backend }) => {
    const cpu = backend as unknown as CpuBackend;
    const t = inputs as unknown as Record<'u' | 'items' | 'w2' | 'b2' | 'w3' | 'b3' | 'w4' | 'b4', TensorInfo>;
    const [nu, h] = t.u.shape;
    const ni = t.items.shape[0];
    const [u, it, w2, b2, w3, b3, w4, b4] = (['u', 'items', 'w2', 'b2', 'w3', 'b3', 'w4', 'b4'] as const).map((k) => f32Values(cpu, t[k]));
    const n2 = b2.length;
    const n3 = b3.length;
    const out = new Float32Array(nu * ni);
    const usersPerBlock = Math.max(1, Math.floor(BLOCK_ROWS / Math.max(1, ni)));
    const h1 = new Float32Array(Math.min(nu, usersPerBlock) * ni * h);
    const h2 = new Float32Array(Math.min(nu, usersPerBlock) * ni * n2);
    const h3 = new Float32Array(Math.min(nu, usersPerBlock) * ni * n3);
    const g = blas as NonNullable<typeof blas>;
    for (let a = 0; a < nu; a += usersPerBlock) {
      const users = Math.min(usersPerBlock, nu - a);
      const rows = users * ni;
      for (let x = 0, o = 0; x < users; x++) {
        const uo = (a + x) * h;
        for (let i = 0; i < ni; i++) {
          const io = i * h;
          for (let j = 0; j < h; j++, o++) {
            const v = it[io + j] + u[uo + j];
            h1[o] = v > 0 ? v : 0;
          }
        }
      }
      g.sgemm(false, false, rows, n2, h, 1, h1, h, w2, n2, 0, h2, n2);
      for (let r = 0, o = 0; r < rows; r++) for (let j = 0; j < n2; j++, o++) {
        const v = h2[o] + b2[j];
        h2[o] = v > 0 ? v : 0;
      }
      g.sgemm(false, false, rows, n3, n2, 1, h2, n2, w3, n3, 0, h3, n3);
      for (let r = 0, o = 0; r < rows; r++) {
        let acc = b4[0];
        for (let j = 0; j < n3; j++, o++) {
          const v = h3[o] + b3[j];
          if (v > 0) acc += v * w4[j];
        }
        out[a * ni + r] = acc;
      }
    }
    return cpu.makeTensorInfo([nu, ni], 'float32', out) as never;
  },
};
