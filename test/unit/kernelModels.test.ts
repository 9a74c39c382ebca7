/**
 * The kernel autoencoders: hand-computed layer values, tfjs gradients against finite differences of an
 * independent float64 implementation, training on small synthetic data, and op coverage per backend.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as tfNs from '@tensorflow/tfjs';
import { setupBackend } from '../../src/trainer/backend';
import { Autoencoder, LocalKernelLayer, DotKernelLayer, DenseLayer, maskedSse } from '../../src/core/models/autoencoders/kernelLayers';
import { globalConv } from '../../src/core/models/autoencoders/glocalK.train';
import { Prng } from '../../src/core/data/prng';
import { executeRun, RunSink } from '../../src/core/run';
import { syntheticTsv } from '../../src/core/data/synthetic';
import { selected } from '../../src/core/tasks/format';
import type { ArtifactFrame, RunSpec } from '../../src/protocol/types';
import { tmpDir, writeFile } from './helpers';

type Tf = typeof tfNs;
let tfP: Promise<Tf> | undefined;
const getTf = () => (tfP ??= setupBackend({ backend: 'cpu' }).then((s) => s.tf as Tf));

test('local-kernel layer forward on a hand-computed case', async () => {
  const tf = await getTf();
  const l = new LocalKernelLayer(tf, new Prng(1), 'l', 2, 2, 'identity', 0, 0, 2);
  l.W.assign(tf.tensor2d([[1, 2], [3, 4]]));
  l.b.assign(tf.tensor1d([0.5, -0.5]));
  l.u.assign(tf.tensor2d([[0, 0], [0.5, 0]]));
  l.v.assign(tf.tensor2d([[0, 0], [1, 0]]));
  // d² = [[0, 1], [0.25, 0.25]] → K = [[1, 0], [0.75, 0.75]] → W⊙K = [[1, 0], [2.25, 3]]
  assert.deepEqual(Array.from(await l.kernel().data()), [1, 0, 0.75, 0.75]);
  const y = await l.forward(tf.tensor2d([[1, 1], [2, 0]])).data();
  assert.deepEqual(Array.from(y), [3.75, 2.5, 2.5, -0.5]);
  const d = new DotKernelLayer(tf, new Prng(1), 'd', 2, 1, 'identity', 0, 1);
  d.u.assign(tf.tensor2d([[1], [2]]));
  d.v.assign(tf.tensor2d([[0.5]]));
  d.alpha.assign(tf.tensor2d([[2], [3]]));
  // W_eff = α_i · tanh(u_i · v_j) = [2·tanh(0.5), 3·tanh(1)]
  const we = await d.effectiveWeight().data();
  assert.ok(Math.abs(we[0] - 2 * Math.tanh(0.5)) < 1e-6 && Math.abs(we[1] - 3 * Math.tanh(1)) < 1e-6);
});

// ---- an independent float64 implementation of the losses -------------------------------------------------

type Mat = { r: number; c: number; d: Float64Array };
const mat = (r: number, c: number, d?: ArrayLike<number>): Mat => ({ r, c, d: d ? Float64Array.from(d) : new Float64Array(r * c) });
function mm(a: Mat, b: Mat): Mat {
  const o = mat(a.r, b.c);
  for (let i = 0; i < a.r; i++) for (let k = 0; k < a.c; k++) for (let j = 0; j < b.c; j++) o.d[i * b.c + j] += a.d[i * a.c + k] * b.d[k * b.c + j];
  return o;
}
const sig = (x: number) => 1 / (1 + Math.exp(-x));

interface RefLayer { kind: 'local' | 'dot' | 'dense'; nIn: number; nOut: number; act: 'sigmoid' | 'identity'; p: Record<string, Float64Array>; l2: number; ls: number; d: number }

function refWeights(l: RefLayer): { W: Mat; reg: number } {
  const W = mat(l.nIn, l.nOut);
  let reg = 0;
  for (let i = 0; i < l.nIn; i++) for (let j = 0; j < l.nOut; j++) {
    const k = i * l.nOut + j;
    if (l.kind === 'local') {
      let d2 = 0;
      for (let q = 0; q < l.d; q++) d2 += (l.p.u[i * l.d + q] - l.p.v[j * l.d + q]) ** 2;
      const K = Math.max(0, 1 - d2);
      W.d[k] = l.p.W[k] * K;
      reg += (l.ls / 2) * K * K + (l.l2 / 2) * l.p.W[k] ** 2;
    } else if (l.kind === 'dot') {
      let dot = 0;
      for (let q = 0; q < l.d; q++) dot += l.p.u[i * l.d + q] * l.p.v[j * l.d + q];
      W.d[k] = l.p.alpha[i] * Math.tanh(dot);
      reg += (l.l2 / 2) * W.d[k] ** 2;
    } else {
      W.d[k] = l.p.W[k];
      reg += (l.l2 / 2) * l.p.W[k] ** 2;
    }
  }
  return { W, reg };
}

function refApply(x: Mat, layers: RefLayer[], ws: { W: Mat }[]): Mat {
  let y = x;
  layers.forEach((l, li) => {
    const z = mm(y, ws[li].W);
    for (let i = 0; i < z.r; i++) for (let j = 0; j < z.c; j++) {
      const v = z.d[i * z.c + j] + l.p.b[j];
      z.d[i * z.c + j] = l.act === 'sigmoid' ? sig(v) : v;
    }
    y = z;
  });
  return y;
}

function refConvSame(x: Mat, f: Float64Array, k: number): Mat {
  const p = (k - 1) / 2;
  const o = mat(x.r, x.c);
  for (let i = 0; i < x.r; i++) for (let j = 0; j < x.c; j++) {
    let s = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      const si = i + a - p;
      const sj = j + b - p;
      if (si >= 0 && si < x.r && sj >= 0 && sj < x.c) s += x.d[si * x.c + sj] * f[a * k + b];
    }
    o.d[i * x.c + j] = s;
  }
  return o;
}

function refLoss(R: Mat, layers: RefLayer[], G?: { G: Float64Array; k: number; scale: number }): number {
  const ws = layers.map(refWeights);
  let input = R;
  if (G) {
    const full = refApply(R, layers, ws);
    const mu = Array.from({ length: R.r }, (_, i) => { let s = 0; for (let j = 0; j < R.c; j++) s += full.d[i * R.c + j]; return s / R.c; });
    const gk = new Float64Array(G.k * G.k);
    for (let q = 0; q < G.k * G.k; q++) for (let i = 0; i < R.r; i++) gk[q] += mu[i] * G.G[i * G.k * G.k + q] * G.scale;
    input = refConvSame(R, gk, G.k);
    for (let t = 0; t < input.d.length; t++) input.d[t] = Math.max(0, input.d[t]);
  }
  const pred = refApply(input, layers, ws);
  let sse = 0;
  for (let t = 0; t < R.d.length; t++) if (R.d[t] > 0) sse += 0.5 * (R.d[t] - pred.d[t]) ** 2;
  return sse + ws.reduce((s, w) => s + w.reg, 0);
}

async function checkGradients(kind: 'local' | 'dot' | 'dense' | 'glocal') {
  const tf = await getTf();
  const rng = new Prng(kind.length * 7 + 3);
  const nI = 5;
  const nU = 4;
  const h = 3;
  const Rv = Float64Array.from({ length: nI * nU }, () => (rng.next() < 0.6 ? 1 + rng.int(5) : 0));
  const R = tf.tensor2d(Float32Array.from(Rv), [nI, nU]);
  const M = tf.tensor2d(Float32Array.from(Rv, (v) => (v > 0 ? 1 : 0)), [nI, nU]);
  const mk = (nIn: number, nOut: number, act: 'sigmoid' | 'identity', i: number) => {
    if (kind === 'dot') return new DotKernelLayer(tf, rng, `d${i}`, nIn, nOut, act, 0.3, 3);
    if (kind === 'dense') return new DenseLayer(tf, rng, `w${i}`, nIn, nOut, act, 0.3);
    return new LocalKernelLayer(tf, rng, `l${i}`, nIn, nOut, act, 0.7, 0.2, 2);
  };
  const layers = [mk(nU, h, 'sigmoid', 1), mk(h, nU, 'identity', 2)];
  const ae = new Autoencoder(tf, layers);
  // spread the kernel embeddings so K takes values inside (0, 1), away from the kink at 0
  for (const l of layers) if (l instanceof LocalKernelLayer) {
    l.u.assign(tf.tensor2d(Float32Array.from({ length: l.u.size }, () => 0.35 * (rng.next() - 0.5)), l.u.shape as [number, number]));
    l.v.assign(tf.tensor2d(Float32Array.from({ length: l.v.size }, () => 0.35 * (rng.next() - 0.5)), l.v.shape as [number, number]));
  }
  const k = 3;
  const G = kind === 'glocal' ? tf.variable(tf.tensor2d(Float32Array.from({ length: nI * k * k }, () => 0.3 * (rng.next() - 0.2)), [nI, k * k]), true, `G_test_${Date.now()}`) : undefined;
  const vars = [...ae.vars, ...(G ? [G] : [])];
  const loss = () => {
    const w = ae.weights();
    let x = R as tfNs.Tensor2D;
    if (G) {
      const mu = tf.div(tf.sum(ae.apply(R, w), 1), nU);
      const gk = tf.mul(tf.matMul(tf.reshape(mu, [1, nI]), G), 1);
      x = tf.relu(globalConv(tf, R, gk, k, 'conv2d'));
    }
    return tf.add(ae.sse(x, w, R, M), w.reg) as tfNs.Scalar; // the models' own fused loss
  };
  const { value, grads } = tf.variableGrads(loss, vars);
  // float64 copies of every parameter
  const names = layers.map((l) => (l instanceof LocalKernelLayer ? { W: l.W, b: l.b, u: l.u, v: l.v } : l instanceof DotKernelLayer ? { u: l.u, v: l.v, alpha: l.alpha, b: l.b } : { W: l.W, b: l.b }));
  const ref: RefLayer[] = await Promise.all(layers.map(async (l, i) => {
    const p: Record<string, Float64Array> = {};
    for (const [n, v] of Object.entries(names[i])) p[n] = Float64Array.from(await (v as tfNs.Variable).data());
    return { kind: l instanceof LocalKernelLayer ? 'local' : l instanceof DotKernelLayer ? 'dot' : 'dense', nIn: l.nIn, nOut: l.nOut, act: l.act as 'sigmoid' | 'identity', p, l2: l instanceof LocalKernelLayer ? 0.7 : 0.3, ls: 0.2, d: l instanceof LocalKernelLayer ? 2 : 3 } as RefLayer;
  }));
  const Gd = G ? Float64Array.from(await G.data()) : undefined;
  const Rm = mat(nI, nU, Rv);
  const f = () => refLoss(Rm, ref, Gd ? { G: Gd, k, scale: 1 } : undefined);
  const f0 = f();
  assert.ok(Math.abs(f0 - (await value.data())[0]) / Math.abs(f0) < 1e-5, `loss ${f0} vs tfjs ${(await value.data())[0]}`);
  const eps = 1e-6;
  let checked = 0;
  const compare = async (arr: Float64Array, g: tfNs.Tensor, label: string) => {
    const gv = await g.data();
    for (let t = 0; t < arr.length; t++) {
      const keep = arr[t];
      arr[t] = keep + eps;
      const fp = f();
      arr[t] = keep - eps;
      const fm = f();
      arr[t] = keep;
      const fd = (fp - fm) / (2 * eps);
      assert.ok(Math.abs(fd - gv[t]) <= 2e-3 * Math.max(1, Math.abs(fd)), `${kind} ${label}[${t}]: tfjs ${gv[t]} vs finite difference ${fd}`);
      checked++;
    }
  };
  for (let i = 0; i < layers.length; i++) for (const [n, v] of Object.entries(names[i])) await compare(ref[i].p[n], grads[(v as tfNs.Variable).name], `layer${i + 1}.${n}`);
  if (G && Gd) await compare(Gd, grads[G.name], 'G');
  assert.ok(checked > 25, `${checked} parameters checked`);
  ae.dispose();
  G?.dispose();
}

test('local-kernel autoencoder (Sparse FC / GLocal-K pre-training): gradients match float64 finite differences', () => checkGradients('local'));
test('GLocal-K fine-tuning loss (μ → global kernel → conv → shared AE): gradients match float64 finite differences', () => checkGradients('glocal'));
test('kernelNet dot-product kernel autoencoder: gradients match float64 finite differences', () => checkGradients('dot'));
test('I-AutoRec dense autoencoder: gradients match float64 finite differences', () => checkGradients('dense'));

// ---- training on synthetic low-rank data ---------------------------------------------------------------------

const dir = tmpDir();
const data = writeFile(dir, 'syn.tsv', syntheticTsv({ users: 80, items: 60, rank: 3, density: 0.3, noise: 0.2, seed: 21 }));
const quiet: RunSink = { log: () => undefined, backend: () => undefined, dataset: () => undefined, epoch: () => undefined, loss: () => undefined, artifact: () => undefined, progress: () => undefined };

async function run(model: string, overrides: Record<string, number | string>) {
  const spec: RunSpec = { model, overrides, dataset: { train: data }, split: 'random:0.15:3', valFraction: 0.1, seed: 5, backend: 'cpu' };
  const snaps: unknown[] = [];
  const r = await executeRun(spec, { ...quiet, artifact: (f) => snaps.push(f) }, { runId: model, setupBackend, isCancelled: () => false });
  assert.equal(r.summary.status, 'completed', r.summary.error);
  return { summary: r.summary, snaps };
}

test('each kernel model beats the (user+item)/2 baseline on synthetic low-rank data and records snapshots', async () => {
  const base = selected((await run('user-item-mean', {})).summary, 'valSelected');
  const cases: [string, Record<string, number | string>, boolean][] = [
    ['glocal-k', { hidden: 24, preEpochs: 8, preMaxiter: 10, fineEpochs: 4, fineMaxiter: 5, lambda2: 2, lambdaS: 0.006 }, true],
    ['sparse-fc', { hidden: 24, epochs: 6, maxiter: 15, lambda2: 2, lambdaS: 0.013 }, true],
    ['kernelnet', { hidden: 24, epochs: 10, maxiter: 30, lambda2: 0.5, kernelDim: 10 }, true],
    ['i-autorec', { hidden: 24, epochs: 6, maxiter: 15, lambda: 2 }, false],
  ];
  for (const [model, hp, kernels] of cases) {
    const { summary, snaps } = await run(model, hp);
    assert.ok(selected(summary, 'valSelected') < base * 0.9, `${model}: ${selected(summary, 'valSelected')} vs baseline ${base}`);
    if (kernels) {
      const frames = snaps as ArtifactFrame[];
      assert.ok(frames.length > 0, `${model} records kernel pictures`);
      const k = frames.filter((f) => f.name === 'kernels').at(-1)?.data;
      assert.ok(k && k.view === 'heatmap' && k.panels.length >= 4 && k.panels[0].tensor.q8, `${model}: kernel heatmap frame`);
      const sp = frames.filter((f) => f.name === 'sparsity').at(-1)?.data;
      assert.ok(sp && sp.view === 'line' && sp.points.length >= 2 && sp.points.every((q) => q.y >= 0 && q.y <= 100), `${model}: sparsity line frame`);
      const gk = frames.filter((f) => f.name === 'global kernel').at(-1)?.data;
      if (model === 'glocal-k') assert.ok(gk && gk.view === 'heatmap' && gk.panels[0].tensor.rows === 3, 'glocal-k: 3×3 global kernel frame');
      else assert.equal(gk, undefined);
    }
  }
});

test('op coverage: every kernel (and its gradient) the models run exists on every registered backend', async () => {
  const tf = await getTf();
  const used = new Set<string>();
  for (const [model, hp] of [['glocal-k', { hidden: 6, preEpochs: 1, preMaxiter: 1, fineEpochs: 1, fineMaxiter: 1 }], ['kernelnet', { hidden: 6, epochs: 1, maxiter: 1 }], ['i-autorec', { hidden: 6, epochs: 1, maxiter: 1 }]] as const) {
    const p = await tf.profile(async () => { await run(model, hp as never); });
    for (const k of p.kernels) used.add(k.name);
  }
  const backends = Object.keys((tf.engine() as unknown as { registryFactory: Record<string, unknown> }).registryFactory);
  // profile entries that are not kernels (tf.customGrad's 'forward', named scopes) are not registered anywhere
  for (const k of [...used]) if (!backends.some((b) => tf.getKernel(k, b))) used.delete(k);
  assert.ok(used.size > 15, `${used.size} kernels`);
  for (const b of backends) {
    if (b === 'webgl') continue; // browser-only: no WebGL context in Node
    for (const k of used) assert.ok(tf.getKernel(k, b), `kernel ${k} is missing on backend ${b}`);
  }
  for (const k of ['BatchMatMul', 'Sigmoid', 'Conv2D', 'Relu', 'Multiply', 'Sum', 'Tanh']) assert.ok(used.has(k) ? tf.getGradient(k) : true, `gradient of ${k}`);
});
