/** UserKNN's catalogue entry (training code: ./userKnn.train.ts). */
import type { ModelInfo } from '../model';

export const userKnn: ModelInfo = {
  id: 'user-knn',
  name: 'UserKNN (cosine)',
  family: 'ranking',
  tasks: ['ranking'],
  source: { kind: 'baseline', note: 'the UserKNN row of the LEPORID paper’s Table 4' },
  description: 'Baseline: scores an item by the summed cosine similarity of the user’s k nearest users who interacted with it',
  epochAxis: 'neighbourhood size k',
  paper: { title: 'GroupLens: an open architecture for collaborative filtering of netnews', authors: 'Resnick, Iacovou, Suchak, Bergstrom, Riedl', venue: 'CSCW', year: 1994 },
  params: [
    { key: 'k', type: 'integer', default: 0, min: 0, max: 100000, description: 'Neighbours per user; 0 tries 10, 20, 50, 100, 200, 400 (one evaluation each) and the validation metric picks' },
    { key: 'history', type: 'enum', default: 'fit+val', options: ['fit+val', 'fit'], description: 'The neighbours’ interactions that score test items: fitted ∪ validation, or the fitted part only. Validation is always scored from the fitted part' },
  ],
  presets: {},
  paperResults: [{ dataset: 'ml-1m', metrics: { 'hr@10': 0.5419 }, note: 'LEPORID paper Table 4 (ML-1M, ≥ 20 interactions, chronological 70/10/20)' }],
  usesTf: false,
};
