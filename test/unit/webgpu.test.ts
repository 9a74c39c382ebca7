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
