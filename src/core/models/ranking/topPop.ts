/** The most-popular baseline's catalogue entry (training code: ./topPop.train.ts). */
import type { ModelInfo } from '../model';

export const topPop: ModelInfo = {
  id: 'top-pop',
  name: 'TopPop (most popular)',
  family: 'ranking',
  tasks: ['ranking'],
  source: { kind: 'baseline', note: 'the TopPop row of the LEPORID paper’s Table 4' },
  description: 'Baseline: recommends each user the most popular items they have not interacted with',
  paper: { title: 'Performance of recommender algorithms on top-N recommendation tasks', authors: 'Cremonesi, Koren, Turrin', venue: 'RecSys', year: 2010 },
  params: [],
  presets: {},
  paperResults: [{ dataset: 'ml-1m', metrics: { 'hr@10': 0.4377 }, note: 'LEPORID paper Table 4 (ML-1M, ≥ 20 interactions, chronological 70/10/20)' }],
  usesTf: false,
};
