// Regularised SVD as PREA trains it: the run equals a direct implementation of PREA's update sequence on a small
// hand-made split, it stops when the training MAE settles, and it learns low-rank data.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { executeRun } from '../../src/core/run';
import { Prng } from '../../src/core/data/prng';
import { syntheticTsv } from '../../src/core/data/synthetic';
import { selected } from '../../src/core/tasks/format';
import type { EpochMetrics, RunSpec } from '../../src/protocol/types';
import { collectingSink as sink, referenceSgd, tmpDir, writeFile } from './helpers';

const dir = tmpDir();
const noBackend = async () => { throw new Error('no tfjs needed'); };
test('regularized-svd equals a direct implementation of PREA’s update order (users, then their items, in id order)', async () => {
  // ids deliberately out of order in the file: the model must visit them in ascending id order
  const train = [[3, 20, 4], [1, 10, 5], [2, 30, 2], [1, 30, 3], [3, 10, 1], [2, 20, 4], [1, 20, 4]];
  const testPairs = [[2, 10, 3], [3, 30, 5]];
  const tr = writeFile(dir, 'hand.base', train.map((r) => r.join('\t')).join('\n') + '\n');
  const te = writeFile(dir, 'hand.test', testPairs.map((r) => r.join('\t')).join('\n') + '\n');
  const k = 2, lr = 0.05, reg = 0.02, epochs = 4;
  const spec: RunSpec = { model: 'regularized-svd', overrides: { rank: k, lr, reg, epochs, tolerance: 0 }, dataset: { train: tr, test: te }, split: 'given', valFraction: 0, seed: 9, backend: 'cpu' };
  const c = sink();
  const r = await executeRun(spec, c.s, { runId: 'svd', setupBackend: noBackend, isCancelled: () => false });
  assert.equal(r.summary.status, 'completed', r.summary.error);
  // direct: ids 1..3 → users 0..2, 10/20/30 → items 0..2; the run's PRNG is seeded with spec.seed
  const rng = new Prng(9);
  const U = Array.from({ length: 3 * k }, () => rng.next() / k);
  const V = Array.from({ length: 3 * k }, () => rng.next() / k);
  const maes = referenceSgd(train.map(([u, i, v]) => [u - 1, i / 10 - 1, v]), U, V, k, lr, reg, epochs).mae;
  assert.deepEqual(c.epochs.map((e) => e.trainLoss), maes, 'the training MAE of every pass');
  const pred = testPairs.map(([u, i]) => { let s = 0; for (let f = 0; f < k; f++) s += U[(u - 1) * k + f] * V[(i / 10 - 1) * k + f]; return Math.min(5, Math.max(1, Math.fround(s))); });
  const rmse = Math.sqrt(testPairs.reduce((acc, [, , v], j) => acc + (pred[j] - v) ** 2, 0) / testPairs.length);
  assert.ok(Math.abs(selected(r.summary, 'last') - rmse) < 1e-6, `${selected(r.summary, 'last')} vs ${rmse}`);
});

test('regularized-svd stops when the training MAE settles and learns low-rank data better than the mean baseline', async () => {
  const data = writeFile(dir, 'low.tsv', syntheticTsv({ users: 150, items: 100, rank: 3, density: 0.3, noise: 0.2, seed: 13 }));
  const base: RunSpec = { model: 'user-item-mean', overrides: {}, dataset: { train: data }, split: 'random:0.1:2', valFraction: 0.1, seed: 4, backend: 'cpu' };
  const mean = await executeRun(base, sink().s, { runId: 'm', setupBackend: noBackend, isCancelled: () => false });
  const c = sink();
  const svd = await executeRun({ ...base, model: 'regularized-svd', overrides: { rank: 5, lr: 0.01, epochs: 300, tolerance: 1e-4 } }, c.s, { runId: 's', setupBackend: noBackend, isCancelled: () => false });
  assert.equal(svd.summary.status, 'completed', svd.summary.error);
  assert.ok(c.epochs.length < 300, `stopped after ${c.epochs.length} passes`);
  const last = c.epochs.at(-1) as EpochMetrics;
  const before = c.epochs.at(-2) as EpochMetrics;
  assert.ok(Math.abs(last.trainLoss - before.trainLoss) <= 1e-4, 'the last two passes’ MAE differ by at most the tolerance');
  assert.ok(selected(svd.summary, 'valSelected') < 0.9 * selected(mean.summary, 'valSelected'), `${selected(svd.summary, 'valSelected')} vs ${selected(mean.summary, 'valSelected')}`);
});

test('LLORMA kernels against hand-computed values, both variants, including cos = 1 + ε', () => {
  const { cosine, distance, kernelValue, kernelRow, drawAnchors } = require('../../src/core/models/factorization/llormaKernels') as typeof import('../../src/core/models/factorization/llormaKernels');
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  // rows: (1,0), (1,1), (0,1), (−1,0), and a row whose cosine with row 1 rounds above 1
  const m = [1, 0, 1, 1, 0, 1, -1, 0, 0.1 + 0.2, 0.3];
  close(cosine(m, 2, 0, 1), Math.SQRT1_2);
  close(cosine(m, 2, 0, 2), 0);
  close(cosine(m, 2, 0, 3), -1);
  assert.equal(cosine(m, 2, 1, 4), 1, 'clipped to 1 (unclipped it is 1 + ε here or 1)');
  // prea: d = (2/π)·θ; θ = π/4 → 0.5; Epanechnikov with h = 0.8: ¾(1 − (0.5/0.8)²) = 0.45703125
  close(distance(Math.SQRT1_2, 'prea'), 0.5);
  close(kernelValue(0.5, 0.8, 'prea'), 0.75 * (1 - 0.390625));
  close(kernelValue(0, 0.8, 'prea'), 0.75);
  assert.equal(kernelValue(0.8, 0.8, 'prea'), 0);
  assert.equal(kernelValue(1, 0.8, 'prea'), 0);
  // paper: d = θ in radians; (1 − d²)·1[d < h]; θ = π/4 ≈ 0.785 < 0.8 → 1 − 0.6169…; θ = π/2 → 0
  close(distance(Math.SQRT1_2, 'paper'), Math.PI / 4);
  close(kernelValue(Math.PI / 4, 0.8, 'paper'), 1 - (Math.PI / 4) ** 2);
  assert.equal(kernelValue(Math.PI / 2, 0.8, 'paper'), 0);
  // cos = 1 + ε (a row against itself with rounding): distance 0, never NaN
  assert.equal(distance(1 + 1e-15, 'prea'), 0);
  assert.equal(distance(1 + 1e-15, 'paper'), 0);
  const row = kernelRow(m, 5, 2, 1, 0.8, 'prea');
  assert.ok(row.every((x) => Number.isFinite(x)));
  close(row[1], 0.75);
  close(row[4], 0.75);
  // anchors: a user with ratings, then one of that user's items
  const { IdMap, RatingMatrix } = require('../../src/core/data/ratingMatrix') as typeof import('../../src/core/data/ratingMatrix');
  const fit = new RatingMatrix(Int32Array.from([0, 0, 2]), Int32Array.from([1, 3, 2]), Float32Array.from([4, 5, 3]), new IdMap([1, 2, 3]), new IdMap([1, 2, 3, 4]));
  const anchors = drawAnchors(new Prng(3), fit, 50);
  assert.equal(anchors.length, 50);
  for (const a of anchors) assert.ok((a.user === 0 && (a.item === 1 || a.item === 3)) || (a.user === 2 && a.item === 2), JSON.stringify(a));
  assert.ok(anchors.some((a) => a.user === 0) && anchors.some((a) => a.user === 2), 'both users with ratings are drawn; user 1 has none');
});
