/** Parameter and picture declarations the spectral models share (their catalogue entries pick from these). */
import type { ArtifactDecl } from '../../../protocol/types';
import type { ModelInfo, ParamSpec } from '../model';

export const SPECTRAL_PAPER: ModelInfo['paper'] = { title: 'Spectral Geometric Matrix Completion', authors: 'Boyarski, Vedula, Bronstein', venue: 'MSML (PMLR 145)', year: 2021 };

/** P (m × pMax), C (pMax × qMax), Q (n × qMax). */
export const PQ_PARAMS: ParamSpec[] = [
  { key: 'pMax', type: 'integer', default: 0, min: 0, max: 100000, description: 'Columns of P (0: the number of users); may exceed the matrix size' },
  { key: 'qMax', type: 'integer', default: 0, min: 0, max: 100000, description: 'Columns of Q (0: the number of items); may exceed the matrix size' },
];

/** Initialisation and the optimiser. */
export const GD_PARAMS: ParamSpec[] = [
  { key: 'alpha', type: 'number', default: 2, min: 0, max: 10, description: 'Initialisation 10^(−α)·I (rectangular)' },
  { key: 'optimizer', type: 'enum', default: 'gd', options: ['gd', 'adam'], description: 'gd: full-batch gradient descent with a fixed learning rate (the paper); adam: Adam with that learning rate' },
  { key: 'lr', type: 'number', default: 0.001, min: 1e-9, max: 10, description: 'Fixed learning rate of full-batch gradient descent' },
  { key: 'iterations', type: 'integer', default: 20000, min: 1, max: 10000000, description: 'At most this many gradient steps (the run also stops when the validation RMSE changes by < 1e-6 between evaluations)' },
  { key: 'precision', type: 'enum', default: 'float32', options: ['float32', 'float64'], description: 'Arithmetic of the dense products: float32 on sgemm (as the paper’s TensorFlow code; twice as fast) or float64 on dgemm' },
  { key: 'evalEvery', type: 'integer', default: 100, min: 1, max: 100000, description: 'Gradient steps between evaluations (one point of the curves)' },
];

export const GRAPH_PARAMS: ParamSpec[] = [
  { key: 'graph', type: 'enum', default: 'dataset', options: ['dataset', 'knn:5', 'knn:10', 'knn:20'], description: 'dataset: the graphs in the .mat file; knn:<k>: k-nearest-neighbour graphs of the training rating rows/columns (cosine)' },
  { key: 'userGraph', type: 'boolean', default: true, description: 'Use the user graph (false: identity basis over users, as the paper’s item-graph-only rows)' },
];

/** SGMC's regularisers and which factors train. */
export const SGMC_PARAMS: ParamSpec[] = [
  { key: 'muR', type: 'number', default: 0.001, min: 0, max: 1000, description: 'µ_r: Dirichlet energy of C_new over the user graph' },
  { key: 'muC', type: 'number', default: 0.001, min: 0, max: 1000, description: 'µ_c: Dirichlet energy of C_new over the item graph' },
  { key: 'rhoR', type: 'number', default: 0.0001, min: 0, max: 1000, description: 'ρ_r: off-diagonal energy of Pᵀ Λ_r P' },
  { key: 'rhoC', type: 'number', default: 0.0001, min: 0, max: 1000, description: 'ρ_c: off-diagonal energy of Qᵀ Λ_c Q' },
  { key: 'train', type: 'enum', default: 'PCQ', options: ['PCQ', 'C', 'PC', 'CQ'], description: 'Which of P, C, Q are trained' },
];

/** The pictures; `spectra` only for the models on graph eigenbases. */
export function spectralArtifacts(spectra: boolean): ArtifactDecl[] {
  return [
    { name: 'energy terms', title: 'Energy terms', view: 'line', description: 'the data term and (SGMC) the Dirichlet and diagonalisation terms over iterations' },
    { name: 'roc', title: 'ROC curve (test)', view: 'scatter', description: 'interaction data: true- vs false-positive rate of the test predictions, latest evaluation' },
    { name: 'precision-recall', title: 'Precision–recall curve (test)', view: 'scatter', description: 'interaction data: precision vs recall of the test predictions, latest evaluation' },
    { name: 'spectral coefficients', title: 'Spectral coefficients C_new', view: 'heatmap', description: 'P C Qᵀ in the graphs’ eigenbases, low frequencies top-left (block means when downsampled)' },
    ...(spectra ? [{ name: 'spectra', title: 'Laplacian spectra', view: 'line' as const, description: 'the eigenvalues of the user and item graphs, ascending' }] : []),
  ];
}
