// Graph eigenbases for the spectral models (issue #14): LAPACK dsyevd through koffi — ‖AΦ − ΦΛ‖ small, Φ
// orthonormal, eigenvalues ascending; the Laplacian of a graph with a disconnected node; kNN graphs.
import { test } from 'node:test';
import * as path from 'path';
import * as assert from 'node:assert/strict';
import { Prng } from '../../src/core/data/prng';
import { symmetricEigen } from '../../src/core/linalg/eigen';
import { loadLapack } from '../../src/core/linalg/lapack';
import { graphHash, knnFromSimilarity, laplacian, normalizedLaplacian, rowCosine } from '../../src/core/data/graph';

const lapack = loadLapack();

function check(A: Float64Array, n: number) {
  const { values, vectors: P } = symmetricEigen(A, n);
  for (let j = 1; j < n; j++) assert.ok(values[j] >= values[j - 1], 'ascending');
  let res = 0;
  let orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let av = 0;
      let pp = 0;
      for (let k = 0; k < n; k++) {
        av += A[i * n + k] * P[k * n + j];
        pp += P[k * n + i] * P[k * n + j];
      }
      res = Math.max(res, Math.abs(av - P[i * n + j] * values[j]));
      orth = Math.max(orth, Math.abs(pp - (i === j ? 1 : 0)));
    }
  }
  return { values, P, res, orth };
}

test('dsyevd: A Φ = Φ Λ and Φ orthonormal on a random symmetric matrix', { skip: lapack.lapack ? false : `no LAPACK: ${lapack.reason}` }, () => {
  const n = 40;
  const rng = new Prng(2);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.normal();
  const { res, orth } = check(A, n);
  assert.ok(res < 1e-10, `‖AΦ − ΦΛ‖∞ = ${res}`);
  assert.ok(orth < 1e-12, `‖ΦᵀΦ − I‖∞ = ${orth}`);
});

/** A hand-made graph on n nodes: symmetric weighted edges and self-loops (which the Laplacians must ignore). */
function handGraph(n: number, edges: [number, number, number][], loops: [number, number][]) {
  const W = new Float64Array(n * n);
  for (const [i, j, w] of edges) W[i * n + j] = W[j * n + i] = w;
  for (const [i, w] of loops) W[i * n + i] = w;
  return { n, W, source: 'hand' };
}

test('the Laplacian of a graph with a disconnected node: zero eigenvalues, one per component, self-loops ignored', { skip: lapack.lapack ? false : `no LAPACK: ${lapack.reason}` }, () => {
  // a path 0–1–2 with a self-loop on 1, and node 3 alone
  const n = 4;
  const L = laplacian(handGraph(n, [[0, 1, 1], [1, 2, 2]], [[1, 5]]));
  assert.deepEqual([...L.subarray(0, 4)], [1, -1, 0, 0]);
  assert.deepEqual([...L.subarray(4, 8)], [-1, 3, -2, 0]);
  assert.deepEqual([...L.subarray(12, 16)], [0, 0, 0, 0]);
  const { values, res, orth } = check(L, n);
  assert.ok(res < 1e-12 && orth < 1e-12);
  // two components → two zero eigenvalues; the path's others: 3 ± √3
  assert.ok(Math.abs(values[0]) < 1e-12 && Math.abs(values[1]) < 1e-12, `${[...values]}`);
  assert.ok(Math.abs(values[2] - (3 - Math.sqrt(3))) < 1e-12 && Math.abs(values[3] - (3 + Math.sqrt(3))) < 1e-12, `${[...values]}`);
  assert.throws(() => laplacian({ n: 2, W: Float64Array.of(0, 1, 2, 0), source: 'x' }), /not symmetric/);
  assert.throws(() => laplacian({ n: 2, W: Float64Array.of(0, -1, -1, 0), source: 'x' }), /non-negative/);
});

test('the normalised Laplacian I − D^-½ W D^-½: by hand, eigenvalues in [0, 2], an isolated node stays zero', { skip: lapack.lapack ? false : `no LAPACK: ${lapack.reason}` }, () => {
  // path 0–1 (weight 1), 1–2 (weight 3), self-loop on 2 ignored, node 3 alone; degrees 1, 4, 3, 0
  const n = 4;
  const L = normalizedLaplacian(handGraph(n, [[0, 1, 1], [1, 2, 3]], [[2, 7]]));
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-15;
  assert.ok(close(L[0], 1) && close(L[5], 1) && close(L[10], 1) && L[15] === 0, 'diagonal 1, 0 for the isolated node');
  assert.ok(close(L[1], -1 / 2) && close(L[1 * n + 2], -3 / Math.sqrt(12)) && close(L[2 * n + 1], -3 / Math.sqrt(12)) && L[2] === 0);
  assert.deepEqual([...L.subarray(12, 16)], [0, 0, 0, 0]);
  const { values, res, orth } = check(L, n);
  assert.ok(res < 1e-12 && orth < 1e-12);
  // a connected path's normalised Laplacian has eigenvalues 0, 1, 2 (bipartite: 2 − λ is one too); plus the lone 0
  const want = [0, 0, 1, 2];
  for (let i = 0; i < n; i++) assert.ok(Math.abs(values[i] - want[i]) < 1e-12, `${[...values]}`);
});

test('kNN graphs: each node keeps its k most similar others, symmetrised by union; cosine of rating rows', () => {
  const S = Float64Array.of(
    1, 0.9, 0.1, 0.5,
    0.8, 1, 0.2, 0.1,
    0.1, 0.3, 1, 0.7,
    0.5, 0.1, 0.6, 1,
  );
  const g = knnFromSimilarity(S, 4, 1, 'hand');
  const edges = [];
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) if (g.W[i * 4 + j] > 0) edges.push([i, j, g.W[i * 4 + j]]);
  // 0→1, 1→0, 2→3, 3→2 (max(S_ij, S_ji) as the weight)
  assert.deepEqual(edges, [[0, 1, 0.9], [2, 3, 0.7]]);
  assert.notEqual(graphHash(g), graphHash(knnFromSimilarity(S, 4, 2, 'hand')));
  const C = rowCosine(2, 3, Int32Array.of(0, 0, 1), Int32Array.of(0, 1, 1), Float64Array.of(3, 4, 2));
  assert.ok(Math.abs(C[1] - 0.8) < 1e-15 && C[0] === 1 && C[3] === 1);
});

import { evaluate, gemm, mat, scaledIdentity, zoomLevels, type Mat, type SpectralParams, type SpectralProblem } from '../../src/core/models/spectral/sgmcEnergy';

function randMat(rng: Prng, r: number, c: number, s = 1): Mat {
  return mat(r, c, Float64Array.from({ length: r * c }, () => rng.normal() * s));
}

function problem(rng: Prng, m: number, n: number, withBases: boolean): SpectralProblem {
  const M = Float64Array.from({ length: m * n }, () => 1 + 4 * rng.next());
  const S = Float64Array.from({ length: m * n }, () => (rng.next() < 0.4 ? 1 : 0));
  if (!withBases) return { M, S, m, n, muR: 0, muC: 0, rhoR: 0, rhoC: 0 };
  const basis = (k: number) => {
    const W = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) if (rng.next() < 0.5) W[i * k + j] = W[j * k + i] = rng.next();
    const e = symmetricEigen(laplacian({ n: k, W, source: 'rand' }), k);
    return { Phi: mat(k, k, e.vectors), lambda: e.values };
  };
  const r = basis(m);
  const c = basis(n);
  return { M, S, m, n, Phi: r.Phi, Psi: c.Phi, lambdaR: r.lambda, lambdaC: c.lambda, muR: 0.3, muC: 0.2, rhoR: 0.7, rhoC: 0.4 };
}

/** Central finite differences of the energy against the hand-written gradient, every entry. */
function gradCheck(pr: SpectralProblem, th: SpectralParams, keys: ('P' | 'C' | 'Q')[], form?: 'dense' | 'factored') {
  const g = evaluate(pr, th, true, form).grad!;
  let worst = 0;
  for (const key of keys) {
    const A = th[key] as Mat;
    const G = g[key] as Mat;
    for (let k = 0; k < A.data.length; k++) {
      const x = A.data[k];
      const h = 1e-6;
      A.data[k] = x + h;
      const up = evaluate(pr, th, false, form).energy.total;
      A.data[k] = x - h;
      const dn = evaluate(pr, th, false, form).energy.total;
      A.data[k] = x;
      const fd = (up - dn) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - G.data[k]) / Math.max(1, Math.abs(fd)));
    }
  }
  return worst;
}

test('SGMC, FM and DMF energies: the hand-written gradients match float64 finite differences', { skip: lapack.lapack ? false : `no LAPACK: ${lapack.reason}` }, () => {
  const rng = new Prng(31);
  const m = 5, n = 4;
  // SGMC: all terms, P, C, Q trained, p, q larger than the matrix (p_max may exceed m)
  const pr = problem(rng, m, n, true);
  const sgmc = { P: randMat(rng, m, 6, 0.5), C: randMat(rng, 6, 5, 0.5), Q: randMat(rng, n, 5, 0.5) };
  const e = evaluate(pr, sgmc, false).energy;
  assert.ok(e.data > 0 && e.dirichlet > 0 && e.diagonalisation > 0, JSON.stringify(e));
  assert.ok(gradCheck(pr, sgmc, ['P', 'C', 'Q']) < 1e-6);
  // the diagonalisation terms in their p×p form too (P, Q narrower than the matrix)
  const narrow = { P: randMat(rng, m, 3, 0.5), C: randMat(rng, 3, 2, 0.5), Q: randMat(rng, n, 2, 0.5) };
  assert.ok(evaluate(pr, narrow, false).energy.diagonalisation > 0);
  assert.ok(gradCheck(pr, narrow, ['P', 'C', 'Q']) < 1e-6);
  // the factored evaluation (narrow P, Q: (ΦP) C (ΨQ)ᵀ, Dirichlet through Gram matrices) equals the dense one, and
  // both forms' gradients hold for wide factors too
  const dense = evaluate(pr, narrow, true, 'dense');
  const fact = evaluate(pr, narrow, true, 'factored');
  for (const k of ['total', 'data', 'dirichlet', 'diagonalisation'] as const) assert.ok(Math.abs(dense.energy[k] - fact.energy[k]) < 1e-9 * Math.max(1, dense.energy[k]), k);
  for (const k of ['P', 'C', 'Q'] as const) dense.grad![k]!.data.forEach((v, x) => assert.ok(Math.abs(v - fact.grad![k]!.data[x]) < 1e-9 * Math.max(1, Math.abs(v)), `${k}[${x}]`));
  assert.ok(gradCheck(pr, sgmc, ['P', 'C', 'Q'], 'factored') < 1e-6);
  const noRowGraph = { ...pr, Phi: undefined, lambdaR: undefined };
  assert.ok(gradCheck(noRowGraph, narrow, ['P', 'C', 'Q'], 'factored') < 1e-6);
  // float32 (sgemm) agrees with float64 within float32 rounding
  const f32 = (A: Mat) => mat(A.rows, A.cols, Float32Array.from(A.data));
  const e32 = evaluate({ ...pr, Phi: f32(pr.Phi!), Psi: f32(pr.Psi!) }, { P: f32(sgmc.P), C: f32(sgmc.C), Q: f32(sgmc.Q) }, true);
  assert.ok(Math.abs(e32.energy.total - e.total) < 1e-4 * e.total, `${e32.energy.total} vs ${e.total}`);
  assert.ok(e32.grad!.P!.data instanceof Float32Array);
  // SGMC-Z: the data terms of the zoom-out filter bank (levels (1,1), (3,2), (5,3), (5,4))
  assert.deepEqual(zoomLevels(5, 4, 2, 1), [[1, 1], [3, 2], [5, 3], [5, 4]]);
  const zpr = { ...pr, zoom: { pSkip: 2, qSkip: 1 } };
  assert.ok(evaluate(zpr, sgmc, false).energy.data > e.data, 'the coarse levels add data terms');
  assert.ok(gradCheck(zpr, sgmc, ['P', 'C', 'Q']) < 1e-6);
  // FM: X = Φ C Ψᵀ, only C
  assert.ok(gradCheck(pr, { C: randMat(rng, m, n) }, ['C']) < 1e-6);
  // DMF: identity bases, data term only
  const dmf = problem(rng, m, n, false);
  assert.ok(gradCheck(dmf, { P: randMat(rng, m, m), C: randMat(rng, m, n), Q: randMat(rng, n, n) }, ['P', 'C', 'Q']) < 1e-6);
});

test('DMF: gradient descent with evaluate() equals plain gradient descent on P C Qᵀ computed directly', () => {
  const rng = new Prng(8);
  const m = 4, n = 3, lr = 0.01, steps = 25;
  const pr = problem(rng, m, n, false);
  const th = { P: scaledIdentity(m, m, 1), C: scaledIdentity(m, n, 1), Q: scaledIdentity(n, n, 1) };
  // direct: nested loops, no gemm
  const P = Float64Array.from(th.P.data), C = Float64Array.from(th.C.data), Q = Float64Array.from(th.Q.data);
  for (let s = 0; s < steps; s++) {
    const g = evaluate(pr, th, true).grad!;
    for (const k of ['P', 'C', 'Q'] as const) for (let x = 0; x < th[k].data.length; x++) th[k].data[x] -= lr * g[k]!.data[x];
    const X = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) X[i * n + j] += P[i * m + a] * C[a * n + b] * Q[j * n + b];
    const R = X.map((x, k) => 2 * (x - pr.M[k]) * pr.S[k]);
    const dP = new Float64Array(m * m), dC = new Float64Array(m * n), dQ = new Float64Array(n * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) {
      const r = R[i * n + j];
      dP[i * m + a] += r * C[a * n + b] * Q[j * n + b];
      dC[a * n + b] += r * P[i * m + a] * Q[j * n + b];
      dQ[j * n + b] += r * P[i * m + a] * C[a * n + b];
    }
    for (let x = 0; x < P.length; x++) P[x] -= lr * dP[x];
    for (let x = 0; x < C.length; x++) C[x] -= lr * dC[x];
    for (let x = 0; x < Q.length; x++) Q[x] -= lr * dQ[x];
  }
  for (const [a, b] of [[th.P.data, P], [th.C.data, C], [th.Q.data, Q]]) for (let x = 0; x < a.length; x++) assert.ok(Math.abs(a[x] - b[x]) < 1e-12, `${a[x]} vs ${b[x]}`);
  // and the energy went down
  const e0 = evaluate(pr, { P: scaledIdentity(m, m, 1), C: scaledIdentity(m, n, 1), Q: scaledIdentity(n, n, 1) }, false).energy.total;
  assert.ok(evaluate(pr, th, false).energy.total < e0);
  void gemm;
});

import { readYamanishi } from '../../src/core/data/yamanishi';
import { loadDataset, prepareSplit } from '../../src/core/data/dataset';
import { parseSplit, splitToString } from '../../src/core/data/splits';
import { DatasetError } from '../../src/core/data/errors';
import { collectingSink as sink, tmpDir, writeFile, yamanishiTable } from './helpers';

test('Yamanishi drug–target files: every pair an observation, kNN graphs from the similarities, clear errors', async () => {
  const dir = tmpDir();
  const drugs = ['D1', 'D2', 'D3', 'D4'];
  const targets = ['hsa1', 'hsa2', 'hsa3'];
  const ad = writeFile(dir, 'toy_admat_dgc.txt', yamanishiTable(targets, drugs, (i, j) => ((i + j) % 3 === 0 ? 1 : 0)));
  writeFile(dir, 'toy_simmat_dc.txt', yamanishiTable(drugs, drugs, (i, j) => (i === j ? 1 : 1 / (1 + Math.abs(i - j)))));
  writeFile(dir, 'toy_simmat_dg.txt', yamanishiTable(targets, targets, (i, j) => (i === j ? 1 : 0.1 * (i + j))));
  const d = readYamanishi(ad, 1);
  assert.deepEqual(d.drugs, drugs);
  assert.equal(d.interactions.reduce((s, v) => s + v, 0), 4);
  // drug graph, k = 1: each drug keeps its nearest neighbour (ties by index): 0–1, 1–0, 2–1, 3–2
  const edges = [...d.drugGraph.rows].map((r, t) => `${r}-${d.drugGraph.cols[t]}`).sort();
  assert.deepEqual(edges, ['0-1', '1-0', '1-2', '2-1', '2-3', '3-2']);
  const ds = await loadDataset({ train: ad });
  assert.equal(ds.format, 'yamanishi');
  assert.equal(ds.train.length, 12, 'every (target, drug) pair');
  assert.deepEqual(ds.scale, { min: 0, max: 1, step: 1 });
  assert.ok(ds.userGraph && ds.itemGraph);
  // CVS2 holds out whole drugs, CVS3 whole targets
  for (const [split, key] of [['cvs2:2:0:5', 'items'], ['cvs3:3:1:5', 'users']] as const) {
    const spec = parseSplit(split);
    assert.equal(splitToString(spec), split);
    const p = prepareSplit(ds, spec, 0, 1);
    const heldOut = new Set(p.test[key]);
    for (const e of p.train[key]) assert.ok(!heldOut.has(e), `${split}: a held-out ${key} entry is in training`);
    assert.ok(p.test.length > 0);
  }
  // errors name the file and line
  writeFile(dir, 'bad_admat_dgc.txt', yamanishiTable(targets, drugs, (i, j) => (i === 1 && j === 2 ? 2 : 0)));
  writeFile(dir, 'bad_simmat_dc.txt', yamanishiTable(drugs, drugs, () => 1));
  writeFile(dir, 'bad_simmat_dg.txt', yamanishiTable(['hsa1', 'hsaX', 'hsa3'], ['hsa1', 'hsaX', 'hsa3'], () => 1));
  assert.throws(() => readYamanishi(path.join(dir, 'bad_admat_dgc.txt')), (e: DatasetError) => e instanceof DatasetError && /bad_admat_dgc\.txt:3: .*\(hsa2, D3\) is 2/.test(e.message));
  writeFile(dir, 'bad_admat_dgc.txt', yamanishiTable(targets, drugs, () => 0));
  assert.throws(() => readYamanishi(path.join(dir, 'bad_admat_dgc.txt')), /bad_simmat_dg\.txt.*order must match/);
});

import { executeRun } from '../../src/core/run';
import { clearEigenCache, fitBiases } from '../../src/core/models/spectral/spectralTraining';
import type { RatingMatrix } from '../../src/core/data/ratingMatrix';
import { rocPrCurves } from '../../src/core/tasks/metricFunctions';
import * as fs from 'fs';
import { syntheticTsv } from '../../src/core/data/synthetic';

const noTf = async () => { throw new Error('no tfjs needed'); };

test('sgmc without graphs says so (and how to build them); with graph=knn:5 it trains and draws its pictures', { skip: lapack.lapack ? false : `no LAPACK: ${lapack.reason}` }, async () => {
  const dir = tmpDir();
  const data = writeFile(dir, 'low.tsv', syntheticTsv({ users: 40, items: 30, rank: 2, density: 0.4, noise: 0.1, seed: 3 }));
  const spec = { model: 'sgmc', overrides: { iterations: 300, evalEvery: 50, optimizer: 'adam', lr: 0.01 }, dataset: { train: data }, split: 'random:0.1:2', valFraction: 0.1, seed: 4, backend: 'cpu' as const };
  const a = await executeRun(spec, sink().s, { runId: 'a', setupBackend: noTf, isCancelled: () => false });
  assert.equal(a.summary.status, 'failed');
  assert.equal(a.errorKind, 'input');
  assert.match(a.summary.error ?? '', /needs graphs.*graph=knn:10/);
  const c = sink();
  const runs = path.join(dir, 'runs');
  const knn = { ...spec, overrides: { ...spec.overrides, graph: 'knn:5' } };
  const b = await executeRun(knn, c.s, { runId: 'b', setupBackend: noTf, isCancelled: () => false, artifactsDir: path.join(runs, 'b', 'artifacts') });
  assert.equal(b.summary.status, 'completed', b.summary.error);
  // the eigenbases are cached in the runs folder: a second run (a fresh process's view) reads them back
  assert.equal(fs.readdirSync(path.join(runs, '.cache', 'eigen')).length, 2);
  clearEigenCache();
  const logs: string[] = [];
  const again = await executeRun(knn, { ...sink().s, log: (l) => logs.push(l.message) }, { runId: 'c', setupBackend: noTf, isCancelled: () => false, artifactsDir: path.join(runs, 'c', 'artifacts') });
  assert.equal(again.summary.status, 'completed');
  assert.equal(logs.filter((l) => /from the cache/.test(l)).length, 2, logs.join('\n'));
  assert.equal(again.summary.selection.last?.test.rmse, b.summary.selection.last?.test.rmse, 'same result from the cached bases');
  assert.ok(c.epochs.length >= 2);
  assert.ok(c.epochs.at(-1)!.trainLoss < c.epochs[0].trainLoss, 'the energy goes down');
  const names = new Set(c.frames.map((f) => f.name));
  for (const n of ['energy terms', 'spectral coefficients', 'spectra']) assert.ok(names.has(n), `frame ${n}`);
  const terms = new Set(c.frames.filter((f) => f.name === 'energy terms').flatMap((f) => (f.data.view === 'line' ? f.data.points.map((p) => p.series) : [])));
  assert.deepEqual([...terms].sort(), ['Dirichlet terms', 'data term', 'diagonalisation terms']);
});

test('sgmc on drug–target data (interaction task, CVS1 fold): AUC and AUPR from the similarity graphs', { skip: lapack.lapack ? false : `no LAPACK: ${lapack.reason}` }, async () => {
  const dir = tmpDir();
  const rng = new Prng(12);
  const nT = 12, nD = 16;
  // two blocks of targets/drugs that interact within the block, similarities high within a block
  const blockT = (i: number) => (i < 6 ? 0 : 1);
  const blockD = (j: number) => (j < 8 ? 0 : 1);
  const ids = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}`);
  const ad = writeFile(dir, 'blk_admat_dgc.txt', yamanishiTable(ids('hsa', nT), ids('D', nD), (i, j) => (blockT(i) === blockD(j) && rng.next() < 0.6 ? 1 : 0)));
  writeFile(dir, 'blk_simmat_dc.txt', yamanishiTable(ids('D', nD), ids('D', nD), (i, j) => (i === j ? 1 : blockD(i) === blockD(j) ? 0.8 : 0.1)));
  writeFile(dir, 'blk_simmat_dg.txt', yamanishiTable(ids('hsa', nT), ids('hsa', nT), (i, j) => (i === j ? 1 : blockT(i) === blockT(j) ? 0.8 : 0.1)));
  const c = sink();
  const logs: string[] = [];
  const r = await executeRun({ model: 'sgmc', task: 'interaction', overrides: { iterations: 400, evalEvery: 100, optimizer: 'adam', lr: 0.01 }, dataset: { train: ad }, split: 'cvs1:5:0:1', valFraction: 0.1, seed: 1, backend: 'cpu' }, { ...c.s, log: (l) => logs.push(l.message) }, { runId: 'dti', setupBackend: noTf, isCancelled: () => false });
  assert.equal(r.summary.status, 'completed', r.summary.error);
  // laplacian=auto: similarity graphs get the normalised Laplacian (as the GRMF / MGRNNM code)
  assert.equal(logs.filter((l) => /eigenbasis of the normalized Laplacian/.test(l)).length, 2, logs.join('\n'));
  const auc = c.epochs.at(-1)!.test.auc ?? NaN;
  assert.ok(auc > 0.75, `test AUC ${auc}`);
  assert.ok(Number.isFinite(c.epochs.at(-1)!.test.aupr ?? NaN));
  const roc = c.frames.filter((f) => f.name === 'roc').at(-1);
  assert.ok(roc && roc.data.view === 'scatter' && roc.data.points.length > 2, 'the ROC curve of the test predictions');
  assert.ok(c.frames.some((f) => f.name === 'precision-recall'));
  // similarityKnn sparsifies the similarity matrices again: 2 neighbours instead of the reader's 5
  logs.length = 0;
  const k2 = sink();
  const r2 = await executeRun({ model: 'sgmc', task: 'interaction', overrides: { iterations: 100, evalEvery: 100, optimizer: 'adam', lr: 0.01, similarityKnn: 2 }, dataset: { train: ad }, split: 'cvs1:5:0:1', valFraction: 0.1, seed: 1, backend: 'cpu' }, { ...k2.s, log: (l) => logs.push(l.message) }, { runId: 'dti2', setupBackend: noTf, isCancelled: () => false });
  assert.equal(r2.summary.status, 'completed', r2.summary.error);
  assert.ok(logs.some((l) => /eigenbasis of the normalized Laplacian of knn:2 of blk_simmat_dg\.txt \(12 nodes\)/.test(l)), logs.join('\n'));
  assert.ok(logs.some((l) => /eigenbasis of the normalized Laplacian of knn:2 of blk_simmat_dc\.txt \(16 nodes\)/.test(l)), logs.join('\n'));
  const spectrum = (frames: typeof c.frames) => JSON.stringify(frames.find((f) => f.name === 'spectra')?.data);
  assert.notEqual(spectrum(k2.frames), spectrum(c.frames), 'a sparser graph, another spectrum');
});

test('ROC and precision–recall curves against hand-computed points (ties are one threshold)', () => {
  const { roc, pr } = rocPrCurves([0.9, 0.8, 0.8, 0.3], [1, 0, 1, 0]);
  assert.deepEqual(roc, [{ x: 0, y: 0 }, { x: 0, y: 0.5 }, { x: 0.5, y: 1 }, { x: 1, y: 1 }]);
  assert.deepEqual(pr, [{ x: 0.5, y: 1 }, { x: 1, y: 2 / 3 }, { x: 1, y: 0.5 }]);
  assert.deepEqual(rocPrCurves([1, 2], [1, 1]), { roc: [], pr: [] });
  const many = rocPrCurves(Array.from({ length: 1000 }, (_, k) => k), Array.from({ length: 1000 }, (_, k) => k % 3 === 0 ? 1 : 0), 50);
  assert.equal(many.roc.length, 50);
  assert.deepEqual(many.roc[0], { x: 0, y: 0 });
  assert.deepEqual(many.roc.at(-1), { x: 1, y: 1 });
});

test('center=biases: the ridge user and item biases solve their normal equations, and a run adds them back to its predictions', async () => {
  const rng = new Prng(11);
  const m = 9;
  const n = 7;
  const train: [number, number, number][] = [];
  const testPairs: [number, number, number][] = [];
  const bu = Array.from({ length: m }, () => rng.normal());
  const bi = Array.from({ length: n }, () => rng.normal());
  for (let u = 0; u < m; u++) {
    for (let i = 0; i < n; i++) {
      const r = Math.round(2 * (3 + bu[u] + bi[i] + 0.3 * rng.normal())) / 2;
      // every user and item in training; about a fifth of the pairs held out
      (i !== u % n && rng.next() < 0.2 ? testPairs : train).push([u, i, r]);
    }
  }
  const lambda = 2.5;
  // the independent answer: the (m + n) normal equations of Σ (r − µ − b_u − b_i)² + λ(Σ b_u² + Σ b_i²), dense elimination
  const mu = train.reduce((s, t) => s + t[2], 0) / train.length;
  const k = m + n;
  const A = Array.from({ length: k }, () => new Float64Array(k + 1));
  for (let x = 0; x < k; x++) A[x][x] = lambda;
  for (const [u, i, r] of train) {
    A[u][u] += 1; A[u][m + i] += 1; A[u][k] += r - mu;
    A[m + i][m + i] += 1; A[m + i][u] += 1; A[m + i][k] += r - mu;
  }
  for (let c = 0; c < k; c++) {
    for (let r = c + 1; r < k; r++) {
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
    }
  }
  const b = new Float64Array(k);
  for (let r = k - 1; r >= 0; r--) {
    let s = A[r][k];
    for (let j = r + 1; j < k; j++) s -= A[r][j] * b[j];
    b[r] = s / A[r][r];
  }
  const fit = { length: train.length, users: Int32Array.from(train, (t) => t[0]), items: Int32Array.from(train, (t) => t[1]), values: Float32Array.from(train, (t) => t[2]) } as unknown as RatingMatrix;
  const got = fitBiases(fit, m, n, mu, lambda);
  for (let u = 0; u < m; u++) assert.ok(Math.abs(got.user[u] - b[u]) < 1e-8, `user ${u}: ${got.user[u]} vs ${b[u]}`);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(got.item[i] - b[m + i]) < 1e-8, `item ${i}`);
  // a run that cannot move its factors (α = 10: X ≈ 1e-30) predicts the baseline alone: its test RMSE is the baseline's
  const dir = tmpDir();
  const tsv = (rows: [number, number, number][]) => rows.map(([u, i, r]) => `${u + 1}\t${i + 1}\t${r}\t880000000`).join('\n') + '\n';
  const tr = writeFile(dir, 'b.train.tsv', tsv(train));
  const te = writeFile(dir, 'b.test.tsv', tsv(testPairs));
  const spec = { model: 'dmf', overrides: { center: 'biases', biasReg: lambda, alpha: 10, lr: 1e-9, iterations: 2, evalEvery: 1 }, dataset: { train: tr, test: te }, split: 'given', valFraction: 0, seed: 1, backend: 'cpu' as const };
  const run = await executeRun(spec, sink().s, { runId: 'bias', setupBackend: noTf, isCancelled: () => false });
  assert.equal(run.summary.status, 'completed', run.summary.error);
  const want = Math.sqrt(testPairs.reduce((s, [u, i, r]) => s + (r - (mu + b[u] + b[m + i])) ** 2, 0) / testPairs.length);
  const rmse = run.summary.selection.last?.test.rmse ?? NaN;
  assert.ok(Math.abs(rmse - want) < 1e-5, `test RMSE ${rmse} vs the baseline's ${want}`);
  // and without the biases the same run is worse (the mean alone)
  const plain = await executeRun({ ...spec, overrides: { ...spec.overrides, center: 'ratings' } }, sink().s, { runId: 'mean', setupBackend: noTf, isCancelled: () => false });
  assert.ok((plain.summary.selection.last?.test.rmse ?? 0) > rmse + 0.1);
});
