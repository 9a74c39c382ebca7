/** SGMC (spectral geometric matrix completion): catalogue entry (training code: ./sgmc.train.ts, energy in ./sgmcEnergy.ts). */
import type { ModelInfo } from '../model';
import { PQ_PARAMS, GD_PARAMS, GRAPH_PARAMS, SGMC_PARAMS, SPECTRAL_PAPER, spectralArtifacts, SGMC_SYNTHETIC_NETFLIX, SGMC_DTI, SGMC_ML100K, SGMC_PAPER_RESULTS } from './params';

export const sgmc: ModelInfo = {
  id: 'sgmc',
  name: 'SGMC (spectral geometric matrix completion)',
  family: 'spectral',
  tasks: ['rating', 'interaction'],
  source: { kind: 'paper', note: 'no official code (MODELS.md: energy, initialisation; the paper’s Table 5 settings are not in this repository yet)' },
  description: 'X = Φ P C Qᵀ Ψᵀ with Dirichlet and diagonalisation terms on the graph eigenbases, full-batch gradient descent',
  paper: SPECTRAL_PAPER,
  params: [...PQ_PARAMS, ...GD_PARAMS, ...GRAPH_PARAMS, ...SGMC_PARAMS],
  presets: { 'synthetic-netflix': { description: 'Synthetic Netflix: gradient descent, α = 1.5, lr 0.004, p_max = q_max = 20, µ_r = µ_c = 3e-4, 400,000 steps — ours, chosen on validation (the paper’s Table 5 values are not in this repository)', values: { ...SGMC_SYNTHETIC_NETFLIX }, dataset: 'synthetic-netflix' },
    'ml-100k': { description: 'MovieLens-100K with Monti’s graphs (split_1.mat): gradient descent lr 3e-4, α = 1, p_max = q_max = 10, ratings minus ridge user/item biases, µ_r = 0.003, µ_c = 0.03, 2,400 steps — ours, chosen on validation (the paper’s p_max = 4000 costs ~1 s a step on 2 cores)', values: { ...SGMC_ML100K }, dataset: 'ml-100k' },
    dti: { description: 'Drug–target interaction (Yamanishi nr / gpcr …): Adam lr 0.001, 3,000 steps, µ_r = µ_c = 0.01, normalised Laplacians of the 5-nearest-neighbour similarity graphs — ours, µ chosen on validation (gpcr CVS1)', values: { ...SGMC_DTI } },
  },
  paperResults: SGMC_PAPER_RESULTS,
  artifacts: spectralArtifacts(true),
  lossKind: 'sum',
  usesTf: false,
};
