/** SGMC-Z (zoom-out filter bank): catalogue entry (training code: ./sgmcZ.train.ts, energy in ./sgmcEnergy.ts). */
import type { ModelInfo } from '../model';
import { PQ_PARAMS, GD_PARAMS, GRAPH_PARAMS, SGMC_PARAMS, SPECTRAL_PAPER, spectralArtifacts, SGMC_SYNTHETIC_NETFLIX } from './params';

export const sgmcZ: ModelInfo = {
  id: 'sgmc-z',
  name: 'SGMC-Z (zoom-out filter bank)',
  family: 'spectral',
  tasks: ['rating', 'interaction'],
  source: { kind: 'paper', note: 'no official code; the sum runs over pairs of equal k (rows and columns refined together) and the full-resolution X predicts' },
  description: 'SGMC whose data term sums the filter bank X_{p,q} on the first p / q graph frequencies (p = 1 + k·pSkip, q = 1 + k·qSkip, equal k); predicts the full-resolution X',
  paper: SPECTRAL_PAPER,
  params: [
    ...PQ_PARAMS, ...GD_PARAMS, ...GRAPH_PARAMS, ...SGMC_PARAMS,
    { key: 'pSkip', type: 'integer', default: 10, min: 1, max: 100000, description: 'Row-frequency step of the zoom-out levels' },
    { key: 'qSkip', type: 'integer', default: 10, min: 1, max: 100000, description: 'Column-frequency step of the zoom-out levels' },
  ],
  presets: { 'synthetic-netflix': { description: 'Synthetic Netflix: SGMC’s preset (with µ_r = µ_c = 1e-3) and a zoom-out bank of 6 levels (pSkip 30, qSkip 40); the bank’s summed data terms need a 6× smaller step (lr 0.0006), 40,000 steps', values: { ...SGMC_SYNTHETIC_NETFLIX, muR: 0.001, muC: 0.001, pSkip: 30, qSkip: 40, lr: 0.0006, iterations: 40000, evalEvery: 2000 }, dataset: 'synthetic-netflix' } },
  paperResults: [],
  artifacts: spectralArtifacts(true),
  lossKind: 'sum',
  usesTf: false,
};
