/**
 * Our CPU kernels, in the style of tfjs-backend-cpu: one kernel per file, each a config with its kernel name,
 * registered from one list (./register.ts). A kernel either replaces a stock CPU kernel of the same name (and
 * falls back to it for the cases it does not handle) or adds one of ours (with its gradient).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Blas } from '../blas';

export type Tf = typeof tfNs;
export type KernelFunc = tfNs.KernelConfig['kernelFunc'];

/** Kernels are installed by group: the tests compare a group against the stock kernels it replaces. */
export type KernelGroup = 'elementwise' | 'conv' | 'blas' | 'fused';

export interface CpuKernel {
  kernelName: string;
  group: KernelGroup;
  /** The kernel function; `stock` is the shipped CPU kernel it replaces (undefined for kernels of our own). */
  make(stock: KernelFunc | undefined, ctx: { blas?: Blas }): KernelFunc;
  /** The gradient of a kernel of our own. */
  gradient?: (tf: Tf) => tfNs.GradConfig;
}
