// LLORMA (issue #13): a local model with every weight 1 is plain SGD MF in PREA's order, on a worker thread too;
// the ensemble after t models equals the direct Nadaraya–Watson average; users and items without training ratings
// get the mid-scale value; the result does not depend on the thread count; the run reports one "epoch" per ensemble
// size with the three pictures; cancelling stops the workers.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { executeRun } from '../../src/core/run';
import { Prng } from '../../src/core/data/prng';
import { RatingMatrix, IdMap } from '../../src/core/data/ratingMatrix';
import { syntheticTsv } from '../../src/core/data/synthetic';
import { selected } from '../../src/core/tasks/format';
import { sgdPass, toCsr, uniformFactors } from '../../src/core/models/factorization/sgdFactors';
import { FactorJobPool, runFactorJob } from '../../src/core/models/factorization/factorJobs';
import { CoverageGrid, LlormaEnsemble, type LocalModel } from '../../src/core/models/factorization/llormaEnsemble';
import type { EpochMetrics, RunSpec } from '../../src/protocol/types';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { collectingSink as sink, referenceSgd, repoRoot, tmpDir, writeFile } from './helpers';

const dir = tmpDir();
const noBackend = async () => { throw new Error('no tfjs needed'); };
function matrix(rows: number[][], nUsers: number, nItems: number): RatingMatrix {
  return new RatingMatrix(
    Int32Array.from(rows, (r) => r[0]), Int32Array.from(rows, (r) => r[1]), Float32Array.from(rows, (r) => r[2]),
    new IdMap(Array.from({ length: nUsers }, (_, u) => u + 1)), new IdMap(Array.from({ length: nItems }, (_, i) => i + 1)),
  );
}

// a tiny matrix, rows deliberately not in (user, item) order
const TINY = [[2, 1, 4], [0, 3, 5], [1, 0, 2], [0, 0, 3], [2, 3, 1], [1, 2, 4], [0, 2, 4], [2, 0, 5]];

test('a local model with every kernel weight 1 equals plain SGD MF in PREA’s order — in this thread and on a worker', async () => {
  const k = 3, lr = 0.02, reg = 0.001, passes = 7;
  const m = matrix(TINY, 3, 4);
  const csr = toCsr(m, 3, 4, true);
  assert.deepEqual([...csr.rowPtr], [0, 3, 5, 8]);
  assert.deepEqual([...csr.cols], [0, 2, 3, 0, 2, 0, 1, 3], 'users ascending, then items ascending');
  const rng = new Prng(5);
  const U0 = uniformFactors(() => rng.next(), 3, k, 1);
  const V0 = uniformFactors(() => rng.next(), 4, k, 1);
  const refU = Float64Array.from(U0);
  const refV = Float64Array.from(V0);
  const mses = referenceSgd(TINY, refU, refV, k, lr, reg, passes).mse;
  const ones = (n: number) => new Float64Array(n).fill(1);
  const job = () => ({ U: Float64Array.from(U0), V: Float64Array.from(V0), k, lr, reg, wu: ones(3), wi: ones(4), maxRounds: passes, tol: 0, stopOn: 'mse' as const });
  const here = job();
  const r = runFactorJob(here, csr.vals.length, new Int32Array(new SharedArrayBuffer(4)), (s) => sgdPass(csr.rowPtr, csr.cols, csr.vals, 0, 3, here.U, here.V, k, lr, reg, here.wu, here.wi, s));
  assert.ok(r);
  assert.equal(r.rounds, passes);
  assert.equal(r.loss, mses.at(-1));
  assert.deepEqual([...here.U], [...refU]);
  assert.deepEqual([...here.V], [...refV]);
  for (const engine of ['js', 'wasm'] as const) {
    const pool = new FactorJobPool(csr, 2, { maxRank: k, engine });
    try {
      const [a, b] = await Promise.all([pool.run(job()), pool.run({ ...job(), wu: null, wi: null })]);
      assert.ok(a && b);
      assert.deepEqual([...a.U], [...refU], `${engine}: the worker computes the same numbers`);
      assert.deepEqual([...b.V], [...refV], `${engine}: no weights = weights 1`);
    } finally {
      pool.close();
    }
  }
});

test('the WebAssembly pass is bit-identical to the TypeScript pass (weighted, unweighted; even and odd ranks) and matches its .wat', async () => {
  const rng = new Prng(44);
  const nUsers = 60, nItems = 45;
  const rows: number[][] = [];
  for (let u = 0; u < nUsers; u++) for (let i = 0; i < nItems; i++) if (rng.next() < 0.3) rows.push([u, i, 1 + Math.floor(rng.next() * 9) / 2]);
  const csr = toCsr(matrix(rows, nUsers, nItems), nUsers, nItems);
  for (const k of [1, 4, 7]) {
    const U0 = uniformFactors(() => rng.next(), nUsers, k, 1);
    const V0 = uniformFactors(() => rng.next(), nItems, k, 1);
    const wu = Float64Array.from({ length: nUsers }, () => (rng.next() < 0.2 ? 0 : rng.next()));
    const wi = Float64Array.from({ length: nItems }, () => (rng.next() < 0.2 ? 0 : rng.next()));
    for (const weighted of [true, false]) {
      const job = () => ({ U: Float64Array.from(U0), V: Float64Array.from(V0), k, lr: 0.013, reg: 0.002, wu: weighted ? wu : null, wi: weighted ? wi : null, maxRounds: 12, tol: 0, stopOn: 'mse' as const });
      const res: Record<string, { U: Float64Array; V: Float64Array; loss: number }> = {};
      for (const engine of ['js', 'wasm'] as const) {
        const pool = new FactorJobPool(csr, 1, { maxRank: 8, engine });
        try {
          const r = await pool.run(job());
          assert.ok(r);
          res[engine] = r;
        } finally {
          pool.close();
        }
      }
      assert.equal(res.wasm.loss, res.js.loss, `rank ${k}, weighted ${weighted}: loss`);
      assert.deepEqual([...res.wasm.U], [...res.js.U], `rank ${k}, weighted ${weighted}: U`);
      assert.deepEqual([...res.wasm.V], [...res.js.V], `rank ${k}, weighted ${weighted}: V`);
    }
  }
  // the committed base64 module is the assembly of the committed .wat (scripts/build-wasm.mjs --check)
  const check = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});

test('kernel weights scale the update and the regulariser still applies where a weight is 0 (as PREA)', () => {
  const m = matrix([[0, 0, 4], [1, 0, 2]], 2, 1);
  const csr = toCsr(m, 2, 1);
  const U = Float64Array.from([1, 1]);
  const V = Float64Array.from([0.5]);
  const lr = 0.1, reg = 0.5;
  sgdPass(csr.rowPtr, csr.cols, csr.vals, 0, 2, U, V, 1, lr, reg, Float64Array.from([0.5, 0]), Float64Array.from([1]), new Float64Array(2));
  // rating (0, 0): e = 4 − 0.5 = 3.5, w = 0.5: u = 1 + 0.1(3.5·0.5·0.5 − 0.5) = 1.0375, v = 0.5 + 0.1(3.5·0.5·1 − 0.25) = 0.65
  // rating (1, 0): w = 0: u = 1 − 0.1·0.5·1 = 0.95, v = 0.65 − 0.1·0.5·0.65 = 0.6175
  assert.ok(Math.abs(U[0] - 1.0375) < 1e-12 && Math.abs(U[1] - 0.95) < 1e-12 && Math.abs(V[0] - 0.6175) < 1e-12, `${[...U]} ${[...V]}`);
});

function randomModel(rng: Prng, nUsers: number, nItems: number, k: number, zeroUser: number): LocalModel {
  const ku = Float64Array.from({ length: nUsers }, (_, u) => (u === zeroUser || rng.next() < 0.2 ? 0 : rng.next()));
  const ki = Float64Array.from({ length: nItems }, () => (rng.next() < 0.2 ? 0 : rng.next()));
  return { anchor: { user: 0, item: 0 }, ku, ki, U: Float32Array.from({ length: nUsers * k }, () => rng.next()), V: Float32Array.from({ length: nItems * k }, () => rng.next()), k };
}

test('the ensemble after t models equals a direct Nadaraya–Watson computation, also when evaluated incrementally', () => {
  const rng = new Prng(21);
  const nUsers = 12, nItems = 9, k = 2;
  const e = new LlormaEnsemble(3);
  for (let t = 0; t < 6; t++) e.add(randomModel(rng, nUsers, nItems, k, 11));
  const us = Int32Array.from({ length: 40 }, (_, j) => j % nUsers);
  const is = Int32Array.from({ length: 40 }, (_, j) => (j * 7) % nItems);
  for (const t of [1, 2, 3, 5, 6]) assert.deepEqual([...e.predictor(t)(us, is)], [...e.predictDirect(t, us, is)], `t = ${t}`);
  // and a hand computation for one pair at t = 2
  const [m1, m2] = e.models;
  const u = 4, i = 5;
  const dot = (m: LocalModel) => m.U[u * k] * m.V[i * k] + m.U[u * k + 1] * m.V[i * k + 1];
  const w1 = m1.ku[u] * m1.ki[i], w2 = m2.ku[u] * m2.ki[i];
  const want = w1 + w2 > 0 ? (w1 * dot(m1) + w2 * dot(m2)) / (w1 + w2) : 3;
  assert.ok(Math.abs(e.predictDirect(2, Int32Array.of(u), Int32Array.of(i))[0] - want) < 1e-6);
  // a user whose weight is 0 in every model gets the mid-scale value
  assert.deepEqual([...e.predictor(6)(Int32Array.of(11, 11), Int32Array.of(0, 8))], [3, 3]);
  // going back to a smaller ensemble recomputes (no stale sums)
  assert.deepEqual([...e.predictor(2)(us, is)], [...e.predictDirect(2, us, is)]);
});

test('the coverage grid is the block mean of K_user·K_item without a dense users × items matrix', () => {
  const g = new CoverageGrid(4, 6, 2);
  const ku = Float64Array.from([1, 0, 0.5, 0.5]);
  const ki = Float64Array.from([1, 1, 1, 0, 0, 0]);
  const local = g.add(ku, ki);
  // block (users 0–1, items 0–2): mean over the 2×3 products = (1·1·3 + 0)/6 = 0.5; (users 2–3, items 0–2) = 0.5
  assert.deepEqual([...local], [0.5, 0, 0.5, 0]);
  g.add(ku, ki);
  assert.deepEqual([...g.total], [1, 0, 1, 0]);
});

const data = writeFile(dir, 'low.tsv', syntheticTsv({ users: 120, items: 80, rank: 3, density: 0.3, noise: 0.2, seed: 17 }));
const base = (over: Record<string, number | string | boolean>, threads?: number): RunSpec => ({
  model: 'llorma', overrides: { rank: 3, anchors: 6, rounds: 40, distanceEpochs: 60, ...over }, dataset: { train: data }, split: 'random:0.1:3', valFraction: 0.1, seed: 8, backend: 'cpu', threads,
});

test('same seed, same result on 1 and 2 threads; one epoch per ensemble size; the three pictures; better than the mean baseline', async () => {
  const one = sink();
  const r1 = await executeRun(base({}, 1), one.s, { runId: 'l1', setupBackend: noBackend, isCancelled: () => false });
  assert.equal(r1.summary.status, 'completed', r1.summary.error);
  const two = sink();
  const r2 = await executeRun(base({}, 2), two.s, { runId: 'l2', setupBackend: noBackend, isCancelled: () => false });
  assert.equal(r2.summary.status, 'completed', r2.summary.error);
  const strip = (es: EpochMetrics[]) => es.map(({ seconds: _s, ...rest }) => rest);
  assert.deepEqual(strip(two.epochs), strip(one.epochs), 'every ensemble size’s metrics agree exactly');
  assert.equal(one.epochs.length, 6);
  assert.deepEqual(one.epochs.map((e) => [e.phase, e.epoch, e.epochs]), [1, 2, 3, 4, 5, 6].map((t) => ['ensemble', t, 6]));
  const mean = await executeRun({ ...base({}), model: 'user-item-mean', overrides: {} }, sink().s, { runId: 'm', setupBackend: noBackend, isCancelled: () => false });
  assert.ok(selected(r1.summary, 'valSelected') < selected(mean.summary, 'valSelected'), `${selected(r1.summary, 'valSelected')} vs ${selected(mean.summary, 'valSelected')}`);
  // pictures: RMSE vs anchors (with the global SVD's line), coverage heatmaps, a row per local model
  const names = new Set(one.frames.map((f) => f.name));
  assert.deepEqual([...names].sort(), ['anchor coverage', 'local models', 'rmse vs anchors']);
  const line = one.frames.filter((f) => f.name === 'rmse vs anchors').flatMap((f) => (f.data.view === 'line' ? f.data.points : []));
  assert.equal(line.filter((p) => p.series === 'LLORMA, test').length, 6);
  assert.deepEqual(line.filter((p) => p.series === 'LLORMA, test').map((p) => p.y), one.epochs.map((e) => e.test.rmse), 'the plot shows the evaluated RMSE');
  const globalPts = line.filter((p) => p.series === 'global SVD rank 3, test');
  assert.deepEqual(globalPts.map((p) => p.x), [1, 6], 'the global SVD is a horizontal line over 1…q');
  const rows = one.frames.filter((f) => f.name === 'local models').flatMap((f) => (f.data.view === 'table' ? f.data.rows : []));
  assert.equal(rows.length, 6);
  for (const row of rows) assert.ok(Number(row[4]) >= 1 && Number(row[4]) <= 40, `passes ${row[4]}`);
  const heat = one.frames.find((f) => f.name === 'anchor coverage');
  assert.ok(heat && heat.data.view === 'heatmap' && heat.data.panels.length === 2 && heat.data.panels[0].tensor.fullRows === 120);
});

test('users and items without training ratings predict the mid-scale value', async () => {
  // user 99 and item 99 appear only in the test file
  const rng = new Prng(3);
  const train: string[] = [];
  for (let u = 1; u <= 20; u++) for (let i = 1; i <= 15; i++) if (rng.next() < 0.5) train.push(`${u}\t${i}\t${1 + ((u + i) % 5)}`);
  const tr = writeFile(dir, 'cold.base', train.join('\n') + '\n');
  const te = writeFile(dir, 'cold.test', '99\t1\t1\n1\t99\t1\n99\t99\t1\n');
  const c = sink();
  const r = await executeRun({ model: 'llorma', overrides: { rank: 2, anchors: 3, rounds: 10, distanceEpochs: 10, globalBaseline: false }, dataset: { train: tr, test: te }, split: 'given', valFraction: 0, seed: 2, backend: 'cpu', threads: 1 }, c.s, { runId: 'cold', setupBackend: noBackend, isCancelled: () => false });
  assert.equal(r.summary.status, 'completed', r.summary.error);
  // every test prediction is 3 on the 1–5 scale, so the test RMSE against ratings of 1 is exactly 2
  for (const e of c.epochs) assert.equal(e.test.rmse, 2);
});

test('cancelling a run stops its worker threads and keeps the ensemble sizes evaluated so far', async () => {
  const c = sink();
  let cancel = false;
  const t0 = Date.now();
  const r = await executeRun(base({ anchors: 40, rounds: 10000, tolerance: 0 }, 2), { ...c.s, epoch: (m) => { c.epochs.push(m); cancel = true; } }, { runId: 'c', setupBackend: noBackend, isCancelled: () => cancel });
  assert.equal(r.summary.status, 'cancelled');
  assert.ok(c.epochs.length >= 1 && c.epochs.length < 40, `${c.epochs.length} ensemble sizes`);
  assert.ok(Date.now() - t0 < 60_000);
});
