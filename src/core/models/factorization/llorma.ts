/** LLORMA's catalogue entry (training code: ./llorma.train.ts). */
import type { ModelInfo } from '../model';

export const llorma: ModelInfo = {
  id: 'llorma',
  name: 'LLORMA (parallel, as PREA)',
  family: 'factorization',
  tasks: ['rating'],
  epochAxis: 'ensemble size',
  source: {
    kind: 'reference-code',
    note: 'the first author’s PREA toolkit (parallel LLORMA): anchor distances from a rank-10 regularised SVD, Epanechnikov kernel on the angle scaled to [0, 1] (kernel=paper: the paper’s kernel on the angle in radians); cos clipped to [−1, 1]; users/items without training ratings get kernel weight 0 (mid-scale prediction)',
  },
  description: 'Local low-rank matrix approximation: q anchored low-rank models, each fitted with kernel-weighted SGD, averaged by their kernels',
  paper: { title: 'Local Low-Rank Matrix Approximation', authors: 'Lee, Kim, Lebanon, Singer', venue: 'ICML', year: 2013 },
  params: [
    { key: 'rank', type: 'integer', default: 20, min: 1, max: 200, description: 'Rank of each local model (paper: 1…20)' },
    { key: 'anchors', type: 'integer', default: 50, min: 1, max: 1000, description: 'Number of anchor points q (local models); the ensemble size axis runs 1…q' },
    { key: 'kernel', type: 'enum', default: 'prea', options: ['prea', 'paper'], description: 'prea: Epanechnikov on d = (2/π)·arccos(cos); paper: (1 − d²)·1[d < h] on d = arccos(cos)' },
    { key: 'userBandwidth', type: 'number', default: 0.8, min: 0.01, max: 10, description: 'Kernel bandwidth h over users' },
    { key: 'itemBandwidth', type: 'number', default: 0.8, min: 0.01, max: 10, description: 'Kernel bandwidth h over items' },
    { key: 'lr', type: 'number', default: 0.01, min: 1e-6, max: 1, description: 'Local models’ SGD learning rate' },
    { key: 'reg', type: 'number', default: 0.001, min: 0, max: 10, description: 'Local models’ L2 regularisation, applied at every visited rating' },
    { key: 'rounds', type: 'integer', default: 100, min: 1, max: 10000, description: 'At most this many SGD passes per local model' },
    { key: 'tolerance', type: 'number', default: 1e-4, min: 0, max: 1, description: 'A local model stops when its (unweighted) training MSE changes by at most this much' },
    { key: 'distanceRank', type: 'integer', default: 10, min: 1, max: 200, description: 'Rank of the regularised SVD whose factors give the anchor distances' },
    { key: 'distanceLr', type: 'number', default: 0.005, min: 1e-6, max: 1, description: 'That SVD’s learning rate' },
    { key: 'distanceReg', type: 'number', default: 0.1, min: 0, max: 10, description: 'That SVD’s regularisation' },
    { key: 'distanceEpochs', type: 'integer', default: 200, min: 1, max: 10000, description: 'That SVD’s maximum passes (it stops when its training MAE changes by ≤ 1e-4)' },
    { key: 'globalBaseline', type: 'boolean', default: true, description: 'Also fit a global regularised SVD of the local rank (the paper’s “Global” column; the horizontal line of the RMSE-vs-anchors plot)' },
  ],
  presets: {
    'ml-1m': { description: 'The paper’s ML-1M settings (Table 1): 50 anchors, rank 20, h = 0.8', values: { rank: 20, anchors: 50 }, dataset: 'ml-1m' },
    'ml-10m': { description: 'The paper’s ML-10M settings: 50 anchors, rank 20, h = 0.8', values: { rank: 20, anchors: 50 }, dataset: 'ml-10m' },
    'ml-100k': { description: 'MovieLens-100K: rank 15, reg 0.006, ≤ 130 passes — chosen on the validation split only (npm run bench -- tune; BENCHMARKS.md)', values: { rank: 15, anchors: 50, reg: 0.006, rounds: 130 }, dataset: 'ml-100k' },
    fast: { description: 'A quick look: 8 anchors of rank 5, at most 30 passes each', values: { rank: 5, anchors: 8, rounds: 30, globalBaseline: false } },
  },
  paperResults: [
    { dataset: 'ml-1m', metrics: { rmse: 0.8333 }, note: 'Table 1: rank 20, 50 anchors (random 90/10 split)' },
    { dataset: 'ml-10m', metrics: { rmse: 0.7815 }, note: 'Table 1: rank 20, 50 anchors' },
  ],
  artifacts: [
    { name: 'rmse vs anchors', title: 'RMSE vs number of anchor points', view: 'line', description: 'the ensemble of the first t local models on validation and test (the paper’s Figure 3), with the global regularised SVD of the same rank' },
    { name: 'anchor coverage', title: 'Anchor kernel weights over users × items', view: 'heatmap', description: 'K_user·K_item of the newest local model and the sum over the ensemble (block means; users and items in id order)' },
    { name: 'local models', title: 'Local models', view: 'table', description: 'per local model: anchor, rank, SGD passes, training MSE, seconds, ratings with non-zero weight' },
  ],
  usesTf: false,
};
