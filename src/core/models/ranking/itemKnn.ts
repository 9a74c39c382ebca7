/** ItemKNN's catalogue entry (training code: ./itemKnn.train.ts). */
import type { ModelInfo } from '../model';

export const itemKnn: ModelInfo = {
  id: 'item-knn',
  name: 'ItemKNN (cosine)',
  family: 'ranking',
  tasks: ['ranking'],
  source: { kind: 'baseline', note: 'the ItemKNN row of the LEPORID paper’s Table 4' },
  description: 'Baseline: scores an item by the summed cosine similarity of the user’s items whose k nearest neighbours include it',
  epochAxis: 'neighbourhood size k',
  paper: { title: 'Item-based top-N recommendation algorithms', authors: 'Deshpande, Karypis', venue: 'ACM TOIS', year: 2004 },
  params: [
    { key: 'k', type: 'integer', default: 0, min: 0, max: 100000, description: 'Neighbours kept per item; 0 tries 10, 20, 50, 100, 200, 400 (one evaluation each) and the validation metric picks' },
    { key: 'history', type: 'enum', default: 'fit+val', options: ['fit+val', 'fit'], description: 'The user history that scores test items: fitted ∪ validation interactions (what the user has done before the test period) or the fitted part only. Validation is always scored from the fitted part' },
  ],
  presets: {},
  paperResults: [{ dataset: 'ml-1m', metrics: { 'hr@10': 0.5235 }, note: 'LEPORID paper Table 4 (ML-1M, ≥ 20 interactions, chronological 70/10/20)' }],
  usesTf: false,
};
