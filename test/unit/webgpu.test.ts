/**
 * The webgpu backend (Dawn through the npm `webgpu` package). Runs where an adapter exists — on CI a software
 * Vulkan driver (Mesa ≥ 25 lavapipe; Mesa 22's fails adapter creation); skipped with the reason elsewhere.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setupBackend } from '../../src/trainer/backend';
import { executeRun, RunSink } from '../../src/core/run';
import { syntheticTsv } from '../../src/core/data/synthetic';
import type { EpochMetrics, RunSpec } from '../../src/protocol/types';
import { tmpDir, writeFile } from './helpers';
import * as ops from '../../src/core/linalg/ops';
import { Prng } from '../../src/core/data/prng';

async function webgpuAvailable(): Promise<string | undefined> {
  try {
    const dawn = require('webgpu') as { create: (o: string[]) => { requestAdapter(): Promise<unknown> } };
    const adapter = await dawn.create([]).requestAdapter();
    return adapter ? undefined : 'no WebGPU adapter (needs a Vulkan driver: Debian bookworm-backports mesa-vulkan-drivers ≥ 25)';
  } catch (e) {
    return `the webgpu package cannot load: ${(e as Error).message.split('\n')[0]}`;
  }
}

const dir = tmpDir();
const data = writeFile(dir, 'syn.tsv', syntheticTsv({ users: 40, items: 30, rank: 2, density: 0.4, noise: 0.2, seed: 2 }));

test('a tiny GLocal-K run on webgpu matches the cpu run', async (t) => {
  const why = await webgpuAvailable();
  if (why) {
    t.skip(why);
    return;
  }
  const runOn = async (backend: 'cpu' | 'webgpu') => {
    const epochs: EpochMetrics[] = [];
    let device = '';
    const sink: RunSink = { log: () => undefined, backend: (b) => (device = `${b.name}: ${b.device}`), dataset: () => undefined, epoch: (m) => epochs.push(m), loss: () => undefined, artifact: () => undefined, progress: () => undefined };
    const spec: RunSpec = { model: 'glocal-k', overrides: { hidden: 8, preEpochs: 2, preMaxiter: 3, fineEpochs: 1, fineMaxiter: 2 }, dataset: { train: data }, split: 'random:0.2:1', valFraction: 0.1, seed: 3, backend };
    const r = await executeRun(spec, sink, { runId: backend, setupBackend, isCancelled: () => false });
    assert.equal(r.summary.status, 'completed', r.summary.error);
    return { epochs, device, summary: r.summary };
  };
  const cpu = await runOn('cpu');
  const gpu = await runOn('webgpu');
  assert.match(gpu.device, /^webgpu/);
  assert.equal(gpu.epochs.length, cpu.epochs.length);
  // same initial weights (our PRNG) and data: the first epoch's loss agrees to float32 accumulation differences
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
  assert.ok(rel(gpu.epochs[0].trainLoss, cpu.epochs[0].trainLoss) < 1e-3, `loss ${gpu.epochs[0].trainLoss} vs ${cpu.epochs[0].trainLoss}`);
  for (let i = 0; i < cpu.epochs.length; i++) {
    assert.ok(Math.abs(gpu.epochs[i].test.rmse - cpu.epochs[i].test.rmse) < 0.01, `epoch ${i + 1}: test RMSE ${gpu.epochs[i].test.rmse} vs ${cpu.epochs[i].test.rmse}`);
  }
});

test('every fused op (σ(z + b), the masked SSE, the local kernel and its regulariser, squared distances) equals the cpu backend’s fused kernels on webgpu: values and gradients', async (t) => {
  const why = await webgpuAvailable();
  if (why) {
    t.skip(why);
    return;
  }
  
  const rng = new Prng(9);
  const [m, n, d] = [37, 53, 5];
  const arr = (len: number, f: () => number) => Float32Array.from({ length: len }, f);
  const data = {
    z: arr(m * n, () => rng.normal() * 2), b: arr(n, () => rng.normal()), R: arr(m * n, () => 1 + rng.int(5)), M: arr(m * n, () => (rng.next() < 0.3 ? 1 : 0)),
    W: arr(m * n, () => rng.normal() * 0.5), u: arr(m * d, () => rng.normal() * 0.3), v: arr(n * d, () => rng.normal() * 0.3), C: arr(m * n, () => rng.normal()),
  };
  // each case: a scalar of the op's output (weighted by a fixed random C, so the upstream gradient is not uniform)
  // and the gradients with respect to its inputs
  const run = async (backend: 'cpu' | 'webgpu') => {
    const tf = (await setupBackend({ backend })).tf as typeof import('@tensorflow/tfjs');
    const T = (x: Float32Array, shape: number[]) => tf.tensor(x, shape);
    const z = T(data.z, [m, n]) as import('@tensorflow/tfjs').Tensor2D;
    const b = T(data.b, [n]);
    const R = T(data.R, [m, n]) as import('@tensorflow/tfjs').Tensor2D;
    const M = T(data.M, [m, n]) as import('@tensorflow/tfjs').Tensor2D;
    const W = T(data.W, [m, n]) as import('@tensorflow/tfjs').Tensor2D;
    const u = T(data.u, [m, d]) as import('@tensorflow/tfjs').Tensor2D;
    const v = T(data.v, [n, d]) as import('@tensorflow/tfjs').Tensor2D;
    const C = T(data.C, [m, n]);
    const cases: Record<string, { f: (...x: import('@tensorflow/tfjs').Tensor[]) => import('@tensorflow/tfjs').Scalar; xs: import('@tensorflow/tfjs').Tensor[] }> = {
      biasSigmoid: { f: (zz, bb) => tf.sum(tf.mul(ops.biasSigmoid(tf, zz as never, bb), C)), xs: [z, b] },
      maskedSseBias: { f: (zz, bb) => tf.mul(ops.maskedSseBias(tf, zz as never, bb, R, M), 0.7), xs: [z, b] },
      localKernel: { f: (ww, uu, vv) => { const r = ops.localKernel(tf, ww as never, uu as never, vv as never, 0.006, 20); return tf.add(tf.sum(tf.mul(r.W, C)), tf.mul(r.reg, 0.3)); }, xs: [W, u, v] },
      squaredDistances: { f: (uu, vv) => tf.sum(tf.mul(ops.squaredDistances(tf, uu as never, vv as never), C)), xs: [u, v] },
    };
    const out: Record<string, { value: number; grads: Float32Array[]; device: string }> = {};
    for (const [name, c] of Object.entries(cases)) {
      const { value, grads } = tf.valueAndGrads(c.f as never)(c.xs);
      out[name] = { value: (await value.data())[0], grads: await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array)), device: tf.getBackend() };
    }
    if (backend === 'webgpu') {
      // the fused WGSL passes ran (not the composite fallback)
      const keys = Object.keys((tf.backend() as unknown as { pipelineCache: Record<string, unknown> }).pipelineCache);
      for (const p of ['krl_bias_sigmoid_', 'krl_bias_sigmoid_grad', 'krl_masked_sse_square', 'krl_masked_sse_grad', 'krl_sq_dist', 'krl_lk_weff', 'krl_lk_reg_', 'krl_lk_dw', 'krl_lk_dd', 'krl_lk_regd']) assert.ok(keys.some((k) => k.startsWith(p)), `WGSL program ${p} ran`);
    }
    return out;
  };
  const cpu = await run('cpu');
  const gpu = await run('webgpu');
  for (const name of Object.keys(cpu)) {
    assert.equal(gpu[name].device, 'webgpu');
    const rel = Math.abs(gpu[name].value - cpu[name].value) / Math.max(1, Math.abs(cpu[name].value));
    assert.ok(rel < 1e-4, `${name}: value ${gpu[name].value} on webgpu vs ${cpu[name].value} on cpu`);
    cpu[name].grads.forEach((g, k) => {
      const h = gpu[name].grads[k];
      const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
      let worst = 0;
      for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(h[i] - g[i]) / scale);
      assert.ok(worst < 1e-4, `${name}: gradient ${k} differs by ${worst.toExponential(2)} of its largest entry`);
    });
  }
});
