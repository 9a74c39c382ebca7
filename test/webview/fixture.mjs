// Fixed panel snapshots for the webview tests, built with the real task definitions, table columns and artifact
// frames of the compiled core (out/, from `npm test`'s pretest): two GLocal-K/Sparse FC rating runs with curves
// and kernel pictures, and a panel mixing a ranking run and an interaction run. Deterministic (no randomness).
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { getTask } = require(path.join(root, 'out/src/core/tasks/tasks.js'));
const { tableColumns } = require(path.join(root, 'out/src/core/tasks/format.js'));
const { kernelFrames, KERNEL_ARTIFACTS } = require(path.join(root, 'out/src/core/artifacts.js'));

const backend = { name: 'cpu', device: 'tfjs CPU + OpenBLAS (2 threads)', blas: true, gpu: false, versions: {}, skipped: [] };
const spec = (model, extra = {}) => ({ model, overrides: {}, dataset: { train: '/data/ml-100k/u1.base' }, split: 'given', valFraction: 0.05, seed: 1234, backend: 'cpu', ...extra });

/** The protocol selection over epoch records, as src/core/tasks/selection.ts does it. */
function summarise(id, model, task, selectBy, metrics, paper) {
  const dir = task.metrics.find((m) => m.key === selectBy).direction === 'lower' ? 1 : -1;
  let bv = Infinity, bt = Infinity, a, c;
  for (const e of metrics) {
    const v = dir * (e.val[selectBy] ?? NaN);
    const t = dir * e.test[selectBy];
    if (Number.isNaN(v) || v < bv) { if (!Number.isNaN(v)) bv = v; a = e; }
    if (t < bt) { bt = t; c = e; }
  }
  const at = (e) => ({ globalEpoch: e.globalEpoch, train: e.train, val: e.val, test: e.test });
  return { runId: id, model, dataset: 'ml-100k/u1', backend: 'cpu', status: 'completed', task: task.id, selectBy, selection: { valSelected: at(a), last: at(metrics.at(-1)), testSelected: at(c) }, paper, trainRatings: 76000, valRatings: 4000, testRatings: 20000, seconds: 180 };
}

function runView(id, model, modelName, preset, task, selectBy, metrics, status, extra = {}) {
  const paper = extra.paper;
  return {
    id, model, modelName, preset, spec: spec(model, extra.spec), status, task, selectBy, epochAxis: 'epoch', artifacts: extra.artifacts ?? [],
    lossDivisor: extra.lossDivisor ?? 1, tags: extra.tags ?? [], note: extra.note,
    summary: status === 'completed' ? summarise(id, model, task, selectBy, metrics, paper) : undefined, metrics, backend, paper, createdAt: extra.createdAt ?? '2026-11-22T10:15:00.000Z',
  };
}

export function fixtureState() {
  const mkMetrics = (n, scale) => Array.from({ length: n }, (_, k) => ({
    phase: k < n / 3 ? 'pretrain' : 'finetune', epoch: k < n / 3 ? k + 1 : k + 1 - Math.floor(n / 3), epochs: k < n / 3 ? Math.ceil(n / 3) : n - Math.ceil(n / 3),
    globalEpoch: k + 1, trainLoss: 5000 * scale * Math.exp(-k / 10) + 800,
    train: { rmse: 0.9 * Math.exp(-k / 30) + 0.2, mae: 0.7 * Math.exp(-k / 30) + 0.15 },
    val: { rmse: 0.95 - 0.05 * Math.log1p(k) / Math.log1p(n) + 0.0004 * Math.max(0, k - n * 0.6), mae: 0.74 - 0.03 * k / n },
    test: { rmse: 0.96 - 0.06 * Math.log1p(k) / Math.log1p(n) + 0.0003 * Math.max(0, k - n * 0.7), mae: 0.75 - 0.04 * k / n },
    seconds: 0.5, iterations: 5, evaluations: 7,
  }));
  const rating = getTask('rating');
  const runs = [
    runView('20261122-101500-glocal-k-ml-100k-u1', 'glocal-k', 'GLocal-K', 'ml-100k', rating, 'rmse', mkMetrics(90, 1), 'completed', { artifacts: KERNEL_ARTIFACTS, paper: { dataset: 'ml-100k', metrics: { rmse: 0.89 } }, lossDivisor: 76000, tags: ['reference'], note: 'the paper preset, unchanged' }),
    runView('20261122-111500-sparse-fc-ml-100k-u1', 'sparse-fc', 'Sparse FC', 'ml-100k', rating, 'rmse', mkMetrics(60, 1.3), 'running', { artifacts: KERNEL_ARTIFACTS.filter((a) => a.name !== 'global kernel'), createdAt: '2026-11-22T11:15:00.000Z', lossDivisor: 76000 }),
  ];
  const stats = (users, items, ratings) => ({
    users, items, ratings, density: ratings / (users * items), mean: 3.53,
    histogram: [1, 2, 3, 4, 5].map((v, i) => ({ value: v, count: [4719, 9178, 21963, 27396, 16744][i] })),
    perUser: { min: 4, q1: 26, median: 50, q3: 122, max: 685, mean: 84.8 }, perItem: { min: 1, q1: 6, median: 25, q3: 64, max: 495, mean: 48.5 },
    perUserHistogram: [{ lo: 2, hi: 4, count: 3 }, { lo: 5, hi: 9, count: 20 }, { lo: 10, hi: 19, count: 70 }, { lo: 20, hi: 49, count: 350 }, { lo: 50, hi: 99, count: 240 }, { lo: 100, hi: 199, count: 160 }, { lo: 200, hi: 499, count: 90 }, { lo: 500, hi: 999, count: 10 }],
    emptyUsers: 0, emptyItems: 32,
  });
  const datasetStats = { name: 'ml-100k/u1', format: 'movielens', files: [{ role: 'train', path: '/data/ml-100k/u1.base', sha256: 'ce253ec86c448b44fb3ba9a30d12dcfc2e9210cbde71efada3730c22e9ac212a' }, { role: 'test', path: '/data/ml-100k/u1.test', sha256: '18c6014a4b2c7324f250a63f8904a7b16b2b19f911129e346141507b0cbac950' }], all: stats(943, 1682, 100000), train: stats(943, 1682, 80000), test: stats(459, 1410, 20000), scale: { min: 1, max: 5, step: 1 }, warnings: [], hasGraphs: { users: false, items: false } };
  return { dataset: 'ml-100k/u1', runs, selected: runs.map((r) => r.id), heatmapRun: runs[0].id, datasetStats, view: 'runs', columns: tableColumns(runs) };
}

/** A panel with a ranking run (TopPop, higher-is-better HR@10 selection), an interaction run and a custom rating run. */
export function fixtureMixedState() {
  const ranking = getTask('ranking');
  const interaction = getTask('interaction');
  const rating = getTask('rating');
  const rankRec = (k, t) => Object.fromEntries(ranking.metrics.map((m) => [m.key, Math.min(1, t * (1 + Number(m.key.split('@')[1]) / 10) * (m.key.startsWith('hr') ? 2 : 1))]));
  const rank = Array.from({ length: 12 }, (_, k) => ({ phase: 'train', epoch: k + 1, epochs: 12, globalEpoch: k + 1, trainLoss: 100 / (k + 1), train: {}, val: rankRec(k, 0.1 + 0.02 * k - 0.002 * k * k), test: rankRec(k, 0.09 + 0.021 * k - 0.0021 * k * k), seconds: 0.2 }));
  const inter = Array.from({ length: 8 }, (_, k) => ({ phase: 'train', epoch: k + 1, epochs: 8, globalEpoch: k + 1, trainLoss: 50 / (k + 1), train: { auc: 0.9, aupr: 0.6, rmse: 0.3 }, val: { auc: 0.8 + 0.01 * k, aupr: 0.5 + 0.02 * k, rmse: 0.3 - 0.01 * k }, test: { auc: 0.79 + 0.012 * k, aupr: 0.48 + 0.02 * k, rmse: 0.31 - 0.01 * k }, seconds: 0.1 }));
  const rate = [{ phase: 'train', epoch: 1, epochs: 1, globalEpoch: 1, trainLoss: NaN, train: { rmse: 0.9, mae: 0.7 }, val: { rmse: 1.0, mae: 0.8 }, test: { rmse: 1.01, mae: 0.81 }, seconds: 0.1 }];
  const runs = [
    runView('20261123-090000-biased-mf-ml-100k-u', 'biased-mf', 'Biased MF (SGD)', undefined, ranking, 'hr@10', rank, 'completed', { spec: { task: 'ranking', split: 'chrono:0.7:0.1:0.2' } }),
    runView('20261123-091000-user-item-mean-dti', 'user-item-mean', '(User mean + item mean) / 2', undefined, interaction, 'auc', inter, 'completed', { spec: { task: 'interaction' } }),
    runView('20261123-092000-global-mean-ml-100k-u', 'global-mean', 'Global mean', undefined, rating, 'rmse', rate, 'completed'),
  ];
  return { dataset: 'ml-100k/u', runs, selected: runs.map((r) => r.id), heatmapRun: undefined, view: 'runs', columns: tableColumns(runs) };
}

/** Kernel snapshots of 12 epochs (as the autoencoders capture them), as the artifact frames the run store serves. */
export function fixtureArtifacts(epochs = 12) {
  // large heatmaps travel 8-bit quantised (q8, base64) as the trainer sends them (src/core/artifacts.ts)
  const tensor = (name, rows, cols, f) => {
    const vals = Array.from({ length: rows * cols }, (_, k) => f(Math.floor(k / cols), k % cols));
    const min = Math.min(...vals);
    const max = Math.max(...vals);
    const q = Buffer.from(vals.map((v) => Math.round(((v - min) / (max - min || 1)) * 255)));
    return { name, rows, cols, fullRows: rows * 4, fullCols: cols * 4, data: [], min, max, q8: q.toString('base64') };
  };
  return Array.from({ length: epochs }, (_, e) => kernelFrames({
    phase: e < 4 ? 'pretrain' : 'finetune', epoch: e < 4 ? e + 1 : e - 3, globalEpoch: e + 1,
    layers: ['layer 1 (943→500)', 'layer 2 (500→500)', 'layer 3 (500→943)'].map((n, li) => ({
      name: n,
      kernel: tensor(n, 64, 48, (i, j) => Math.max(0, 1 - ((i - 32) ** 2 + (j - 24) ** 2) / (300 + 40 * li) - e * 0.02)),
      weight: tensor(n, 64, 48, (i, j) => Math.abs(Math.sin(i / 5) * Math.cos(j / 7)) * Math.max(0, 1 - e * 0.03)),
      sparsity: Math.min(0.9, 0.05 * e + 0.1 * li),
    })),
    globalKernel: { name: 'global kernel', rows: 3, cols: 3, fullRows: 3, fullCols: 3, data: [0.1, 0.3, 0.1, 0.2, 1.2 - e * 0.01, 0.25, 0.05, 0.3, 0.12] },
  })).flat();
}

/** The rating panel plus a custom GLocal-K run that has just started (overrides: no paper numbers). */
export function fixtureWithNewRun(state) {
  const rating = getTask('rating');
  const m = [{ phase: 'pretrain', epoch: 1, epochs: 30, globalEpoch: 1, trainLoss: 90000, train: { rmse: 1.1 }, val: { rmse: 1.12 }, test: { rmse: 1.13, mae: 0.9 }, seconds: 2 }];
  const fresh = runView('20261122-121500-glocal-k-ml-100k-u1', 'glocal-k', 'GLocal-K', 'ml-100k', rating, 'rmse', m, 'running', { spec: { overrides: { lambda2: 30 } }, artifacts: KERNEL_ARTIFACTS, lossDivisor: 76000, createdAt: '2026-11-22T12:15:00.000Z' });
  const runs = [fresh, ...state.runs];
  return { ...state, runs, columns: tableColumns(runs) };
}

/** Only custom runs (no paper preset): the table must have no paper column. */
export function fixtureCustomOnly(state) {
  const runs = state.runs.map((r) => ({ ...r, paper: undefined, summary: r.summary ? { ...r.summary, paper: undefined } : r.summary }));
  return { ...state, runs, columns: tableColumns(runs) };
}

/**
 * A finished LLORMA run (20 anchors) and its pictures as the model builds them: RMSE vs number of anchors with the
 * global SVD's line, the anchors' coverage heatmaps (the real CoverageGrid over made-up kernel rows), one table row
 * per local model. The curves' x axis is the ensemble size.
 */
export function fixtureLlorma() {
  const { CoverageGrid } = require(path.join(root, 'out/src/core/models/factorization/llormaEnsemble.js'));
  const { heatmapTensor } = require(path.join(root, 'out/src/core/artifacts.js'));
  const rating = getTask('rating');
  const q = 20;
  const metrics = Array.from({ length: q }, (_, k) => ({
    phase: 'ensemble', epoch: k + 1, epochs: q, globalEpoch: k + 1, trainLoss: 0.72 + 0.03 * Math.sin(k),
    train: { rmse: 0.80 - 0.02 * Math.log1p(k) / Math.log1p(q), mae: 0.62 }, val: { rmse: 0.915 - 0.012 * Math.log1p(k) / Math.log1p(q) + 0.0002 * Math.max(0, k - 14), mae: 0.72 },
    test: { rmse: 0.93 - 0.011 * Math.log1p(k) / Math.log1p(q), mae: 0.73 }, seconds: 0.4, iterations: 100,
  }));
  const run = runView('20261202-090000-llorma-ml-100k-u1', 'llorma', 'LLORMA (parallel, as PREA)', undefined, rating, 'rmse', metrics, 'completed', {
    spec: { overrides: { rank: 20 } },
    artifacts: [
      { name: 'rmse vs anchors', title: 'RMSE vs number of anchor points', view: 'line' },
      { name: 'anchor coverage', title: 'Anchor kernel weights over users × items', view: 'heatmap' },
      { name: 'local models', title: 'Local models', view: 'table' },
    ],
  });
  run.epochAxis = 'ensemble size';
  const nUsers = 943, nItems = 1682;
  const grid = new CoverageGrid(nUsers, nItems, 96);
  const bump = (n, at, width) => Float64Array.from({ length: n }, (_, x) => Math.max(0, 0.75 * (1 - ((x - at) / width) ** 2)));
  const frames = [];
  for (let t = 1; t <= q; t++) {
    const au = (t * 397) % nUsers, ai = (t * 683) % nItems;
    const local = grid.add(bump(nUsers, au, 500), bump(nItems, ai, 900));
    const m = metrics[t - 1];
    const points = [{ series: 'LLORMA, test', x: t, y: m.test.rmse }, { series: 'LLORMA, validation', x: t, y: m.val.rmse }];
    if (t === 1) points.push({ series: 'global SVD rank 20, test', x: 1, y: 0.947 }, { series: 'global SVD rank 20, test', x: q, y: 0.947 });
    const at = { phase: 'ensemble', epoch: t, globalEpoch: t };
    const full = (x) => ({ ...x, fullRows: nUsers, fullCols: nItems });
    frames.push(
      { name: 'rmse vs anchors', ...at, data: { view: 'line', points, xLabel: 'number of anchor points', yLabel: 'RMSE', integerX: true } },
      { name: 'anchor coverage', ...at, data: { view: 'heatmap', rowLabel: 'users (id order)', colLabel: 'items (id order)', panels: [
        { group: `local model ${t}`, variant: `K_user·K_item, anchor (user ${au + 1}, item ${ai + 1})`, tensor: full(heatmapTensor(`local ${t}`, local, grid.rows, grid.cols)), range: [0, 0.5625] },
        { group: 'ensemble', variant: `Σ over the first ${t} anchors`, tensor: full(heatmapTensor(`ensemble ${t}`, grid.total, grid.rows, grid.cols)) },
      ] } },
      { name: 'local models', ...at, data: { view: 'table', append: true, columns: ['model', 'anchor user', 'anchor item', 'rank', 'passes', 'train MSE', 'seconds', 'ratings with weight > 0', 'share'], rows: [[t, au + 1, ai + 1, 20, 100, 0.7, 0.4, 75000 - 37 * t, `${(98.7 - t * 0.05).toFixed(1)}%`]] } },
    );
  }
  const runs = [run];
  return { state: { dataset: 'ml-100k/u1', runs, selected: [run.id], heatmapRun: run.id, view: 'runs', columns: tableColumns(runs) }, frames };
}

/**
 * A finished SGMC run on drug–target data (interaction task) with its pictures as the model builds them: the energy
 * terms over iterations, the C_new heatmap, the Laplacian spectra, ROC and precision–recall curves.
 */
export function fixtureSgmc() {
  const { heatmapTensor } = require(path.join(root, 'out/src/core/artifacts.js'));
  const { rocPrCurves } = require(path.join(root, 'out/src/core/tasks/metricFunctions.js'));
  const interaction = getTask('interaction');
  const n = 10;
  const metrics = Array.from({ length: n }, (_, k) => ({
    phase: 'train', epoch: k + 1, epochs: n, globalEpoch: k + 1, trainLoss: 600 * Math.exp(-k / 3) + 40, iterations: (k + 1) * 300,
    train: { auc: 0.97, aupr: 0.8, rmse: 0.12 }, val: { auc: 0.85 + 0.003 * k, aupr: 0.5 + 0.01 * k, rmse: 0.2 - 0.003 * k }, test: { auc: 0.93 + 0.003 * k, aupr: 0.6 + 0.005 * k, rmse: 0.19 - 0.003 * k }, seconds: 3,
  }));
  const decls = [
    { name: 'energy terms', title: 'Energy terms', view: 'line' },
    { name: 'roc', title: 'ROC curve (test)', view: 'scatter' },
    { name: 'precision-recall', title: 'Precision–recall curve (test)', view: 'scatter' },
    { name: 'spectral coefficients', title: 'Spectral coefficients C_new', view: 'heatmap' },
    { name: 'spectra', title: 'Laplacian spectra', view: 'line' },
  ];
  const run = runView('20261202-100000-sgmc-gpcr', 'sgmc', 'SGMC (spectral geometric matrix completion)', undefined, interaction, 'auc', metrics, 'completed', { spec: { task: 'interaction', split: 'cvs1:10:0:1' }, artifacts: decls });
  const m = 95, d = 223;
  // deterministic scores: positives mostly above negatives
  const labels = Array.from({ length: 400 }, (_, k) => (k % 9 === 0 ? 1 : 0));
  const scores = labels.map((l, k) => (l ? 0.55 : 0.3) + 0.4 * Math.sin(k * 12.9898) ** 2 * (l ? 0.8 : 1));
  const curves = rocPrCurves(scores, labels);
  const frames = [];
  for (let e = 1; e <= n; e++) {
    const at = { phase: 'train', epoch: e, globalEpoch: e };
    const its = e * 300;
    frames.push({ name: 'energy terms', ...at, data: { view: 'line', xLabel: 'iteration', yLabel: 'energy', points: [
      { series: 'data term', x: its, y: 500 * Math.exp(-e / 3) + 30 },
      { series: 'Dirichlet terms', x: its, y: 40 * (1 - Math.exp(-e / 2)) },
      { series: 'diagonalisation terms', x: its, y: 5 * Math.exp(-e / 4) },
    ] } });
    frames.push({ name: 'roc', ...at, data: { view: 'scatter', points: curves.roc, xLabel: 'false-positive rate', yLabel: 'true-positive rate' } });
    frames.push({ name: 'precision-recall', ...at, data: { view: 'scatter', points: curves.pr, xLabel: 'recall', yLabel: 'precision' } });
    const C = Array.from({ length: m * d }, (_, k) => Math.exp(-(Math.floor(k / d) / 12) - (k % d) / 25) * (1 + 0.2 * Math.cos(k)));
    frames.push({ name: 'spectral coefficients', ...at, data: { view: 'heatmap', rowLabel: 'user-graph frequency', colLabel: 'item-graph frequency', panels: [{ group: 'C_new = P C Qᵀ', variant: `iteration ${its}`, tensor: heatmapTensor('C_new', C, m, d) }] } });
    if (e === 1) frames.push({ name: 'spectra', ...at, data: { view: 'line', xLabel: 'eigenvalue index', yLabel: 'λ (Laplacian)', points: [
      ...Array.from({ length: m }, (_, i) => ({ series: 'user graph', x: i, y: 12 * (i / m) ** 1.5 })),
      ...Array.from({ length: d }, (_, i) => ({ series: 'item graph', x: i, y: 20 * (i / d) ** 1.3 })),
    ] } });
  }
  const runs = [run];
  return { state: { dataset: 'gpcr', runs, selected: [run.id], heatmapRun: run.id, view: 'runs', columns: tableColumns(runs) }, frames };
}

/** A DLR² run: ranking curves, the 2-D user and item embeddings coloured by degree (with the low-degree highlight),
 * the Laplacian spectra and the authors' checkpoint table — built with the model's own frame helpers. */
export function fixtureDlr2() {
  const { RANKING_ARTIFACTS, embeddingFrames, rankingCurvePoints } = require(path.join(root, 'out/src/core/models/ranking/params.js'));
  const ranking = getTask('ranking');
  const n = 8;
  const rec = (k, base) => Object.fromEntries(ranking.metrics.map((m) => [m.key, Math.min(1, base * (1 + 0.04 * k) * (m.key.startsWith('hr') ? 1 : 0.3))]));
  const metrics = Array.from({ length: n }, (_, k) => ({ phase: 'train', epoch: k + 1, epochs: n, globalEpoch: k + 1, trainLoss: 0.5 * Math.exp(-k / 4) + 0.1, iterations: (k + 1) * 100, train: {}, val: rec(k, 0.5), test: rec(k, 0.6), seconds: 20 }));
  const run = runView('20261202-120000-dlr2-ml-100k', 'dlr2', 'DLR² (LEPORID-initialised)', undefined, ranking, 'hr@10', metrics, 'completed', { spec: { task: 'ranking', split: 'chrono:0.7:0.1:0.2' }, artifacts: RANKING_ARTIFACTS });
  // embeddings: points on two noisy arcs, degrees from 20 to 400 (a quarter of the nodes below 40)
  const side = (count, seed) => {
    const dims = 4;
    const vectors = new Float32Array(count * dims);
    const degree = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const a = (i / count) * Math.PI * 2;
      vectors[i * dims + 1] = Math.cos(a) + 0.1 * Math.sin(i * seed);
      vectors[i * dims + 2] = Math.sin(2 * a) + 0.1 * Math.cos(i * seed);
      degree[i] = i % 4 === 0 ? 20 + (i % 17) : 60 + ((i * 37) % 340);
    }
    return { vectors, degree, spectrum: Array.from({ length: dims }, (_, k) => 0.2 + 0.2 * k) };
  };
  const emb = { spec: { method: 'leporid' }, dims: 4, users: side(300, 3), items: side(400, 7) };
  const [u, i, sp] = embeddingFrames(emb, (x) => `user ${x + 1}`, (x) => `item ${x + 1}`);
  const frames = [];
  for (let e = 1; e <= n; e++) {
    const at = { phase: 'train', epoch: e, globalEpoch: e };
    frames.push({ name: 'ranking curves', ...at, data: { view: 'line', xLabel: 'iteration', yLabel: 'metric', yRange: [0, 1], points: rankingCurvePoints(metrics[e - 1], e * 100) } });
    if (e === 1) frames.push({ name: 'user embedding', ...at, data: u }, { name: 'item embedding', ...at, data: i }, { name: 'spectrum', ...at, data: sp });
    frames.push({ name: 'authors checkpoint', ...at, data: { view: 'table', columns: ['evaluation', 'iteration', 'test HR@10', 'test P@1', 'test P@10', 'test R@10'], rows: [[e, e * 100, 0.6, 0.2, 0.18, 0.1]] } });
  }
  const runs = [run];
  return { state: { dataset: 'ml-100k', runs, selected: [run.id], heatmapRun: run.id, view: 'runs', columns: tableColumns(runs) }, frames };
}

/**
 * A sweep's experiments table built by the real sweep engine (out/src/host/sweep.js) over run folders written to a
 * temporary runs folder: biased MF × 3 learning rates × 2 seeds × 2 folds, one run failed, one not yet run.
 */
export function fixtureSweep() {
  const fs = require('node:fs');
  const os = require('node:os');
  const { expandSweep, sweepTable, sweepView } = require(path.join(root, 'out/src/host/sweep.js'));
  const { RunStore } = require(path.join(root, 'out/src/host/runStore.js'));
  const { CLI_DEFAULTS } = require(path.join(root, 'out/src/host/runSpecBuilder.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-sweep-fixture-'));
  try {
    const store = new RunStore(dir);
    const s = expandSweep({ name: 'mf-lr', dataset: 'ratings.tsv', select: { metric: 'rmse', split: 'val' }, seeds: [1, 2], folds: { k: 2, seed: 99 }, runs: [{ model: 'biased-mf', overrides: { epochs: 40 }, grid: { lr: [0.005, 0.01, 0.02] } }] }, '/work/exp/mf.krl.json', CLI_DEFAULTS);
    const val = [0.951, 0.962, 0.948, 0.957, 0.931, 0.936, 0.929, 0.940, 0.944, 0.950, 0.941, 0.947];
    s.runs.forEach((r, i) => {
      if (i === 10) return; // not run yet
      const h = store.create(r.spec, 'ratings', {}, r.tag);
      const status = i === 11 ? 'failed' : 'completed';
      const rec = (v, t) => ({ globalEpoch: 30, train: { rmse: 0.7, mae: 0.55 }, val: { rmse: v, mae: v * 0.79 }, test: { rmse: t, mae: t * 0.79 } });
      h.finish({ runId: h.id, model: r.spec.model, dataset: 'ratings', backend: 'cpu', status, task: 'rating', selectBy: 'rmse', selection: status === 'completed' ? { valSelected: rec(val[i], val[i] + 0.012), last: rec(val[i] + 0.004, val[i] + 0.015), testSelected: rec(val[i] + 0.002, val[i] + 0.008) } : {}, trainRatings: 40000, valRatings: 2000, testRatings: 42000, seconds: 3.2 + i / 10, ...(status === 'failed' ? { error: 'the trainer process ran out of memory' } : {}) });
    });
    const view = sweepView(sweepTable(s, store), true);
    return { dataset: 'sweep:mf-lr', runs: [], selected: [], columns: [], view: 'sweep', sweep: view };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
