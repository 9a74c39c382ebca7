/** I-AutoRec's catalogue entry (training code: ./iAutoRec.train.ts). */
import type { ModelInfo } from '../model';
import { lbfgsScheduleParams } from './params';

export const iAutoRec: ModelInfo = {
  id: 'i-autorec',
  name: 'I-AutoRec',
  family: 'autoencoders',
  tasks: ['rating'],
  source: { kind: 'baseline', note: 'dense AutoRec as in every kernel paper’s tables' },
  description: 'Dense item-based autoencoder with L2 weight decay, L-BFGS (baseline)',
  paper: { title: 'AutoRec: Autoencoders Meet Collaborative Filtering', authors: 'Sedhain, Menon, Sanner, Xie', venue: 'WWW', year: 2015 },
  params: [
    { key: 'hidden', type: 'integer', default: 500, min: 1, max: 10000, description: 'Hidden units' },
    { key: 'lambda', type: 'number', default: 200, min: 0, max: 1e6, description: 'λ: L2 penalty on the weights (200: chosen on the ML-100K u1 validation split)' },
    ...lbfgsScheduleParams(20, 50),
  ],
  presets: {
    'ml-100k': { description: 'MovieLens-100K', dataset: 'ml-100k', values: { lambda: 200, epochs: 20, maxiter: 50 } },
    'ml-1m': { description: 'MovieLens-1M', dataset: 'ml-1m', values: { lambda: 200, epochs: 20, maxiter: 50 } },
  },
  paperResults: [{ dataset: 'ml-1m', metrics: { rmse: 0.831 }, note: 'AutoRec paper, 90/10' }],
  usesTf: true,
  lossKind: 'sum',
};
