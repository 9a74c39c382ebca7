/**
 * The fused element-wise kernels split over worker threads: the same loss and gradients on 1 and 2 threads, and
 * the same as the plain tfjs formulas, at a size where the work is really split.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as tfNs from '@tensorflow/tfjs';
import { cpuTf, maxRelDiff, Tf } from './tfHelpers';
import { setParallelThreads, rangesFor, parallelRows, sharedF32, stopParallel, adamRows } from '../../src/core/linalg/parallel';
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

test('im2col and col2im split over the workers (shared arrays) equal the one-thread walk; DLR²’s fused feature net the same on 1 and 2 threads', async (t) => {
  const { im2colInto, col2imInto, convGeometry } = await import('../../src/core/linalg/conv.js');
  const rng = new Prng(4);
  const cases: [number[], number[], number, 'same' | number][] = [
    [[7, 6, 40, 16], [3, 3, 16, 8], 1, 'same'],
    [[12, 6, 33, 12], [3, 3, 12, 8], 2, 1],
  ];
  setParallelThreads(2);
  try {
    for (const [xs, fs, s, pad] of cases) {
      const g = convGeometry({ strides: s, pad }, xs, fs)!;
      const n = xs.reduce((p, q) => p * q, 1);
      const x = sharedF32(n);
      for (let k = 0; k < n; k++) x[k] = rng.next() - 0.5;
      const size = g.n * g.ho * g.wo * g.kh * g.kw * g.c;
      assert.ok(rangesFor(g.n * g.ho, size / (g.n * g.ho)) > 1, `the work is really split: ${JSON.stringify(g)} ${rangesFor(g.n * g.ho, size / (g.n * g.ho))}`);
      const split = im2colInto(x, g, sharedF32(size).fill(NaN));
      const one = im2colInto(Float32Array.from(x), g, new Float32Array(size).fill(NaN));
      assert.deepEqual(split, one, `${xs} ${fs} stride ${s}`);
      assert.ok(one.every(Number.isFinite), 'every entry written');
      // col2im: the patches' entries added back where they came from (split by whole images), against a plain loop
      const cols = sharedF32(size);
      for (let k = 0; k < size; k++) cols[k] = rng.next() - 0.5;
      assert.ok(rangesFor(g.n, size / g.n) > 1, 'col2im is split');
      const back = col2imInto(cols, g, sharedF32(n));
      const want = new Float64Array(n);
      for (let r = 0, o = 0; r < g.n * g.ho; r++) {
        const b = Math.floor(r / g.ho);
        const oy = r % g.ho;
        for (let ox = 0; ox < g.wo; ox++) {
          for (let ky = 0; ky < g.kh; ky++) {
            for (let kx = 0; kx < g.kw; kx++) {
              const iy = oy * g.sh + ky - g.top;
              const ix = ox * g.sw + kx - g.left;
              for (let c = 0; c < g.c; c++, o++) if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) want[((b * g.h + iy) * g.w + ix) * g.c + c] += cols[o];
            }
          }
        }
      }
      assert.ok(maxRelDiff(Array.from(back), Array.from(want)) < 1e-5, `col2im ${xs} ${fs} stride ${s}`);
      assert.deepEqual(back, col2imInto(Float32Array.from(cols), g, new Float32Array(n)), 'split = one thread');
    }
    // the branch-free ReLU and its gradient, split over the pool, against the comparisons
    const { reluInPlace, maskInPlace } = await import('../../src/core/linalg/residualFeature.js');
    const len = 64 * 1000;
    assert.ok(rangesFor(64, len / 64) > 1, 'the ReLU passes are split');
    const y = sharedF32(len);
    for (let k = 0; k < len; k++) y[k] = k % 97 === 0 ? -0 : rng.next() - 0.5;
    const relu = Float32Array.from(y);
    reluInPlace(relu);
    assert.deepEqual(Array.from(relu), Array.from(y, (v) => (v > 0 ? v : 0)));
    const grad = sharedF32(len).fill(1.5);
    maskInPlace(grad, y);
    assert.deepEqual(Array.from(grad), Array.from(y, (v) => (v > 0 ? 1.5 : 0)));
    const relu2 = sharedF32(len);
    relu2.set(y);
    reluInPlace(relu2);
    assert.deepEqual(relu2, relu, 'split = one thread');
    // the fused feature net: features and gradients with the pool (shared buffers, split im2col) equal one thread's
    const { loadBlas } = await import('../../src/core/linalg/blas.js');
    const blas = loadBlas().blas;
    if (!blas) return t.skip('no BLAS library');
    const { ResidualFeature } = await import('../../src/core/linalg/residualFeature.js');
    const shape = { n: 8, h: 6, w: 32, c1: 8, c2: 16, d: 5, eps: 1e-5 };
    const r = (k: number, sc = 0.3) => Float32Array.from({ length: k }, () => (rng.next() - 0.5) * sc);
    const W = { w0: r(8, 2), w1: r(9 * 64), w2: r(9 * 64), w3: r(9 * 128), w4: r(9 * 256), w5: r(128), gamma: r(16).map((v) => 1 + v), beta: r(16), fcK: r(3 * 16 * 16 * 5), fcB: r(5) };
    const x = r(8 * 6 * 32, 4);
    const dout = r(40, 1);
    assert.ok(rangesFor(8 * 6, 32 * 72) > 1 && rangesFor(8 * 3, 16 * 144) > 1, 'its patch copies are split');
    const run = () => {
      const net = new ResidualFeature(blas, shape);
      const f = net.forward(x, W);
      return { out: Array.from(f.out), grads: Object.values(net.backward(f.tape, dout)).map((a) => Array.from(a as Float32Array)) };
    };
    const two = run();
    stopParallel();
    const single = run();
    assert.ok(maxRelDiff(two.out, single.out) === 0, 'features');
    two.grads.forEach((gr, k) => assert.ok(maxRelDiff(gr, single.grads[k]) === 0, `gradient ${k}`));
  } finally {
    stopParallel();
  }
});

test('Adam’s in-place pass split over the workers equals the one-thread pass and torch’s formula', () => {
  const rng = new Prng(11);
  const rows = 64;
  const cols = 1500;
  const n = rows * cols;
  const mk = (f: () => number) => {
    const a = sharedF32(n);
    for (let k = 0; k < n; k++) a[k] = f();
    return a;
  };
  setParallelThreads(2);
  try {
    assert.ok(rangesFor(rows, cols * 4) > 1, 'the pass is split');
    const x = mk(() => rng.next() - 0.5);
    const g = mk(() => (rng.next() - 0.5) * 0.1);
    const m0 = mk(() => (rng.next() - 0.5) * 0.01);
    const v0 = mk(() => rng.next() * 1e-4);
    const t = 3;
    const [lr, b1, b2, eps] = [1e-3, 0.9, 0.999, 1e-8];
    const scal = { step: lr / (1 - b1 ** t), ib: 1 / Math.sqrt(1 - b2 ** t), b1, b2, eps, cols };
    const split = { x, g, m: sharedF32(n), v: sharedF32(n), xo: sharedF32(n), ...scal };
    split.m.set(m0);
    split.v.set(v0);
    parallelRows('adamRows', split, rows, cols * 4);
    const one = { x: Float32Array.from(x), g: Float32Array.from(g), m: Float32Array.from(m0), v: Float32Array.from(v0), xo: new Float32Array(n), ...scal };
    adamRows(one, 0, rows);
    assert.deepEqual(split.xo, one.xo, 'new values');
    assert.deepEqual(split.m, one.m, 'first moment');
    assert.deepEqual(split.v, one.v, 'second moment');
    for (const k of [0, 777, n - 1]) {
      const m = b1 * m0[k] + (1 - b1) * g[k];
      const v = b2 * v0[k] + (1 - b2) * g[k] * g[k];
      const want = x[k] - (lr / (1 - b1 ** t)) * m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps);
      assert.ok(Math.abs(one.xo[k] - want) <= 1e-7 * Math.max(1, Math.abs(want)), `entry ${k}: ${one.xo[k]} vs ${want}`);
      assert.ok(Math.abs(one.m[k] - m) <= 1e-6 * Math.abs(m) && Math.abs(one.v[k] - v) <= 1e-6 * v, `moments at ${k}`);
    }
  } finally {
    stopParallel();
  }
});
