/**
 * The fused element-wise kernels split over worker threads: the same loss and gradients on 1 and 2 threads, and
 * the same as the plain tfjs formulas, at a size where the work is really split.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as tfNs from '@tensorflow/tfjs';
import { cpuTf, maxRelDiff, Tf } from './tfHelpers';
import { setParallelThreads, rangesFor, parallelRows, sharedF32, stopParallel } from '../../src/core/linalg/parallel';
import { Autoencoder, LocalKernelLayer, squaredDistances } from '../../src/core/models/autoencoders/kernelLayers';
import { Prng } from '../../src/core/data/prng';
import { registerCpuKernels } from '../../src/core/linalg/kernels/register';

const ITEMS = 300;
const USERS = 200;
const HIDDEN = 100;

function setup(tf: Tf) {
  const rng = new Prng(21);
  const r = new Float32Array(ITEMS * USERS);
  const m = new Float32Array(ITEMS * USERS);
  for (let k = 0; k < r.length; k++) if (rng.next() < 0.1) { r[k] = 1 + rng.int(5); m[k] = 1; }
  const R = tf.tensor2d(r, [ITEMS, USERS]);
  const M = tf.tensor2d(m, [ITEMS, USERS]);
  const layers = [
    new LocalKernelLayer(tf, rng, 'p1', USERS, HIDDEN, 'sigmoid', 2, 0.5),
    new LocalKernelLayer(tf, rng, 'p2', HIDDEN, USERS, 'identity', 2, 0.5),
  ];
  // spread the embeddings so that some kernel entries are 0 and the rest lie inside (0, 1)
  for (const l of layers) {
    l.u.assign(tf.tensor2d(Float32Array.from({ length: l.u.size }, () => rng.next() - 0.5), l.u.shape as [number, number]));
    l.v.assign(tf.tensor2d(Float32Array.from({ length: l.v.size }, () => rng.next() - 0.5), l.v.shape as [number, number]));
  }
  return { R, M, layers, ae: new Autoencoder(tf, layers) };
}

async function lossAndGrads(tf: Tf, f: () => tfNs.Scalar, vars: tfNs.Variable[]): Promise<{ value: number; grads: Float32Array[] }> {
  const { value, grads } = tf.variableGrads(f, vars);
  const out = { value: (await value.data())[0], grads: await Promise.all(vars.map(async (v) => (await grads[v.name].data()) as Float32Array)) };
  value.dispose();
  Object.values(grads).forEach((g) => g.dispose());
  return out;
}

test('fused autoencoder loss and gradients: 2 threads = 1 thread = plain tfjs ops', async () => {
  const tf = await cpuTf();
  // the fused kernels only (the stock matmul and element-wise kernels stay): the ops take the fused path
  registerCpuKernels(tf, { groups: ['fused'] });
  const { R, M, layers, ae } = setup(tf);
  const fused = () => tf.tidy(() => {
    const w = ae.weights();
    return tf.add(ae.sse(R, w, R, M), w.reg) as tfNs.Scalar;
  });
  // the same loss written with stock tfjs ops only
  const plain = () => tf.tidy(() => {
    let x = R as tfNs.Tensor2D;
    let reg = tf.scalar(0);
    for (const l of layers) {
      const K = tf.relu(tf.sub(1, squaredDistances(tf, l.u as unknown as tfNs.Tensor2D, l.v as unknown as tfNs.Tensor2D)));
      reg = tf.add(reg, tf.add(tf.mul(l.lambdaS / 2, tf.sum(tf.square(K))), tf.mul(l.lambda2 / 2, tf.sum(tf.square(l.W)))));
      const z = tf.add(tf.matMul(x, tf.mul(l.W, K)), l.b);
      x = (l.act === 'sigmoid' ? tf.sigmoid(z) : z) as tfNs.Tensor2D;
    }
    return tf.add(tf.mul(0.5, tf.sum(tf.square(tf.mul(M, tf.sub(R, x))))), reg) as tfNs.Scalar;
  });
  try {
    assert.equal(setParallelThreads(1), 1);
    const one = await lossAndGrads(tf, fused, ae.vars);
    assert.equal(setParallelThreads(2), 2);
    assert.ok(rangesFor(ITEMS, USERS) === 2 && rangesFor(USERS, HIDDEN * 19) === 2, 'the test sizes are large enough to be split');
    const two = await lossAndGrads(tf, fused, ae.vars);
    const ref = await lossAndGrads(tf, plain, ae.vars);
    assert.ok(Math.abs(one.value - ref.value) / ref.value < 1e-5, `loss: fused ${one.value} vs plain ${ref.value}`);
    assert.ok(Math.abs(two.value - one.value) / one.value < 1e-6, `loss: 2 threads ${two.value} vs 1 thread ${one.value}`);
    ae.vars.forEach((v, i) => {
      assert.ok(maxRelDiff(two.grads[i], one.grads[i]) < 1e-5, `${v.name}: 2 threads vs 1 thread`);
      assert.ok(maxRelDiff(one.grads[i], ref.grads[i]) < 1e-4, `${v.name}: fused vs plain tfjs (${maxRelDiff(one.grads[i], ref.grads[i])})`);
    });
    // the kernels produced some exact zeros (K = 0 entries), so both branches were exercised
    const K = await layers[0].kernel().data();
    assert.ok(K.some((k) => k === 0) && K.some((k) => k > 0 && k < 1));
  } finally {
    stopParallel();
    ae.dispose();
    R.dispose();
    M.dispose();
  }
});

test('a kernel that throws fails the call, and the pool keeps working', async () => {
  setParallelThreads(2);
  try {
    const rows = 1000;
    const y = sharedF32(rows * 100);
    // z missing: both the main thread's rows and the worker's rows throw; the call throws once both have finished
    assert.throws(() => parallelRows('biasSigmoidFwd', { z: null as unknown as Float32Array, b: sharedF32(100), y, cols: 100 }, rows, 400), /Cannot read properties of null/);
    const z = sharedF32(rows * 100);
    const b = sharedF32(100);
    assert.equal(parallelRows('biasSigmoidFwd', { z, b, y, cols: 100 }, rows, 400), 2);
    assert.ok(y.every((v) => v === 0.5));
  } finally {
    stopParallel();
  }
});

test('the worker threads do not keep the shared arrays of past calls: 1.6 GiB handed over in 200 calls leaves little resident', () => {
  // each call posts fresh SharedArrayBuffers; before the workers collected their own garbage every buffer a worker
  // had seen stayed alive (its heap barely grows, so V8 never collected it)
  require('v8').setFlagsFromString('--expose-gc');
  const gc = require('vm').runInNewContext('gc') as () => void;
  setParallelThreads(2);
  try {
    const n = 1 << 20; // 4 MiB per array, 8 MiB per call
    const b = sharedF32(1);
    for (let i = 0; i < 200; i++) {
      const z = sharedF32(n);
      const y = sharedF32(n);
      assert.equal(parallelRows('biasSigmoidFwd', { z, b, y, cols: 1 }, n, 4), 2);
    }
    gc();
    const held = process.memoryUsage().arrayBuffers;
    assert.ok(held < 700 * 2 ** 20, `${(held / 2 ** 20).toFixed(0)} MiB of array buffers still held after 1600 MiB were handed to the workers`);
  } finally {
    stopParallel();
  }
});
