/**
 * The one list of our CPU kernels, and their registration into the tfjs cpu backend. Replacing kernels keep the
 * stock kernel they replace (to fall back to for cases they do not handle, and to restore); kernels of our own
 * (the fused local kernel) come with their gradients. Groups can be installed and removed on their own (the tests
 * compare each group with the stock kernels). Models never see any of this: they call the ops of ../ops.ts.
 */
import * as os from 'os';
import type * as tfNs from '@tensorflow/tfjs';
import { loadBlas } from '../blas';
import { setConvBlas } from '../conv';
import type { CpuKernel, KernelGroup, Tf } from './kernel';
import { addKernel } from './Add';
import { subKernel } from './Sub';
import { multiplyKernel } from './Multiply';
import { realDivKernel } from './RealDiv';
import { maximumKernel } from './Maximum';
import { minimumKernel } from './Minimum';
import { negKernel } from './Neg';
import { squareKernel } from './Square';
import { reluKernel } from './Relu';
import { stepKernel } from './Step';
import { sigmoidKernel } from './Sigmoid';
import { tanhKernel } from './Tanh';
import { expKernel } from './Exp';
import { sqrtKernel } from './Sqrt';
import { sumKernel } from './Sum';
import { meanKernel } from './Mean';
import { sliceKernel } from './Slice';
import { padV2Kernel } from './PadV2';
import { tileKernel } from './Tile';
import { unsortedSegmentSumKernel } from './UnsortedSegmentSum';
import { fusedConv2DKernel } from './FusedConv2D';
import { krlPairMlp } from './KrlPairMlp';
import { conv2DKernel } from './Conv2D';
import { conv2DBackpropFilterKernel } from './Conv2DBackpropFilter';
import { conv2DBackpropInputKernel } from './Conv2DBackpropInput';
import { batchMatMulKernel } from './BatchMatMul';
import { fusedMatMulKernel } from './_FusedMatMul';
import { krlLocalKernel } from './KrlLocalKernel';
import { krlLocalKernelGrad } from './KrlLocalKernelGrad';

export const CPU_KERNELS: CpuKernel[] = [
  addKernel, subKernel, multiplyKernel, realDivKernel, maximumKernel, minimumKernel,
  negKernel, squareKernel, reluKernel, stepKernel, sigmoidKernel, tanhKernel, expKernel, sqrtKernel, sumKernel,
  meanKernel, sliceKernel, padV2Kernel, tileKernel, unsortedSegmentSumKernel,
  conv2DKernel, conv2DBackpropFilterKernel, conv2DBackpropInputKernel,
  batchMatMulKernel, fusedMatMulKernel, fusedConv2DKernel, krlPairMlp,
  krlLocalKernel, krlLocalKernelGrad,
];

export const ALL_GROUPS: KernelGroup[] = ['elementwise', 'conv', 'blas', 'fused'];

export interface BlasStatus {
  active: boolean;
  library?: string;
  core?: string;
  threads?: number;
  reason?: string;
}

/** Stock kernels we replaced, by name (restored by unregisterCpuKernels). */
const stock = new Map<string, tfNs.KernelConfig | undefined>();
const active = new Set<KernelGroup>();
const gradients = new Set<string>();
let blasStatus: BlasStatus | undefined;

function install(tf: Tf, k: CpuKernel, ctx: Parameters<CpuKernel['make']>[1]): void {
  const existing = tf.getKernel(k.kernelName, 'cpu');
  if (!stock.has(k.kernelName)) stock.set(k.kernelName, existing);
  const orig = stock.get(k.kernelName);
  if (existing) tf.unregisterKernel(k.kernelName, 'cpu');
  tf.registerKernel({ kernelName: k.kernelName, backendName: 'cpu', kernelFunc: k.make(orig?.kernelFunc, ctx) });
  // gradients live in a global registry keyed by kernel name: registered once
  if (k.gradient && !gradients.has(k.kernelName)) {
    tf.registerGradient(k.gradient(tf));
    gradients.add(k.kernelName);
  }
}

/**
 * Registers the kernels of the given groups (default: all) into the cpu backend (idempotent per group). The BLAS
 * group needs a library (Debian: libopenblas0-pthread): without one the stock matmul kernels stay and the status
 * says why. Returns the BLAS status.
 */
export function registerCpuKernels(tf: Tf, opts: { groups?: KernelGroup[]; blasLibrary?: string; threads?: number } = {}): BlasStatus {
  const groups = opts.groups ?? ALL_GROUPS;
  let status: BlasStatus = blasStatus ?? { active: false, reason: 'BLAS kernels not requested' };
  for (const g of groups) {
    if (g === 'blas') {
      const { blas, reason } = loadBlas(opts.blasLibrary);
      if (!blas) {
        status = { active: false, reason };
        continue;
      }
      const threads = opts.threads && opts.threads > 0 ? opts.threads : os.cpus().length;
      blas.setThreads(threads);
      if (active.has('blas')) {
        status = { ...(blasStatus as BlasStatus), threads: blas.threads };
        continue;
      }
      if (!tf.getKernel('BatchMatMul', 'cpu')) {
        status = { active: false, reason: 'tfjs CPU backend has no BatchMatMul kernel to replace' };
        continue;
      }
      // replacements need the stock kernel they replace; kernels of our own (Krl…) need none
      for (const k of CPU_KERNELS) if (k.group === 'blas' && (k.kernelName.startsWith('Krl') || (stock.get(k.kernelName) ?? tf.getKernel(k.kernelName, 'cpu')))) install(tf, k, { blas });
      setConvBlas(blas);
      blasStatus = status = { active: true, library: blas.library, core: blas.core, threads: blas.threads };
      active.add('blas');
      continue;
    }
    if (active.has(g)) continue;
    for (const k of CPU_KERNELS) {
      if (k.group !== g) continue;
      // a replacement needs the stock kernel it replaces (fused kernels are ours and need none)
      if (g !== 'fused' && !(stock.get(k.kernelName) ?? tf.getKernel(k.kernelName, 'cpu'))) continue;
      install(tf, k, {});
    }
    active.add(g);
  }
  return status;
}

/** Removes the kernels of the given groups (default: all), restoring the stock kernels they replaced. */
export function unregisterCpuKernels(tf: Tf, groups: KernelGroup[] = ALL_GROUPS): void {
  for (const g of groups) {
    if (!active.has(g)) continue;
    for (const k of CPU_KERNELS) {
      if (k.group !== g || !stock.has(k.kernelName)) continue;
      if (tf.getKernel(k.kernelName, 'cpu')) tf.unregisterKernel(k.kernelName, 'cpu');
      const orig = stock.get(k.kernelName);
      if (orig) tf.registerKernel(orig);
      stock.delete(k.kernelName);
    }
    active.delete(g);
    if (g === 'blas') {
      blasStatus = undefined;
      setConvBlas(undefined);
    }
  }
}
