/** DMF (deep matrix factorisation): catalogue entry (training code: ./dmf.train.ts, energy in ./sgmcEnergy.ts). */
import type { ModelInfo } from '../model';

export const dmf: ModelInfo = {
  id: 'dmf',
  name: 'DMF (deep matrix factorisation)',
  family: 'spectral',
  tasks: ['rating', 'interaction'],
  source: { kind: 'paper', note: 'no official code; the SGMC paper’s DMF baseline' },
  description: 'X = P C Qᵀ trained by full-batch gradient descent from a small identity: the implicit low-rank bias of depth (Arora et al.); the SGMC paper’s baseline',
  paper: { title: 'Spectral Geometric Matrix Completion', authors: 'Boyarski, Vedula, Bronstein', venue: 'MSML (PMLR 145)', year: 2021 },
  params: [
    { key: 'pMax', type: 'integer', default: 0, min: 0, max: 100000, description: 'Columns of P (0: the number of users); may exceed the matrix size' },
    { key: 'qMax', type: 'integer', default: 0, min: 0, max: 100000, description: 'Columns of Q (0: the number of items); may exceed the matrix size' },
    { key: 'alpha', type: 'number', default: 2, min: 0, max: 10, description: 'Initialisation 10^(−α)·I (rectangular)' },
    { key: 'optimizer', type: 'enum', default: 'gd', options: ['gd', 'adam'], description: 'gd: full-batch gradient descent with a fixed learning rate (the paper); adam: Adam with that learning rate' },
    { key: 'lr', type: 'number', default: 0.001, min: 1e-9, max: 10, description: 'Fixed learning rate of full-batch gradient descent' },
    { key: 'iterations', type: 'integer', default: 20000, min: 1, max: 10000000, description: 'At most this many gradient steps (the run also stops when the validation RMSE changes by < 1e-6 between evaluations)' },
    { key: 'evalEvery', type: 'integer', default: 100, min: 1, max: 100000, description: 'Gradient steps between evaluations (one point of the curves)' },
  ],
  presets: {},
  paperResults: [],
  artifacts: [
    { name: 'energy terms', title: 'Energy terms', view: 'line', description: 'the data term and (SGMC) the Dirichlet and diagonalisation terms over iterations' },
    { name: 'roc', title: 'ROC curve (test)', view: 'scatter', description: 'interaction data: true- vs false-positive rate of the test predictions, latest evaluation' },
    { name: 'precision-recall', title: 'Precision–recall curve (test)', view: 'scatter', description: 'interaction data: precision vs recall of the test predictions, latest evaluation' },
    { name: 'spectral coefficients', title: 'Spectral coefficients C_new', view: 'heatmap', description: 'P C Qᵀ in the graphs’ eigenbases, low frequencies top-left (block means when downsampled)' },
  ],
  lossKind: 'sum',
  usesTf: false,
};
