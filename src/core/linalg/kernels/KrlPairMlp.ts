/**
 * KrlPairMlp — an MLP over every (row of U, row of I) pair whose first layer splits into a U half and an I half:
 * out[u, i] = w4 · relu(W3ᵀ relu(W2ᵀ relu(U[u] + I[i]) + b2) + b3) + b4 for all u, i (inference only: no
 * gradient). DLR²'s discriminative net S scores every item for every user this way. On the cpu backend the three
 * layers run as sgemm over blocks of a few thousand pairs, small enough that a block's activations stay in cache
 * between the sgemm that writes them and the branch-free passes that add the bias and apply the ReLU, split over the
 * worker pool (../parallel.ts pairSumReluRows, biasReluRows; with 64 MiB blocks these passes ran from memory and a
 * pass over all items for all users took about 2.4× as long); called through the op pairMlpScores
 * (../ops.ts), which composes the same formula from tfjs ops on every other backend.
 */
import { type CpuBackend, type TensorInfo, f32Values } from './cpuBackend';
import type { CpuKernel } from './kernel';
import { parallelRows, sharedF32, toShared } from '../parallel';

export const PAIR_MLP = 'KrlPairMlp';

/** Pairs per block (at least one user's row of items): 2,048 × 256 floats = 2 MiB of activations per layer. */
const BLOCK_ROWS = 2048;

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
    const blockRows = Math.min(nu, usersPerBlock) * ni;
    // the activations on shared memory (and the halves copied there) so the bias/ReLU passes split over the worker
    // pool; branch-free ReLUs (../parallel.ts: on activations of random sign a branch mispredicts half the time)
    const h1 = sharedF32(blockRows * h);
    const h2 = sharedF32(blockRows * n2);
    const h3 = sharedF32(blockRows * n3);
    const items = toShared(it);
    const users = toShared(u);
    const [bias2, bias3] = [toShared(b2), toShared(b3)];
    const scores = new Float32Array(blockRows);
    const g = blas as NonNullable<typeof blas>;
    for (let a = 0; a < nu; a += usersPerBlock) {
      const rows = Math.min(usersPerBlock, nu - a) * ni;
      parallelRows('pairSumReluRows', { out: h1, items, users, ni, h, u0: a }, rows, h);
      g.sgemm(false, false, rows, n2, h, 1, h1, h, w2, n2, 0, h2, n2);
      parallelRows('biasReluRows', { x: h2, b: bias2, cols: n2 }, rows, n2);
      g.sgemm(false, false, rows, n3, n2, 1, h2, n2, w3, n3, 0, h3, n3);
      parallelRows('biasReluRows', { x: h3, b: bias3, cols: n3 }, rows, n3);
      g.sgemm(false, false, rows, 1, n3, 1, h3, n3, w4, 1, 0, scores, 1);
      for (let r = 0; r < rows; r++) out[a * ni + r] = scores[r] + b4[0];
    }
    return cpu.makeTensorInfo([nu, ni], 'float32', out) as never;
  },
};
