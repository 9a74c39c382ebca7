/**
 * Compute backend choice (DESIGN.md "Compute backends"). `auto` tries tensorflow (tfjs-node-gpu, then
 * tfjs-node) → webgpu (hardware adapter only) → cpu (tfjs CPU kernels, matmul through OpenBLAS when found).
 * Every probe failure is recorded in `skipped` with its reason, for the run log.
 */
import * as fs from 'fs';
import type { BackendInfo, RunSpec } from '../protocol/types';
import type { BackendSetup } from '../core/run';
import { registerCpuKernels } from '../core/linalg/kernels/register';
import { setParallelThreads } from '../core/linalg/parallel';

type Tf = typeof import('@tensorflow/tfjs');

let tfModule: Tf | undefined;
function loadTf(): Tf {
  if (!tfModule) {
    // tfjs prints a hint about tfjs-node on first use of its CPU backend in Node; we choose backends ourselves.
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      tfModule = require('@tensorflow/tfjs') as Tf;
    } finally {
      console.warn = warn;
    }
  }
  return tfModule;
}

function tryRequire(name: string): { mod?: unknown; error?: string } {
  try {
    return { mod: require(name) };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    return { error: msg };
  }
}

/**
 * tfjs-node(-gpu) brings its own copy of tfjs-core from node_modules (not the one bundled into the trainer), so
 * the models then use the tf namespace that package exports.
 */
async function tryTensorflow(skipped: string[]): Promise<BackendSetup | undefined> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    const r = tryRequire(pkg);
    if (!r.mod) {
      skipped.push(`tensorflow: ${pkg} not available (${r.error})`);
      continue;
    }
    try {
      const ntf = r.mod as Tf;
      await ntf.setBackend('tensorflow');
      await ntf.ready();
      const gpu = pkg.endsWith('-gpu') && hasCudaDevice();
      return { tf: ntf, info: { name: 'tensorflow', device: gpu ? 'CUDA GPU (libtensorflow)' : 'native CPU (libtensorflow)', blas: false, gpu, versions: versions(ntf, { [pkg]: pkgVersion(pkg) }), skipped } };
    } catch (e) {
      skipped.push(`tensorflow: ${pkg} loaded but its backend failed: ${(e as Error).message}`);
    }
  }
  return undefined;
}

/**
 * tfjs-node-gpu falls back to libtensorflow's CPU kernels silently when the CUDA libraries are missing; an NVIDIA
 * driver on the machine is the best cheap signal (libtensorflow's own device log goes to stderr, in the run log).
 */
function hasCudaDevice(): boolean {
  return !!process.env.CUDA_VISIBLE_DEVICES || fs.existsSync('/proc/driver/nvidia/version');
}

async function tryWebgpu(tf: Tf, skipped: string[], allowSoftware: boolean): Promise<BackendInfo | undefined> {
  const dawn = tryRequire('webgpu');
  if (!dawn.mod) {
    skipped.push(`webgpu: the npm package "webgpu" (Dawn) is not installed (${dawn.error})`);
    return undefined;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type GPU = any;
    const { create, globals } = dawn.mod as { create: (o: string[]) => GPU; globals: Record<string, unknown> };
    Object.assign(globalThis, globals);
    const gpu = create([]);
    const g = globalThis as unknown as { navigator?: { gpu?: GPU } };
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    else Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    // The backend registers itself only when navigator.gpu exists at load time. It is bundled with the trainer
    // (a static require) so that it registers into the same tfjs engine the models use.
    try {
      require('@tensorflow/tfjs-backend-webgpu');
    } catch (e) {
      skipped.push(`webgpu: @tensorflow/tfjs-backend-webgpu could not be loaded (${(e as Error).message.split('\n')[0]})`);
      return undefined;
    }
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      skipped.push('webgpu: no adapter found');
      return undefined;
    }
    const info = (adapter as unknown as { info?: { description?: string; device?: string; vendor?: string; architecture?: string; type?: string } }).info ?? {};
    const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'WebGPU adapter';
    const software = /swiftshader|llvmpipe|lavapipe|software|cpu/i.test(name) || info.type === 'CPU';
    if (software && !allowSoftware) {
      skipped.push(`webgpu: only a software adapter (${name}); auto ignores it (choose backend webgpu to use it anyway)`);
      return undefined;
    }
    await tf.setBackend('webgpu');
    await tf.ready();
    return { name: 'webgpu', device: name + (software ? ' (software)' : ''), blas: false, gpu: !software, versions: versions(tf, { webgpu: pkgVersion('webgpu'), '@tensorflow/tfjs-backend-webgpu': pkgVersion('@tensorflow/tfjs-backend-webgpu') }), skipped };
  } catch (e) {
    skipped.push(`webgpu: ${(e as Error).message}`);
    return undefined;
  }
}

async function useCpu(tf: Tf, spec: Pick<RunSpec, 'blasLibrary' | 'threads'>, skipped: string[]): Promise<BackendInfo> {
  // the CPU backend's constructor prints a hint about tfjs-node in Node; the run log says what we chose instead
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    await tf.setBackend('cpu');
    await tf.ready();
    // the CPU backend prints a banner about tfjs-node at its first write; we chose the backend ourselves and say so
    const b = tf.backend() as unknown as { firstUse?: boolean };
    if (b && 'firstUse' in b) b.firstUse = false;
  } finally {
    console.warn = warn;
  }
  // our CPU kernels, from one list (src/core/linalg/kernels/register.ts): element-wise, conv, BLAS matmuls, fused
  const blas = registerCpuKernels(tf, { blasLibrary: spec.blasLibrary, threads: spec.threads });
  if (!blas.active) skipped.push(`cpu BLAS: ${blas.reason}`);
  // the fused element-wise kernels split their rows over this many threads (the main one + workers)
  const threads = setParallelThreads(spec.threads);
  const plural = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;
  return {
    name: 'cpu',
    device: (blas.active ? `tfjs CPU + ${blas.library} (${blas.core ? `${blas.core} kernels, ` : ''}${plural(blas.threads ?? 1)})` : 'tfjs CPU (stock JavaScript kernels)') + `, element-wise on ${plural(threads)}`,
    blas: blas.active,
    gpu: false,
    versions: versions(tf, blas.active ? { blas: blas.library ?? '' } : {}),
    skipped,
  };
}

function pkgVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function versions(tf: Tf, extra: Record<string, string>): Record<string, string> {
  return { '@tensorflow/tfjs': tf.version?.tfjs ?? 'unknown', node: process.versions.node, ...extra };
}

/** Chooses and initialises the backend for a run. Throws when an explicitly requested backend is unavailable. */
export async function setupBackend(spec: Pick<RunSpec, 'backend' | 'blasLibrary' | 'threads'>, log: (m: string) => void = () => undefined): Promise<BackendSetup> {
  const tf = loadTf();
  const skipped: string[] = [];
  const want = spec.backend ?? 'auto';
  let info: BackendInfo | undefined;
  if (want === 'tensorflow' || want === 'auto') {
    const native = await tryTensorflow(skipped);
    if (native) {
      log(`tfjs backend: ${native.tf?.getBackend()}`);
      return native;
    }
    if (want === 'tensorflow') throw new Error(`backend "tensorflow" is not available: ${skipped.join('; ')}. Install @tensorflow/tfjs-node-gpu (needs CUDA 11.2 + cuDNN 8.1) or choose auto.`);
  }
  if (!info && (want === 'webgpu' || want === 'auto')) {
    info = await tryWebgpu(tf, skipped, want === 'webgpu');
    if (!info && want === 'webgpu') throw new Error(`backend "webgpu" is not available: ${skipped.join('; ')}`);
  }
  if (!info) info = await useCpu(tf, spec, skipped);
  log(`tfjs backend: ${tf.getBackend()}`);
  return { tf, info };
}
