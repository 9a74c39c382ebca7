/** Regularised SVD's catalogue entry (training code: ./regularizedSvd.train.ts). */
import type { ModelInfo } from '../model';

export const regularizedSvd: ModelInfo = {
  id: 'regularized-svd',
  name: 'Regularised SVD (SGD, as PREA)',
  family: 'factorization',
  tasks: ['rating'],
  source: { kind: 'reference-code', note: 'PREA toolkit RegularizedSVD (the LLORMA authors’ code): the LLORMA paper’s “Global” column and the distances of its anchors' },
  description: 'Low-rank factorisation without biases, SGD over users and their items in id order, stop when the train MAE settles',
  paper: { title: 'Local Low-Rank Matrix Approximation', authors: 'Lee, Kim, Lebanon, Singer', venue: 'ICML', year: 2013, note: 'the “Global” baseline; settings of the PREA toolkit' },
  params: [
    { key: 'rank', type: 'integer', default: 10, min: 1, max: 1000, description: 'Rank of the factorisation (PREA: 10 for LLORMA’s distances)' },
    { key: 'lr', type: 'number', default: 0.005, min: 1e-6, max: 1, description: 'SGD learning rate' },
    { key: 'reg', type: 'number', default: 0.1, min: 0, max: 10, description: 'L2 regularisation, applied at every visited rating' },
    { key: 'epochs', type: 'integer', default: 200, min: 1, max: 10000, description: 'At most this many passes over the training ratings' },
    { key: 'tolerance', type: 'number', default: 1e-4, min: 0, max: 1, description: 'Stop when the training MAE changes by at most this much between passes' },
  ],
  presets: {
    prea: { description: 'PREA’s defaults (rank 10, lr 0.005, reg 0.1, ≤ 200 passes, |ΔMAE| ≤ 1e-4)', values: { rank: 10, lr: 0.005, reg: 0.1, epochs: 200, tolerance: 1e-4 } },
  },
  paperResults: [],
  usesTf: false,
};
