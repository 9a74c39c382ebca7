/** DMF (deep matrix factorisation): catalogue entry (training code: ./dmf.train.ts, energy in ./sgmcEnergy.ts). */
import type { ModelInfo } from '../model';
import { PQ_PARAMS, GD_PARAMS, SPECTRAL_PAPER, spectralArtifacts, DMF_SYNTHETIC_NETFLIX, DMF_ML100K, DMF_PAPER_RESULTS } from './params';

export const dmf: ModelInfo = {
  id: 'dmf',
  name: 'DMF (deep matrix factorisation)',
  family: 'spectral',
  tasks: ['rating', 'interaction'],
  source: { kind: 'paper', note: 'no official code; the SGMC paper’s DMF baseline' },
  description: 'X = P C Qᵀ trained by full-batch gradient descent from a small identity: the implicit low-rank bias of depth (Arora et al.); the SGMC paper’s baseline',
  paper: SPECTRAL_PAPER,
  params: [...PQ_PARAMS, ...GD_PARAMS],
  presets: { 'synthetic-netflix': { description: 'Synthetic Netflix: gradient descent, α = 1, lr 0.003, full-size P and Q, 80,000 steps — ours, chosen on validation', values: { ...DMF_SYNTHETIC_NETFLIX }, dataset: 'synthetic-netflix' },
    'ml-100k': { description: 'MovieLens-100K (Monti’s split_1.mat or u1): gradient descent lr 3e-4, α = 1, p_max = q_max = 50, ratings minus ridge user/item biases, 2,400 steps — ours, chosen on validation', values: { ...DMF_ML100K }, dataset: 'ml-100k' },
  },
  paperResults: DMF_PAPER_RESULTS,
  artifacts: spectralArtifacts(false),
  lossKind: 'sum',
  usesTf: false,
};
