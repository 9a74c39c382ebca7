/** The (user mean + item mean)/2 baseline's catalogue entry (training code: ./userItemMean.train.ts). */
import type { ModelInfo } from '../model';

export const userItemMean: ModelInfo = {
  id: 'user-item-mean',
  name: '(User mean + item mean) / 2',
  family: 'baselines',
  // interaction: on a binary matrix this is (row mean + column mean)/2, a degree baseline
  tasks: ['rating', 'interaction'],
  source: { kind: 'baseline', note: 'MODELS.md sanity baseline' },
  description: 'Baseline: average of the user’s and the item’s mean rating',
  paper: { title: 'Sanity baseline', authors: '—', venue: '—', year: 0 },
  params: [],
  presets: {},
  paperResults: [
    { dataset: 'ml-100k', metrics: { rmse: 0.9985 }, note: 'MODELS.md sanity baseline, u1 split' },
    { dataset: 'douban', metrics: { rmse: 0.771 }, note: 'MODELS.md sanity baseline' },
    { dataset: 'flixster', metrics: { rmse: 0.936 }, note: 'MODELS.md sanity baseline' },
  ],
  usesTf: false,
};
