// A fixed panel snapshot for the webview tests: two runs with curves (pre-training + fine-tuning), one with
// kernel snapshots, and dataset statistics. Deterministic (no randomness).
export function fixtureState() {
  const mkMetrics = (n, scale) => Array.from({ length: n }, (_, k) => ({
    phase: k < n / 3 ? 'pretrain' : 'finetune', epoch: k < n / 3 ? k + 1 : k + 1 - Math.floor(n / 3), epochs: k < n / 3 ? Math.ceil(n / 3) : n - Math.ceil(n / 3),
    globalEpoch: k + 1, trainLoss: 5000 * scale * Math.exp(-k / 10) + 800, trainRmse: 0.9 * Math.exp(-k / 30) + 0.2,
    valRmse: 0.95 - 0.05 * Math.log1p(k) / Math.log1p(n) + 0.0004 * Math.max(0, k - n * 0.6), testRmse: 0.96 - 0.06 * Math.log1p(k) / Math.log1p(n) + 0.0003 * Math.max(0, k - n * 0.7),
    testMae: 0.75 - 0.04 * k / n, seconds: 0.5, iterations: 5, evaluations: 7,
  }));
  const summary = (id, model, m) => {
    let bv = Infinity, a = NaN, c = Infinity;
    for (const e of m) { if (e.valRmse < bv) { bv = e.valRmse; a = e.testRmse; } c = Math.min(c, e.testRmse); }
    return { runId: id, model, dataset: 'ml-100k/u1', backend: 'cpu', status: 'completed', rmse: { valSelected: a, last: m.at(-1).testRmse, testSelected: c }, mae: { valSelected: 0.71, last: 0.72, testSelected: 0.7 }, epochs: { valSelected: 40, testSelected: 60, last: m.length }, paper: { dataset: 'ml-100k', rmse: 0.89 }, trainRatings: 76000, valRatings: 4000, testRatings: 20000, seconds: 180 };
  };
  const spec = (model) => ({ model, overrides: {}, dataset: { train: '/data/ml-100k/u1.base' }, split: 'given', valFraction: 0.05, seed: 1234, backend: 'cpu' });
  const m1 = mkMetrics(90, 1);
  const m2 = mkMetrics(60, 1.3);
  const backend = { name: 'cpu', device: 'tfjs CPU + OpenBLAS (2 threads)', blas: true, gpu: false, versions: {}, skipped: [] };
  const runs = [
    { id: '20261122-101500-glocal-k-ml-100k-u1', model: 'glocal-k', modelName: 'GLocal-K', preset: 'ml-100k', spec: spec('glocal-k'), status: 'completed', summary: summary('20261122-101500-glocal-k-ml-100k-u1', 'glocal-k', m1), metrics: m1, backend, paper: { dataset: 'ml-100k', rmse: 0.89 }, createdAt: '2026-11-22T10:15:00.000Z' },
    { id: '20261122-111500-sparse-fc-ml-100k-u1', model: 'sparse-fc', modelName: 'Sparse FC', preset: 'ml-100k', spec: spec('sparse-fc'), status: 'running', summary: undefined, metrics: m2, backend, createdAt: '2026-11-22T11:15:00.000Z' },
  ];
  const stats = (users, items, ratings) => ({
    users, items, ratings, density: ratings / (users * items), mean: 3.53,
    histogram: [1, 2, 3, 4, 5].map((v, i) => ({ value: v, count: [4719, 9178, 21963, 27396, 16744][i] })),
    perUser: { min: 4, q1: 26, median: 50, q3: 122, max: 685, mean: 84.8 }, perItem: { min: 1, q1: 6, median: 25, q3: 64, max: 495, mean: 48.5 },
    perUserHistogram: [{ lo: 2, hi: 4, count: 3 }, { lo: 5, hi: 9, count: 20 }, { lo: 10, hi: 19, count: 70 }, { lo: 20, hi: 49, count: 350 }, { lo: 50, hi: 99, count: 240 }, { lo: 100, hi: 199, count: 160 }, { lo: 200, hi: 499, count: 90 }, { lo: 500, hi: 999, count: 10 }],
    emptyUsers: 0, emptyItems: 32,
  });
  const datasetStats = { name: 'ml-100k/u1', format: 'movielens', files: [{ role: 'train', path: '/data/ml-100k/u1.base', sha256: 'ce253ec86c448b44fb3ba9a30d12dcfc2e9210cbde71efada3730c22e9ac212a' }, { role: 'test', path: '/data/ml-100k/u1.test', sha256: '18c6014a4b2c7324f250a63f8904a7b16b2b19f911129e346141507b0cbac950' }], all: stats(943, 1682, 100000), train: stats(943, 1682, 80000), test: stats(459, 1410, 20000), scale: { min: 1, max: 5, step: 1 }, warnings: [], hasGraphs: { users: false, items: false } };
  return { dataset: 'ml-100k/u1', runs, selected: runs.map((r) => r.id), heatmapRun: runs[0].id, datasetStats, view: 'runs' };
}

export function fixtureSnapshots() {
  // large heatmaps travel 8-bit quantised (q8, base64) as the trainer sends them (src/core/models/snapshots.ts)
  const tensor = (name, rows, cols, f) => {
    const vals = Array.from({ length: rows * cols }, (_, k) => f(Math.floor(k / cols), k % cols));
    const min = Math.min(...vals);
    const max = Math.max(...vals);
    const q = Buffer.from(vals.map((v) => Math.round(((v - min) / (max - min || 1)) * 255)));
    return { name, rows, cols, fullRows: rows * 4, fullCols: cols * 4, data: [], min, max, q8: q.toString('base64') };
  };
  return Array.from({ length: 12 }, (_, e) => ({
    phase: e < 4 ? 'pretrain' : 'finetune', epoch: e < 4 ? e + 1 : e - 3, globalEpoch: e + 1,
    layers: ['layer 1 (943→500)', 'layer 2 (500→500)', 'layer 3 (500→943)'].map((n, li) => ({
      name: n,
      kernel: tensor(n, 64, 48, (i, j) => Math.max(0, 1 - ((i - 32) ** 2 + (j - 24) ** 2) / (300 + 40 * li) - e * 0.02)),
      weight: tensor(n, 64, 48, (i, j) => Math.abs(Math.sin(i / 5) * Math.cos(j / 7)) * Math.max(0, 1 - e * 0.03)),
      sparsity: Math.min(0.9, 0.05 * e + 0.1 * li),
    })),
    globalKernel: { name: 'global kernel', rows: 3, cols: 3, fullRows: 3, fullCols: 3, data: [0.1, 0.3, 0.1, 0.2, 1.2 - e * 0.01, 0.25, 0.05, 0.3, 0.12] },
  }));
}
