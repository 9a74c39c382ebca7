/**
 * The ranking family (LEPORID + DLR², ItemKNN, UserKNN, BPR): ARPACK eigenvectors, Jaccard kNN graphs, the
 * embeddings step and its cache, the kNN scores, DLR²'s losses, windows and states, and end-to-end runs.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type * as tfNs from '@tensorflow/tfjs';
import { loadArpack, symmetricEigs } from '../../src/core/linalg/arpack';
import { symmetricEigen } from '../../src/core/linalg/eigen';
import { csrMatVec, unionSymmetric, type Csr } from '../../src/core/linalg/sparse';
import { leporidEmbedding, leporidOperator, zscoreColumns } from '../../src/core/linalg/spectralEmbedding';
import { adjacencyLists, jaccardKnn } from '../../src/core/data/interactionGraph';
import { syntheticKnnGraph, syntheticTsv } from '../../src/core/data/synthetic';
import { IdMap, RatingMatrix } from '../../src/core/data/ratingMatrix';
import { Prng } from '../../src/core/data/prng';
import { clearEmbeddingMemo, computeEmbeddings } from '../../src/core/models/ranking/embeddings';
import { binaryMatrix, cosine, pruneRows, rowOrders } from '../../src/core/models/ranking/neighbourhood';
import { hingeLoss, squareSquareLoss } from '../../src/core/models/ranking/dlr2Net';
import { lastState, userSequences } from '../../src/core/models/ranking/dlr2.train';
import { executeRun, type RunSink } from '../../src/core/run';
import { buildRunSpec } from '../../src/host/runSpecBuilder';
import { setupBackend } from '../../src/trainer/backend';
import { pairMlpScores } from '../../src/core/linalg/ops';
import { loadBlas } from '../../src/core/linalg/blas';
import { rangesFor, setParallelThreads } from '../../src/core/linalg/parallel';
import { registerCpuKernels, unregisterCpuKernels } from '../../src/core/linalg/kernels/register';
import type { ArtifactFrame, EpochMetrics } from '../../src/protocol/types';
import { tmpDir, writeFile } from './helpers';

const hasArpack = !!loadArpack().lib;
const noArpack = !hasArpack && 'ARPACK not found (Debian: apt-get install libarpack2)';

function denseOf(g: Csr): Float64Array {
  const W = new Float64Array(g.n * g.n);
  for (let i = 0; i < g.n; i++) for (let p = g.rowPtr[i]; p < g.rowPtr[i + 1]; p++) W[i * g.n + g.cols[p]] = g.values[p];
  return W;
}

test('ARPACK Lanczos: the smallest eigenpairs of a random symmetric matrix equal LAPACK dsyevd’s', { skip: noArpack }, () => {
  const n = 120;
  const rng = new Prng(4);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.next() - 0.5;
  const r = symmetricEigs(n, 6, 'SA', (x, y) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
      y[i] = s;
    }
  }, { tol: 1e-12 });
  const e = symmetricEigen(A, n);
  for (let k = 0; k < 6; k++) assert.ok(Math.abs(r.values[k] - e.values[k]) < 1e-9, `λ${k} ${r.values[k]} vs ${e.values[k]}`);
  assert.throws(() => symmetricEigs(n, n, 'SA', () => undefined), /nev/);
});

test('LEPORID embedding: ‖Lφ − λφ‖ small, orthonormal before z-scoring, the smallest eigenvalues of the dense L; LE has λ₀ = 0', { skip: noArpack }, () => {
  const g = syntheticKnnGraph(300, 20, 7, 6, 0.8);
  for (const alpha of [0.5, 0]) {
    const dims = 8;
    const e = leporidEmbedding(g, dims, alpha, { raw: true, tol: 1e-12 });
    const op = leporidOperator(g, alpha);
    const n = g.n;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < dims; j++) {
      for (let i = 0; i < n; i++) x[i] = e.vectors[i * dims + j];
      op.apply(x, y); // A·φ; L·φ = φ − A·φ
      let res = 0;
      for (let i = 0; i < n; i++) res += (x[i] - y[i] - e.eigenvalues[j] * x[i]) ** 2;
      assert.ok(Math.sqrt(res) < 1e-5, `α ${alpha} eigenvector ${j}: ‖Lφ − λφ‖ = ${Math.sqrt(res)}`);
      for (let k = 0; k <= j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += e.vectors[i * dims + j] * e.vectors[i * dims + k];
        assert.ok(Math.abs(dot - (j === k ? 1 : 0)) < 1e-5, `α ${alpha} ⟨φ${j}, φ${k}⟩ = ${dot}`);
      }
    }
    // the dense Laplacian D_reg^{-½}(D_reg − W)D_reg^{-½} and LAPACK agree on the eigenvalues
    const W = denseOf(g);
    const L = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) L[i * n + j] = (i === j ? 1 : 0) - op.scale[i] * W[i * n + j] * op.scale[j];
    const ref = symmetricEigen(L, n).values;
    for (let j = 0; j < dims; j++) assert.ok(Math.abs(ref[j] - e.eigenvalues[j]) < 1e-8, `α ${alpha} λ${j} ${e.eigenvalues[j]} vs dense ${ref[j]}`);
    if (alpha === 0) assert.ok(Math.abs(e.eigenvalues[0]) < 1e-8, `LE λ₀ = ${e.eigenvalues[0]}`);
    else assert.ok(e.eigenvalues[0] > 0.01, `LEPORID shifts the spectrum up: λ₀ = ${e.eigenvalues[0]}`);
  }
  // z-scoring: every column mean 0, standard deviation 1
  const z = zscoreColumns(Float64Array.of(1, 10, 2, 20, 3, 30, 6, 60), 4, 2);
  assert.deepEqual(Array.from(z).map((v) => Math.round(v * 1e4) / 1e4), [-1.0690, -1.0690, -0.5345, -0.5345, 0, 0, 1.6036, 1.6036]);
});

test('Jaccard kNN graph: similarities, K most similar per node (ties to the lower index), union symmetrisation', () => {
  // users' item sets: u0 {0,1,2}, u1 {1,2}, u2 {2,3}, u3 {4}
  const sets = [Int32Array.of(0, 1, 2), Int32Array.of(1, 2), Int32Array.of(2, 3), Int32Array.of(4)];
  const items = adjacencyLists(5, Int32Array.of(0, 1, 2, 1, 2, 2, 3, 4), Int32Array.of(0, 0, 0, 1, 1, 2, 2, 3));
  const full = denseOf(jaccardKnn(sets, items, 10));
  const J = (a: number, b: number) => full[a * 4 + b];
  // |∩| / |∪|: u0–u1 2/3, u0–u2 1/4, u1–u2 1/3, u3 shares nothing
  assert.ok(Math.abs(J(0, 1) - 2 / 3) < 1e-7 && Math.abs(J(1, 0) - 2 / 3) < 1e-7);
  assert.ok(Math.abs(J(0, 2) - 1 / 4) < 1e-7 && Math.abs(J(1, 2) - 1 / 3) < 1e-7);
  assert.equal(J(3, 0) + J(3, 1) + J(3, 2) + J(0, 0), 0);
  // K = 1: u0 → u1, u1 → u0, u2 → u1 (1/3 > 1/4); union adds u1–u2 both ways, u0–u2 is gone
  const one = denseOf(jaccardKnn(sets, items, 1));
  assert.ok(one[0 * 4 + 1] > 0 && one[2 * 4 + 1] > 0 && one[1 * 4 + 2] > 0);
  assert.equal(one[0 * 4 + 2], 0);
  assert.equal(one[2 * 4 + 0], 0);
  // unionSymmetric merges duplicates and drops self-loops
  const u = unionSymmetric(3, [{ cols: Int32Array.of(1, 1, 0), values: Float32Array.of(0.5, 0.5, 9) }, { cols: Int32Array.of(0), values: Float32Array.of(0.5) }, { cols: new Int32Array(0), values: new Float32Array(0) }]);
  assert.deepEqual(Array.from(denseOf(u)), [0, 0.5, 0, 0.5, 0, 0, 0, 0, 0]);
  const y = new Float64Array(3);
  csrMatVec(u, [1, 2, 3], y);
  assert.deepEqual(Array.from(y), [1, 0.5, 0]);
});

function interactions(pairs: [number, number, number?][], nUsers: number, nItems: number): RatingMatrix {
  return new RatingMatrix(Int32Array.from(pairs, (p) => p[0]), Int32Array.from(pairs, (p) => p[1]), Float32Array.from(pairs, () => 1), new IdMap(Array.from({ length: nUsers }, (_, i) => i + 1)), new IdMap(Array.from({ length: nItems }, (_, i) => i + 1)), Float64Array.from(pairs, (p, k) => p[2] ?? k));
}

test('embeddings step: from the fitted part only, z-scored columns, cached on disk and read back identically', { skip: noArpack }, () => {
  const rng = new Prng(3);
  const pairs: [number, number][] = [];
  for (let u = 0; u < 40; u++) for (let i = 0; i < 30; i++) if (rng.next() < 0.2 + 0.4 * ((u % 4 === i % 4) ? 1 : 0)) pairs.push([u, i]);
  const fit = interactions(pairs, 40, 30);
  const dir = tmpDir();
  const spec = { method: 'leporid' as const, dims: 6, K: 10, alpha: 0.5 };
  clearEmbeddingMemo();
  const a = computeEmbeddings(fit, 40, 30, spec, new Prng(1), { cacheDir: dir });
  assert.equal(a.fromCache, false);
  assert.equal(a.users.vectors.length, 40 * 6);
  for (let j = 0; j < 6; j++) {
    let m = 0;
    let v = 0;
    for (let i = 0; i < 30; i++) m += a.items.vectors[i * 6 + j] / 30;
    for (let i = 0; i < 30; i++) v += (a.items.vectors[i * 6 + j] - m) ** 2 / 30;
    assert.ok(Math.abs(m) < 1e-5 && Math.abs(v - 1) < 1e-4, `item column ${j}: mean ${m}, variance ${v}`);
  }
  assert.ok(a.users.spectrum.every((l, k) => k === 0 || l >= a.users.spectrum[k - 1] - 1e-9), 'eigenvalues ascending');
  const files = fs.readdirSync(path.join(dir, 'embeddings'));
  assert.equal(files.length, 1);
  clearEmbeddingMemo();
  const b = computeEmbeddings(fit, 40, 30, spec, new Prng(1), { cacheDir: dir });
  assert.equal(b.fromCache, true);
  assert.deepEqual(Array.from(b.users.vectors), Array.from(a.users.vectors));
  assert.deepEqual(b.items.spectrum, a.items.spectrum.map((x) => Math.fround(x)));
  // another α is another cache entry; LE's λ₀ is 0
  const le = computeEmbeddings(fit, 40, 30, { ...spec, method: 'le' }, new Prng(1), { cacheDir: dir });
  assert.ok(Math.abs(le.users.spectrum[0]) < 1e-6);
  assert.equal(fs.readdirSync(path.join(dir, 'embeddings')).length, 2);
});

test('ItemKNN / UserKNN scores against a hand computation (cosine, rows pruned to k)', () => {
  // users × items: u0 {0,1}, u1 {0,1,2}, u2 {2}
  const fit = interactions([[0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 2]], 3, 3);
  const X = binaryMatrix(3, 3, [fit]);
  const S = cosine(X, true);
  // item columns: i0 {u0,u1}, i1 {u0,u1}, i2 {u1,u2}: cos(i0,i1) = 1, cos(i0,i2) = 1/2, cos(i1,i2) = 1/2
  assert.deepEqual(Array.from(S.data).map((v) => Math.round(v * 1e6) / 1e6), [0, 1, 0.5, 1, 0, 0.5, 0.5, 0.5, 0]);
  // k = 1: i0 keeps i1, i1 keeps i0, i2 keeps i0 (tie with i1 → lower index)
  const S1 = pruneRows(S, rowOrders(S), 1);
  assert.deepEqual(Array.from(S1.data).map((v) => Math.round(v * 1e6) / 1e6), [0, 1, 0, 1, 0, 0, 0.5, 0, 0]);
  // user cosine: u0–u1 2/√6, u1–u2 1/√3, u0–u2 0
  const U = cosine(X, false);
  assert.ok(Math.abs(U.data[1] - 2 / Math.sqrt(6)) < 1e-6 && Math.abs(U.data[5] - 1 / Math.sqrt(3)) < 1e-6 && U.data[2] === 0);
});

test('DLR² losses on a fixed tiny batch against a hand computation', async () => {
  const { tf } = await setupBackend({ backend: 'cpu' });
  const t = tf as typeof tfNs;
  // S outputs: positives 0.2, −0.1; negatives 0.1, 0.9; margin 0.5 → mean(0.04 + 0.16, 0.01 + 0) = 0.105
  const ss = await squareSquareLoss(t, t.tensor2d([[0.2], [-0.1]]), t.tensor2d([[0.1], [0.9]]), 0.5).data();
  assert.ok(Math.abs(ss[0] - 0.105) < 1e-7, `square-square ${ss[0]}`);
  // G: g = [[0,0],[1,1]], p = [[1,0],[1,1]], n = [[0,1],[3,1]]: mean-squared distances dp = [0.5, 0], dn = [0.5, 2];
  // max(0, dp − dn + 0.5) = [0.5, 0] → 0.25
  const h = await hingeLoss(t, t.tensor2d([[0, 0], [1, 1]]), t.tensor2d([[1, 0], [1, 1]]), t.tensor2d([[0, 1], [3, 1]]), 0.5).data();
  assert.ok(Math.abs(h[0] - 0.25) < 1e-7, `hinge ${h[0]}`);
  const h0 = await hingeLoss(t, t.tensor2d([[0, 0], [1, 1]]), t.tensor2d([[1, 0], [1, 1]]), t.tensor2d([[0, 1], [3, 1]]), 0).data();
  assert.ok(Math.abs(h0[0] - 0) < 1e-7, `hinge with margin 0: ${h0[0]}`);
});

test('DLR² sequences: by time, repeats dropped; states are the last items (left-padded), test states include validation', () => {
  const fit = interactions([[0, 3, 30], [0, 1, 10], [0, 2, 20], [0, 1, 40], [1, 0, 5]], 2, 5);
  const val = interactions([[0, 4, 50]], 2, 5);
  const seq = userSequences([fit], 2);
  assert.deepEqual(Array.from(seq[0]), [1, 2, 3]);
  assert.deepEqual(Array.from(lastState(seq[0], 2)), [2, 3]);
  assert.deepEqual(Array.from(lastState(seq[1], 3)), [0, 0, 0]);
  const both = userSequences([fit, val], 2);
  assert.deepEqual(Array.from(lastState(both[0], 2)), [3, 4]);
});

// ---- end to end ---------------------------------------------------------------------------------------------------

const dir = tmpDir();
const ratings = writeFile(dir, 'ratings.tsv', syntheticTsv({ users: 60, items: 45, rank: 3, density: 0.45, noise: 0.3, seed: 11 }));

async function run(model: string, assignments: string[], withTf = false) {
  const spec = buildRunSpec({ model, task: 'ranking', assignments, train: ratings, split: 'chrono:0.7:0.1:0.2', minInteractions: 5, seed: 2 });
  const epochs: EpochMetrics[] = [];
  const frames: ArtifactFrame[] = [];
  const sink: RunSink = { epoch: (m) => epochs.push(m), artifact: (f) => frames.push(f), log: () => undefined, loss: () => undefined, backend: () => undefined, dataset: () => undefined, progress: () => undefined };
  const r = await executeRun(spec, sink, {
    runId: model, isCancelled: () => false,
    setupBackend: withTf ? () => setupBackend({ backend: 'cpu' }) : async () => { throw new Error('no tfjs needed'); },
  });
  assert.equal(r.summary.status, 'completed', r.summary.error);
  return { summary: r.summary, epochs, frames };
}

test('ItemKNN and UserKNN sweep k as evaluations; BPR trains; every metric in [0, 1]', async () => {
  for (const [model, args] of [['item-knn', []], ['user-knn', ['k=5']], ['bpr', ['epochs=10', 'evalEvery=5', 'dims=8']]] as [string, string[]][]) {
    const { epochs, summary } = await run(model, args);
    assert.ok(epochs.length >= 1, model);
    for (const e of epochs) for (const k of ['hr@10', 'p@5', 'r@1']) assert.ok(e.test[k] >= 0 && e.test[k] <= 1, `${model} ${k} ${e.test[k]}`);
    assert.ok((summary.selection.valSelected?.test['hr@10'] ?? 0) > 0, `${model} finds some test items`);
  }
});

test('DLR² end to end on a tiny dataset: trains, evaluates every evalEvery iterations, draws embeddings and curves', { skip: noArpack }, async () => {
  const { epochs, frames, summary } = await run('dlr2', ['iterations=6', 'evalEvery=3', 'dims=8', 'knn=10', 'batch=4', 'storeSize=20'], true);
  assert.equal(epochs.length, 2);
  assert.equal(summary.selectBy, 'hr@10');
  for (const e of epochs) {
    assert.ok(Number.isFinite(e.trainLoss as number), `loss ${e.trainLoss}`);
    for (const k of ['hr@1', 'hr@10', 'p@10', 'ndcg@10']) assert.ok(e.val[k] >= 0 && e.val[k] <= 1 && e.test[k] >= 0 && e.test[k] <= 1, k);
  }
  const names = new Set(frames.map((f) => f.name));
  for (const n of ['ranking curves', 'user embedding', 'item embedding', 'spectrum', 'authors checkpoint']) assert.ok(names.has(n), `artifact ${n} in ${[...names]}`);
  const emb = frames.find((f) => f.name === 'user embedding')?.data;
  assert.ok(emb && emb.view === 'scatter' && emb.points.length > 0 && emb.highlight !== undefined);
  assert.ok(emb.points.every((p) => typeof p.label === 'string' && Number.isFinite(p.x)));
});

test('pairMlpScores: the fused cpu kernel (blocks of sgemm) equals the composite tfjs ops', async (t) => {
  const tf = (await setupBackend({ backend: 'cpu' })).tf as typeof tfNs;
  if (!loadBlas().blas) return t.skip('no BLAS');
  const rng = new Prng(8);
  const r = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng.next() - 0.5), shape);
  const U = r([5, 16]) as tfNs.Tensor2D;
  const I = r([7, 16]) as tfNs.Tensor2D;
  const layers = [[r([16, 12]), r([12])], [r([12, 6]), r([6])], [r([6, 1]), r([1])]] as [tfNs.Tensor2D, tfNs.Tensor1D][];
  registerCpuKernels(tf, { groups: ['blas'] });
  const fusedOut = await pairMlpScores(tf, U, I, layers).data();
  unregisterCpuKernels(tf, ['blas']);
  const plain = await pairMlpScores(tf, U, I, layers).data();
  registerCpuKernels(tf, { groups: ['blas'] });
  assert.equal(fusedOut.length, 35);
  for (let k = 0; k < 35; k++) assert.ok(Math.abs(fusedOut[k] - plain[k]) < 1e-5, `${k}: ${fusedOut[k]} vs ${plain[k]}`);
  // one pair by hand: w4ᵀ relu(W3ᵀ relu(W2ᵀ relu(U[1] + I[2]) + b2) + b3) + b4
  const [u1, i2] = [(await U.data()).slice(16, 32), (await I.data()).slice(32, 48)];
  const lv = await Promise.all(layers.flat().map((x) => x.data()));
  let h: number[] = Array.from(u1, (x, j) => Math.max(0, x + i2[j]));
  for (let l = 0; l < 3; l++) {
    const [w, b] = [lv[2 * l], lv[2 * l + 1]];
    const nOut = b.length;
    h = Array.from({ length: nOut }, (_, o) => h.reduce((s, x, j) => s + x * w[j * nOut + o], b[o]));
    if (l < 2) h = h.map((x) => Math.max(0, x));
  }
  assert.ok(Math.abs(fusedOut[1 * 7 + 2] - h[0]) < 1e-5, `by hand ${h[0]} vs ${fusedOut[9]}`);
  // large enough for several blocks of users and for the passes to split over two threads
  setParallelThreads(2);
  {
    const U2 = r([50, 24]) as tfNs.Tensor2D;
    const I2 = r([3000, 24]) as tfNs.Tensor2D;
    const layers2 = [[r([24, 20]), r([20])], [r([20, 8]), r([8])], [r([8, 1]), r([1])]] as [tfNs.Tensor2D, tfNs.Tensor1D][];
    assert.ok(rangesFor(21 * 3000, 24) > 1, 'the passes are split');
    const big = await pairMlpScores(tf, U2, I2, layers2).data();
    unregisterCpuKernels(tf, ['blas']);
    const bigPlain = await pairMlpScores(tf, U2, I2, layers2).data();
    registerCpuKernels(tf, { groups: ['blas'] });
    const worst = Array.from(big).reduce((m: number, v: number, k: number) => Math.max(m, Math.abs(v - bigPlain[k])), 0);
    assert.equal(big.length, 150000);
    assert.ok(worst < 1e-5, `split, several blocks: ${worst}`);
  }
});

test('Adam (fused one-pass update) equals tfjs’s Adam with the same β, ε over several steps, fused and composite paths alike', async () => {
  const tf = (await setupBackend({ backend: 'cpu' })).tf as typeof tfNs;
  const { Adam } = await import('../../src/core/optim/adam.js');
  const target = tf.tensor2d([[1, -2, 3], [0.5, 4, -1]]);
  const run = async (mk: (v: tfNs.Variable) => (f: () => tfNs.Scalar) => Promise<number>) => {
    const x = tf.variable(tf.tensor2d([[0, 0, 0], [1, 1, 1]]));
    const step = mk(x);
    for (let k = 0; k < 5; k++) await step(() => tf.sum(tf.square(tf.sub(x, target))) as tfNs.Scalar);
    const out = await x.data();
    x.dispose();
    return out;
  };
  const theirs = await run((x) => {
    const o = tf.train.adam(0.1, 0.9, 0.999, 1e-8);
    return async (f) => { const c = o.minimize(f, true, [x]); const v = (await (c as tfNs.Scalar).data())[0]; c?.dispose(); return v; };
  });
  const ours = await run((x) => { const o = new Adam(tf, [x], { lr: 0.1 }); return (f) => o.step(f); });
  unregisterCpuKernels(tf, ['fused']);
  const composite = await run((x) => { const o = new Adam(tf, [x], { lr: 0.1 }); return (f) => o.step(f); });
  registerCpuKernels(tf, { groups: ['fused'] });
  for (let k = 0; k < 6; k++) {
    assert.ok(Math.abs(ours[k] - theirs[k]) < 1e-5, `${k}: ours ${ours[k]} vs tfjs ${theirs[k]}`);
    assert.ok(Math.abs(composite[k] - ours[k]) < 1e-6, `${k}: composite ${composite[k]} vs fused ${ours[k]}`);
  }
  // moved toward the target: 5 steps of 0.1 from 0
  assert.ok(ours[0] > 0.3 && ours[1] < -0.3);
  // from the second step the fused path updates the values in place — but never under a tensor sharing them
  const x = tf.variable(tf.tensor2d([[0, 0, 0], [1, 1, 1]]));
  const o = new Adam(tf, [x], { lr: 0.1 });
  const loss = () => tf.sum(tf.square(tf.sub(x, target))) as tfNs.Scalar;
  await o.step(loss);
  await o.step(loss);
  const own = x.dataSync();
  await o.step(loss);
  if (own.buffer instanceof SharedArrayBuffer) assert.equal(x.dataSync(), own, 'updated in place (its own shared array)');
  const held = x.clone();
  const before = Array.from(await held.data());
  await o.step(loss);
  assert.deepEqual(Array.from(await held.data()), before, 'a clone of the variable keeps its values');
  assert.ok(Array.from(await x.data()).some((v, k) => Math.abs(v - before[k]) > 1e-3), 'the variable moved');
  held.dispose();
  await o.step(loss);
  assert.deepEqual(Array.from(await x.data()), Array.from(ours), 'five steps, some in place and one not, equal the five fused steps above');
  x.dispose();
  o.dispose();
});
