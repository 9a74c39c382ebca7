/** DMF (deep matrix factorisation): catalogue entry (training code: ./dmf.train.ts, energy in ./sgmcEnergy.ts). */
import type { ModelInfo } from '../model';
import { PQ_PARAMS, GD_PARAMS, SPECTRAL_PAPER, spectralArtifacts } from './params';

export const dmf: ModelInfo = {
  id: 'dmf',
  name: 'DMF (deep matrix factorisation)',
  family: 'spectral',
  tasks: ['rating', 'interaction'],
  source: { kind: 'paper', note: 'no official code; the SGMC paper’s DMF baseline' },
  description: 'X = P C Qᵀ trained by full-batch gradient descent from a small identity: the implicit low-rank bias of depth (Arora et al.); the SGMC paper’s baseline',
  paper: SPECTRAL_PAPER,
  params: [...PQ_PARAMS, ...GD_PARAMS],
  presets: {},
  paperResults: [],
  artifacts: spectralArtifacts(false),
  lossKind: 'sum',
  usesTf: false,
};
