/** FM (functional maps): catalogue entry (training code: ./fm.train.ts, energy in ./sgmcEnergy.ts). */
import type { ModelInfo } from '../model';
import { GD_PARAMS, GRAPH_PARAMS, SPECTRAL_PAPER, spectralArtifacts } from './params';

export const fm: ModelInfo = {
  id: 'fm',
  name: 'FM (functional maps)',
  family: 'spectral',
  tasks: ['rating', 'interaction'],
  source: { kind: 'paper', note: 'no official code; the SGMC paper’s functional-maps model' },
  description: 'X = Φ C Ψᵀ on the graph eigenbases, only C trained',
  paper: SPECTRAL_PAPER,
  params: [...GD_PARAMS, ...GRAPH_PARAMS],
  presets: {},
  paperResults: [],
  artifacts: spectralArtifacts(true),
  lossKind: 'sum',
  usesTf: false,
};
