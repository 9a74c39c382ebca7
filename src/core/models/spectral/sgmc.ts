/** SGMC (spectral geometric matrix completion): catalogue entry (training code: ./sgmc.train.ts, energy in ./sgmcEnergy.ts). */
import type { ModelInfo } from '../model';
import { PQ_PARAMS, GD_PARAMS, GRAPH_PARAMS, SGMC_PARAMS, SPECTRAL_PAPER, spectralArtifacts } from './params';

export const sgmc: ModelInfo = {
  id: 'sgmc',
  name: 'SGMC (spectral geometric matrix completion)',
  family: 'spectral',
  tasks: ['rating', 'interaction'],
  source: { kind: 'paper', note: 'no official code (MODELS.md: energy, initialisation; the paper’s Table 5 settings are not in this repository yet)' },
  description: 'X = Φ P C Qᵀ Ψᵀ with Dirichlet and diagonalisation terms on the graph eigenbases, full-batch gradient descent',
  paper: SPECTRAL_PAPER,
  params: [...PQ_PARAMS, ...GD_PARAMS, ...GRAPH_PARAMS, ...SGMC_PARAMS],
  presets: {},
  paperResults: [],
  artifacts: spectralArtifacts(true),
  lossKind: 'sum',
  usesTf: false,
};
