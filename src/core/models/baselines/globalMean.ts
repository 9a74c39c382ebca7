/** The global-mean baseline's catalogue entry (training code: ./globalMean.train.ts). */
import type { ModelInfo } from '../model';

export const globalMean: ModelInfo = {
  id: 'global-mean',
  name: 'Global mean',
  family: 'baselines',
  tasks: ['rating', 'interaction'],
  source: { kind: 'baseline' },
  description: 'Baseline: predicts the mean training rating everywhere',
  paper: { title: 'Sanity baseline', authors: '—', venue: '—', year: 0 },
  params: [],
  presets: {},
  paperResults: [],
  usesTf: false,
};
