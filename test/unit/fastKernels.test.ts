/** Our CPU element-wise, reduction and convolution kernels (src/core/linalg/kernels/, by group) against the stock tfjs kernels. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpuTf, maxRelDiff } from './tfHelpers';
import { registerCpuKernels, unregisterCpuKernels } from '../../src/core/linalg/kernels/register';
import { conv2dSame, getConvBlas, im2colInto } from '../../src/core/linalg/conv';
import { loadBlas } from '../../src/core/linalg/blas';

type TfNs = Parameters<typeof registerCpuKernels>[0];
const installFastElementwise = (tf: TfNs) => registerCpuKernels(tf, { groups: ['elementwise'] });
const uninstallFastElementwise = (tf: TfNs) => unregisterCpuKernels(tf, ['elementwise']);
const installFastConv = (tf: TfNs) => registerCpuKernels(tf, { groups: ['conv'] });
import { shiftConv, globalConv } from '../../src/core/models/autoencoders/glocalK.train';
import { Prng } from '../../src/core/data/prng';
import { buildDlr2, featureInfer, featureTrain } from '../../src/core/models/ranking/dlr2Net';
import { maskInPlace, reluInPlace, shiftCols, shiftColsAdjoint, stridedCols, transposeInto } from '../../src/core/linalg/residualFeature';

/** Runs body on the cpu backend with the BLAS convolution and matmul kernels registered (skipped without BLAS). */
async function withBlasKernels(t: import('node:test').TestContext, body: (tf: Awaited<ReturnType<typeof cpuTf>>) => Promise<void>): Promise<void> {
  const tf = await cpuTf();
  if (!loadBlas().blas) return t.skip('no BLAS library (Debian: libopenblas0-pthread)');
  registerCpuKernels(tf, { groups: ['conv', 'blas'] });
  try {
    await body(tf);
  } finally {
    unregisterCpuKernels(tf, ['conv', 'blas']);
  }
}

const rng = new Prng(9);
const rand = (shape: number[]) => Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng.next() * 4 - 2);

const PAIRS: [number[], number[]][] = [
  [[5, 7], [5, 7]], [[5, 7], []], [[], [5, 7]], [[5, 7], [7]], [[7], [5, 7]], [[5, 7], [1, 7]], [[1, 7], [5, 7]],
  [[5, 7], [5, 1]], [[5, 1], [5, 7]], [[5, 1], [1, 7]], [[1, 7], [5, 1]], [[2, 3, 4], [4]], [[2, 3, 4], [3, 1]], [[1], [1]], [[0, 3], [3]],
];

test('Add, Sub, Multiply, RealDiv, Maximum, Minimum equal the stock kernels on every broadcast pattern', async () => {
  const tf = await cpuTf();
  const ops = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div, maximum: tf.maximum, minimum: tf.minimum } as const;
  for (const [sa, sb] of PAIRS) {
    const a = tf.tensor(rand(sa), sa);
    const b = tf.tensor(rand(sb), sb);
    for (const [name, op] of Object.entries(ops)) {
      uninstallFastElementwise(tf);
      const stock = await (op as (x: unknown, y: unknown) => import('@tensorflow/tfjs').Tensor)(a, b).data();
      installFastElementwise(tf);
      const t = (op as (x: unknown, y: unknown) => import('@tensorflow/tfjs').Tensor)(a, b);
      const ours = await t.data();
      assert.equal(maxRelDiff(ours, stock), 0, `${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
    }
  }
  // a float32 tensor holding Uint8Array values (a cast boolean mask) takes the fast path with the same result
  const mask = tf.cast(tf.greater(tf.tensor(rand([4, 6]), [4, 6]), 0), 'float32');
  const x = tf.tensor(rand([4, 6]), [4, 6]);
  uninstallFastElementwise(tf);
  const stock = await tf.mul(mask, x).data();
  installFastElementwise(tf);
  assert.equal(maxRelDiff(await tf.mul(mask, x).data(), stock), 0);
});

test('Sum over each axis and in full, and the unary kernels, match the stock kernels', async () => {
  const tf = await cpuTf();
  const x = tf.tensor2d(rand([37, 53]), [37, 53]);
  const cases: [string, () => import('@tensorflow/tfjs').Tensor][] = [
    ['sum0', () => tf.sum(x, 0)], ['sum1', () => tf.sum(x, 1)], ['sum1k', () => tf.sum(x, 1, true)], ['sumAll', () => tf.sum(x)], ['sum-1', () => tf.sum(x, -1)],
    ['neg', () => tf.neg(x)], ['square', () => tf.square(x)], ['relu', () => tf.relu(x)], ['sigmoid', () => tf.sigmoid(x)], ['tanh', () => tf.tanh(x)],
    ['exp', () => tf.exp(x)], ['sqrt', () => tf.sqrt(tf.abs(x))], ['step', () => tf.step(x)], ['step-alpha', () => tf.step(x, 0.3)],
  ];
  for (const [name, f] of cases) {
    uninstallFastElementwise(tf);
    const stock = f();
    const sv = await stock.data();
    installFastElementwise(tf);
    const ours = f();
    assert.deepEqual(ours.shape, stock.shape, name);
    // reductions accumulate in float64 (the stock kernel in float32): equal to float32 rounding
    assert.ok(maxRelDiff(await ours.data(), sv) <= (name.startsWith('sum') ? 1e-5 : 0), `${name}: ${maxRelDiff(await ours.data(), sv)}`);
  }
});

test('single-channel "same" conv2d and its gradients match the stock kernels and the 9-shift formulation', async () => {
  const tf = await cpuTf();
  for (const k of [3, 5]) {
    const h = 11;
    const w = 8;
    const x = tf.tensor2d(rand([h, w]), [h, w]);
    const f = tf.tensor1d(rand([k * k]));
    const loss = (impl: string) => (xx: import('@tensorflow/tfjs').Tensor, ff: import('@tensorflow/tfjs').Tensor) => tf.sum(tf.mul(tf.relu(globalConv(tf, xx as never, ff, k, impl)), tf.range(0, h * w).reshape([h, w]).div(h * w)));
    const run = async (impl: string) => {
      const g = tf.grads(loss(impl) as never);
      const [gx, gf] = g([x, f]);
      return { y: await globalConv(tf, x as never, f, k, impl).data(), gx: await gx.data(), gf: await gf.data() };
    };
    const stock = await run('conv2d');
    const shift = await run('shift');
    installFastConv(tf);
    const ours = await run('conv2d');
    for (const key of ['y', 'gx', 'gf'] as const) {
      assert.ok(maxRelDiff(ours[key], stock[key]) <= 1e-5, `k=${k} ${key} fast vs stock ${maxRelDiff(ours[key], stock[key])}`);
      assert.ok(maxRelDiff(shift[key], stock[key]) <= 1e-5, `k=${k} ${key} shift vs conv2d ${maxRelDiff(shift[key], stock[key])}`);
    }
  }
  // hand-computed: a centred delta filter is the identity; a right-shift filter moves columns
  const img = Float32Array.from({ length: 12 }, (_, i) => i + 1);
  const delta = new Float32Array(9);
  delta[4] = 1;
  assert.deepEqual(Array.from(conv2dSame(img, 3, 4, delta, 3)), Array.from(img));
  const left = new Float32Array(9);
  left[3] = 1; // out[i,j] = x[i, j−1]
  assert.deepEqual(Array.from(conv2dSame(img, 3, 4, left, 3)), [0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11]);
  void shiftConv;
});

test('multi-channel conv2d (im2col + sgemm) and its gradients match the stock kernels: DLR²’s shapes, strides and paddings', async (t) => {
  const tf = await cpuTf();
  if (!loadBlas().blas) return t.skip('no BLAS library (Debian: libopenblas0-pthread)');
  const CASES: { x: number[]; f: number[]; s: number; pad: 'same' | 'valid' | number[][] }[] = [
    { x: [2, 6, 9, 1], f: [1, 1, 1, 4], s: 1, pad: 'valid' },
    { x: [2, 6, 9, 4], f: [3, 3, 4, 5], s: 1, pad: 'same' },
    { x: [3, 8, 10, 4], f: [3, 3, 4, 6], s: 2, pad: 'valid' },
    { x: [2, 6, 8, 3], f: [1, 1, 3, 5], s: 2, pad: 'valid' },
    { x: [1, 7, 5, 2], f: [3, 2, 2, 3], s: 2, pad: 'same' },
    // stride 1, 'same': the input gradient as a flipped-filter convolution, odd and even (asymmetric padding) kernels
    { x: [2, 5, 7, 3], f: [2, 4, 3, 2], s: 1, pad: 'same' },
    { x: [1, 6, 4, 2], f: [5, 3, 2, 4], s: 1, pad: 'same' },
  ];
  const data = CASES.map((c) => ({ x: rand(c.x), f: rand(c.f) }));
  const runAll = async () => {
    const out: Float32Array[][] = [];
    for (const [i, c] of CASES.entries()) {
      const x = tf.tensor4d(data[i].x, c.x as [number, number, number, number]);
      const f = tf.tensor4d(data[i].f, c.f as [number, number, number, number]);
      const conv = (xx: import('@tensorflow/tfjs').Tensor4D, ff: import('@tensorflow/tfjs').Tensor4D) => {
        const xp = Array.isArray(c.pad) ? tf.pad(xx, c.pad as [number, number][]) : xx;
        return tf.conv2d(xp as import('@tensorflow/tfjs').Tensor4D, ff, c.s, Array.isArray(c.pad) ? 'valid' : c.pad);
      };
      const y = conv(x, f);
      const w = tf.tensor(Float32Array.from({ length: y.size }, (_, k) => Math.sin(k + 1)), y.shape);
      const [gx, gf] = tf.grads((a: import('@tensorflow/tfjs').Tensor, b: import('@tensorflow/tfjs').Tensor) => tf.sum(tf.mul(conv(a as never, b as never), w)))([x, f]);
      out.push([await y.data() as Float32Array, await gx.data() as Float32Array, await gf.data() as Float32Array]);
    }
    return out;
  };
  unregisterCpuKernels(tf, ['conv', 'blas']);
  const stock = await runAll();
  registerCpuKernels(tf, { groups: ['conv', 'blas'] });
  const ours = await runAll();
  unregisterCpuKernels(tf, ['conv', 'blas']);
  CASES.forEach((c, i) => ['y', 'dx', 'df'].forEach((name, j) => {
    assert.equal(ours[i][j].length, stock[i][j].length, `${JSON.stringify(c)} ${name}`);
    assert.ok(maxRelDiff(ours[i][j], stock[i][j]) <= 1e-5, `${JSON.stringify(c)} ${name}: ${maxRelDiff(ours[i][j], stock[i][j])}`);
  }));
});

test('Slice, PadV2, Tile, Mean and UnsortedSegmentSum (contiguous runs, matrix reductions, scatter-add) equal the stock kernels', async () => {
  const tf = await cpuTf();
  const shape = [3, 4, 5, 6];
  const xv = rand(shape);
  const cases: [string, (t: typeof tf) => import('@tensorflow/tfjs').Tensor][] = [
    ['slice inner', (t) => t.slice(t.tensor4d(xv, shape as never), [1, 1, 1, 0], [2, 2, 3, 6])],
    ['slice last axis', (t) => t.slice(t.tensor4d(xv, shape as never), [0, 0, 0, 2], [3, 4, 5, 3])],
    ['slice all', (t) => t.slice(t.tensor4d(xv, shape as never), [0, 0, 0, 0], [-1, -1, -1, -1])],
    ['slice 1-d', (t) => t.slice(t.tensor1d(xv.subarray(0, 10)), [3], [4])],
    ['pad', (t) => t.pad(t.tensor4d(xv, shape as never), [[0, 0], [1, 1], [2, 1], [0, 0]])],
    ['pad last axis, value', (t) => t.pad(t.tensor4d(xv, shape as never), [[1, 0], [0, 0], [0, 0], [2, 3]], 1.5)],
    ['tile', (t) => t.tile(t.tensor4d(xv.subarray(0, 6), [1, 1, 1, 6]), [3, 2, 4, 1])],
    ['tile inner', (t) => t.tile(t.tensor2d(xv.subarray(0, 6), [2, 3]), [2, 3])],
    ['mean leading', (t) => t.mean(t.tensor4d(xv, shape as never), [0, 1, 2])],
    ['mean trailing keepDims', (t) => t.mean(t.tensor4d(xv, shape as never), [2, 3], true)],
    ['mean middle (stock)', (t) => t.mean(t.tensor4d(xv, shape as never), [1, 2])],
    ['sum leading', (t) => t.sum(t.tensor4d(xv, shape as never), [0, 1, 2])],
    ['unsorted segment sum', (t) => t.unsortedSegmentSum(t.tensor2d(xv.subarray(0, 30), [10, 3]), t.tensor1d([4, 0, 4, 2, 9, 1, 0, 3, 3, 4], 'int32'), 6)],
    ['gather gradient', (t) => t.grad((e: import('@tensorflow/tfjs').Tensor) => t.sum(t.mul(t.gather(e, t.tensor1d([2, 0, 2, 5], 'int32')), t.tensor2d(xv.subarray(0, 12), [4, 3]))))(t.tensor2d(xv.subarray(0, 18), [6, 3]))],
  ];
  unregisterCpuKernels(tf, ['elementwise']);
  const stock = await Promise.all(cases.map(async ([, f]) => { const y = f(tf); return { shape: y.shape, v: await y.data() }; }));
  installFastElementwise(tf);
  for (const [i, [name, f]] of cases.entries()) {
    const y = f(tf);
    assert.deepEqual(y.shape, stock[i].shape, name);
    assert.ok(maxRelDiff(await y.data(), stock[i].v) <= 1e-6, `${name}: ${maxRelDiff(await y.data(), stock[i].v)}`);
  }
  uninstallFastElementwise(tf);
});

test('DLR²’s fused feature net (forward + backward on BLAS) equals the layers: features, every gradient, the batch-norm moving statistics', (t) => withBlasKernels(t, async (tf) => {
  for (const [dims, n] of [[8, 3], [10, 2]] as const) {
    const nets = buildDlr2(tf, dims, 5, new Prng(3));
    // a non-trivial batch norm (γ ≠ 1, β ≠ 0) so its gradient terms all count
    const [g, b] = nets.parts.bn.trainableWeights;
    g.write(tf.tensor1d(rand([128]).map((v) => 1 + 0.5 * v)));
    b.write(tf.tensor1d(rand([128]).map((v) => 0.3 * v)));
    const img = tf.variable(tf.tensor4d(rand([n, 6, dims, 1]), [n, 6, dims, 1]));
    const w = tf.tensor2d(Float32Array.from({ length: n * dims }, (_, k) => Math.cos(k + 0.5)), [n, dims]);
    const vars = [img, ...nets.feature.trainableWeights.map((v) => v.read() as import('@tensorflow/tfjs').Variable)];
    const moving = nets.parts.bn.nonTrainableWeights;
    const start = moving.map((v) => v.read().clone());
    const run = (fused: boolean) => {
      moving.forEach((v, k) => v.write(start[k].clone()));
      let feat: Float32Array = new Float32Array(0);
      const { value, grads } = tf.variableGrads(() => {
        const s = featureTrain(tf, nets, img, { fused });
        feat = s.dataSync().slice() as Float32Array;
        return tf.sum(tf.mul(s, w)) as import('@tensorflow/tfjs').Scalar;
      }, vars);
      value.dispose();
      return { feat, grads: vars.map((v) => grads[v.name].dataSync().slice() as Float32Array), moving: moving.map((v) => v.read().dataSync().slice() as Float32Array) };
    };
    const layers = run(false);
    const fused = run(true);
    assert.ok(maxRelDiff(fused.feat, layers.feat) <= 1e-5, `features (dims ${dims}): ${maxRelDiff(fused.feat, layers.feat)}`);
    vars.forEach((v, k) => {
      let scale = 0;
      let worst = 0;
      layers.grads[k].forEach((x, i) => {
        scale = Math.max(scale, Math.abs(x));
        worst = Math.max(worst, Math.abs(x - fused.grads[k][i]));
      });
      assert.ok(scale > 0, `${v.name}: the layers' gradient is not all zero`);
      const err = worst / scale;
      assert.ok(err <= 1e-4, `gradient of ${v.name} (dims ${dims}): ${err}`);
    });
    moving.forEach((v, k) => assert.ok(maxRelDiff(fused.moving[k], layers.moving[k]) <= 1e-5, `${v.name}: ${maxRelDiff(fused.moving[k], layers.moving[k])}`));
    assert.ok(maxRelDiff(fused.moving[0], start[0].dataSync()) > 1e-3, 'the moving mean moved');
  }
}));

test('DLR²’s fused feature net in inference mode (moving statistics, slices of the training batch, a padded last slice) equals the layers', (t) => withBlasKernels(t, async (tf) => {
  assert.ok(getConvBlas(), 'the fused path is active (BLAS registered for the convolutions)');
  for (const [dims, count, batch] of [[8, 3, 4], [10, 45, 16], [8, 32, 32]] as const) {
    const nets = buildDlr2(tf, dims, 5, new Prng(6));
    const [g, b] = nets.parts.bn.trainableWeights;
    g.write(tf.tensor1d(rand([128]).map((v) => 1 + 0.5 * v)));
    b.write(tf.tensor1d(rand([128]).map((v) => 0.3 * v)));
    const [mm, mv] = nets.parts.bn.nonTrainableWeights;
    mm.write(tf.tensor1d(rand([128]).map((v) => 0.5 * v)));
    mv.write(tf.tensor1d(rand([128]).map((v) => 1 + 0.4 * v)));
    const img = tf.tensor4d(rand([count, 6, dims, 1]), [count, 6, dims, 1]);
    const want = (nets.feature.apply(img, { training: false }) as import('@tensorflow/tfjs').Tensor).dataSync();
    const got = featureInfer(tf, nets, img, batch);
    assert.deepEqual(got.shape, [count, dims]);
    assert.ok(maxRelDiff(got.dataSync(), want) <= 1e-5, `dims ${dims}, ${count} images in slices of ${batch}: ${maxRelDiff(got.dataSync(), want)}`);
  }
}));

test('DLR²’s fused feature net hands a gradient array out again only once tfjs has released the tensor holding it', (t) => withBlasKernels(t, async (tf) => {
  const nets = buildDlr2(tf, 8, 5, new Prng(5));
  const img = tf.variable(tf.tensor4d(rand([3, 6, 8, 1]), [3, 6, 8, 1]));
  const vars = [img, ...nets.feature.trainableWeights.map((v) => v.read() as import('@tensorflow/tfjs').Variable)];
  const grads = () => {
    const { value, grads: g } = tf.variableGrads(() => tf.sum(featureTrain(tf, nets, img)) as import('@tensorflow/tfjs').Scalar, vars);
    value.dispose();
    return vars.map((v) => g[v.name]);
  };
  const snapshot = (g: import('@tensorflow/tfjs').Tensor[]) => g.map((x) => Array.from(x.dataSync()));
  const first = grads();
  const kept = snapshot(first);
  img.assign(tf.tensor4d(rand([3, 6, 8, 1]), [3, 6, 8, 1]));
  const second = grads();
  assert.deepEqual(snapshot(first), kept, 'gradients still held keep their values while the next batch is differentiated');
  assert.ok(snapshot(second).some((g, k) => maxRelDiff(g, kept[k]) > 1e-3), 'the second batch has other gradients');
  const want = snapshot(second);
  tf.dispose([...first, ...second]);
  const third = grads();
  assert.deepEqual(snapshot(third), want, 'after release the arrays are reused, and the same batch gives the same gradients');
  tf.dispose(third);
  img.dispose();
}));

test('DLR²’s channel-major patches: shiftCols and stridedCols equal the NHWC im2col transposed, every entry written; their adjoints; the tiled transpose', () => {
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((acc, v, i) => acc + v * b[i], 0);
  const toNhwc = (src: Float32Array, C: number, P: number) => {
    const out = new Float32Array(P * C);
    for (let c = 0; c < C; c++) for (let p = 0; p < P; p++) out[p * C + c] = src[c * P + p];
    return out;
  };
  const sameAsIm2col = (cols: Float32Array, ref: Float32Array, K: number, M: number, label: string) => {
    for (let j = 0; j < K; j++) for (let m = 0; m < M; m++) assert.equal(cols[j * M + m], ref[m * K + j], `${label}: row ${j}, column ${m}`);
  };
  // stride 1 'same': odd filters, a one-row image, a filter wider than the image
  for (const [n, h, w, C, k] of [[2, 6, 7, 3, 3], [3, 3, 5, 2, 5], [2, 1, 4, 2, 3], [1, 4, 2, 1, 5]]) {
    const P = n * h * w;
    const K = k * k * C;
    const pad = (k - 1) / 2;
    const src = rand([C * P]);
    const ref = im2colInto(toNhwc(src, C, P), { n, h, w, c: C, kh: k, kw: k, co: 1, sh: 1, sw: 1, top: pad, left: pad, ho: h, wo: w }, new Float32Array(P * K));
    const cols = shiftCols(src, C, n, h, w, k, new Float32Array(K * P).fill(NaN));
    sameAsIm2col(cols, ref, K, P, `shiftCols ${[n, h, w, C, k]}`);
    const B = rand([K * P]);
    const adj = shiftColsAdjoint(B, C, n, h, w, k, new Float32Array(C * P));
    const [l, r] = [dot(cols, B), dot(src, adj)];
    assert.ok(Math.abs(l - r) <= 1e-5 * Math.max(1, Math.abs(l)), `shiftColsAdjoint ${[n, h, w, C, k]}: ${l} vs ${r}`);
  }
  // stride 2, padding 1, 3×3 (the second block's first convolution): even and odd sizes
  for (const [n, h, w, C] of [[2, 6, 8, 3], [1, 5, 7, 2], [2, 2, 3, 1]]) {
    const P = n * h * w;
    const ho = Math.floor((h - 1) / 2) + 1;
    const wo = Math.floor((w - 1) / 2) + 1;
    const Q = n * ho * wo;
    const K = 9 * C;
    const src = rand([C * P]);
    const g = { n, h, w, C, k: 3, s: 2, pad: 1, ho, wo };
    const ref = im2colInto(toNhwc(src, C, P), { n, h, w, c: C, kh: 3, kw: 3, co: 1, sh: 2, sw: 2, top: 1, left: 1, ho, wo }, new Float32Array(Q * K));
    const cols = new Float32Array(K * Q).fill(NaN);
    stridedCols(src, g, cols);
    sameAsIm2col(cols, ref, K, Q, `stridedCols ${[n, h, w, C]}`);
    const B = rand([K * Q]);
    const back = new Float32Array(C * P);
    stridedCols(back, g, B, true);
    const [l, r] = [dot(cols, B), dot(src, back)];
    assert.ok(Math.abs(l - r) <= 1e-5 * Math.max(1, Math.abs(l)), `strided scatter-add ${[n, h, w, C]}: ${l} vs ${r}`);
  }
  // transposes across tile edges, signed zeros and NaN kept
  const [rows, cols] = [37, 70];
  const a = rand([rows * cols]);
  a[5] = -0;
  a[6] = NaN;
  const tr = transposeInto(a, rows, cols, new Float32Array(rows * cols).fill(7));
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) assert.ok(Object.is(tr[c * rows + r], a[r * cols + c]), `transpose ${r},${c}`);
});

test('the branch-free ReLU and ReLU-gradient passes equal the comparisons they replace, signed zeros included', () => {
  const values = [-3.5, -1e-30, -0, 0, 1e-30, 2.25, -Infinity, Infinity, 7, -7];
  const a = Float32Array.from(values);
  reluInPlace(a);
  assert.deepEqual(Array.from(a), values.map((v) => (v > 0 ? Math.fround(v) : 0)));
  assert.ok(Array.from(a).every((v) => !Object.is(v, -0)), 'a ReLU output is never −0');
  const g = Float32Array.from(values.map((_, k) => k + 0.5));
  maskInPlace(g, Float32Array.from(values));
  assert.deepEqual(Array.from(g), values.map((v, k) => (v > 0 ? k + 0.5 : 0)));
  // a subarray view masks only its own entries
  const big = new Float32Array(8).fill(-1);
  const y = new Float32Array(8).fill(1);
  reluInPlace(big.subarray(2, 5));
  maskInPlace(y.subarray(4, 6), new Float32Array(2).fill(-1));
  assert.deepEqual(Array.from(big), [-1, -1, 0, 0, 0, -1, -1, -1]);
  assert.deepEqual(Array.from(y), [1, 1, 1, 1, 0, 0, 1, 1]);
});
