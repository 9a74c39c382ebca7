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
  { key: 'center', type: 'enum', default: 'ratings', options: ['ratings', 'always', 'never', 'biases'], description: 'Fit the values minus their training mean and add it back to the predictions (a port choice, the paper is silent; from a 10^(−α) start no factor then has to grow to the rating scale first). ratings: for ratings, not for 0/1 interaction data (where it lowers AUC/AUPR); biases: minus the mean and ridge user and item biases (biasReg), so the Dirichlet terms do not penalise the rating biases, which are rarely smooth on the graphs' },
  { key: 'biasReg', type: 'number', default: 10, min: 0, max: 100000, description: 'center=biases: the ridge λ of the user and item biases' },
  { key: 'optimizer', type: 'enum', default: 'gd', options: ['gd', 'adam'], description: 'gd: full-batch gradient descent with a fixed learning rate (the paper); adam: Adam with that learning rate' },
  { key: 'lr', type: 'number', default: 0.001, min: 1e-9, max: 10, description: 'Fixed learning rate of full-batch gradient descent' },
  { key: 'iterations', type: 'integer', default: 20000, min: 1, max: 10000000, description: 'At most this many gradient steps (see stopTol)' },
  { key: 'precision', type: 'enum', default: 'float32', options: ['float32', 'float64'], description: 'Arithmetic of the dense products: float32 on sgemm (as the paper’s TensorFlow code; twice as fast) or float64 on dgemm' },
  { key: 'stopTol', type: 'number', default: 1e-6, min: 0, max: 1, description: 'Stop when the validation RMSE changes by less than this between evaluations, once it has fallen 1% below its first value (the paper: 1e-6; 0: run all iterations)' },
  { key: 'evalEvery', type: 'integer', default: 100, min: 1, max: 100000, description: 'Gradient steps between evaluations (one point of the curves)' },
];

export const GRAPH_PARAMS: ParamSpec[] = [
  { key: 'graph', type: 'enum', default: 'dataset', options: ['dataset', 'knn:5', 'knn:10', 'knn:20'], description: 'dataset: the graphs in the .mat file; knn:<k>: k-nearest-neighbour graphs of the training rating rows/columns (cosine)' },
  { key: 'userGraph', type: 'boolean', default: true, description: 'Use the user graph (false: identity basis over users, as the paper’s item-graph-only rows)' },
  { key: 'laplacian', type: 'enum', default: 'auto', options: ['auto', 'combinatorial', 'normalized'], description: 'The Laplacian whose eigenvectors are the bases: combinatorial L = D − W (the paper), or normalised I − D^{-½} W D^{-½} (the GRMF / MGRNNM drug–target code). auto: normalised for graphs made from similarity matrices (drug–target data), combinatorial otherwise' },
  { key: 'similarityKnn', type: 'integer', default: 5, min: 1, max: 100000, description: 'Drug–target (Yamanishi) data: each target and drug keeps its k most similar others when the similarity matrices become graphs (5: as the GRMF / MGRNNM code the paper compares with); other datasets ignore it' },
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

/** The papers' numbers (MODELS.md "SGMC / DMF"); shown beside runs of a preset for that dataset. */
export const SGMC_PAPER_RESULTS = [
  { dataset: 'synthetic-netflix', metrics: { rmse: 0.0021 }, note: 'Table 5 settings (not in this repository)' },
  { dataset: 'ml-100k', metrics: { rmse: 0.912 }, note: 'Monti split 1 with its graphs, p_max = q_max = 4000' },
  { dataset: 'douban', metrics: { rmse: 0.731 }, note: 'Monti split with its user graph' },
  { dataset: 'ml-1m', metrics: { rmse: 0.839 }, note: '' },
];
export const DMF_PAPER_RESULTS = [
  { dataset: 'synthetic-netflix', metrics: { rmse: 0.0468 }, note: 'the SGMC paper’s DMF baseline' },
  { dataset: 'ml-100k', metrics: { rmse: 0.918 }, note: 'Monti split 1' },
  { dataset: 'douban', metrics: { rmse: 0.732 }, note: '' },
  { dataset: 'ml-1m', metrics: { rmse: 0.843 }, note: '' },
];

/**
 * Synthetic Netflix (Monti's 150 × 200 matrix with its graphs): our settings, chosen on the validation RMSE (a) with
 * the CLI (BENCHMARKS.md "Spectral models"; the paper's Table 5 values are not in this repository). Plain gradient
 * descent as the paper; all iterations run ((a) picks the validation-best evaluation). µ_r = µ_c = 3e-4 with 400,000 steps:
 * validation RMSE 0.00142 against 0.00172 for 1e-3 with 200,000 (its best by then); 3e-3 and 1e-2 fit worse, 1e-4 had
 * not converged by 200,000 steps; lr 0.006 diverges.
 */
export const SGMC_SYNTHETIC_NETFLIX = { optimizer: 'gd', alpha: 1.5, lr: 0.004, pMax: 20, qMax: 20, muR: 0.0003, muC: 0.0003, iterations: 400000, evalEvery: 4000, stopTol: 0 };
/**
 * Drug–target interaction (Yamanishi data): Adam, 3,000 steps, µ_r = µ_c = 0.01 on the normalised Laplacians of the
 * 5-nearest-neighbour similarity graphs. The normalised Laplacian follows the GRMF / MGRNNM code the paper compares
 * with; µ = 0.01 had the best validation AUC among {0.001, 0.01, 0.1, 1} on gpcr CVS1 folds 0–2 (a tie with 0.1).
 */
export const SGMC_DTI = { optimizer: 'adam', lr: 0.001, iterations: 3000, evalEvery: 300, muR: 0.01, muC: 0.01, laplacian: 'normalized' };
/** The MovieLens-100K optimiser and centring that SGMC_ML100K and DMF_ML100K share. */
const ML100K_GD = { optimizer: 'gd', alpha: 1, lr: 0.0003, center: 'biases', biasReg: 10, iterations: 2400, evalEvery: 100, stopTol: 0 };
/**
 * MovieLens-100K with Monti's graphs (split_1.mat): our settings, chosen on the validation RMSE (5% of the training
 * part, seed 1234; BENCHMARKS.md "Hyper-parameter selection: sgmc", a 3×3 µ grid at p_max = q_max = 50, then a 3×3
 * p_max × q_max grid over 10, 20, 50 — flat within 0.002, 10 × 10 lowest; figures in "Spectral models"):
 * p_max = q_max = 10 (the paper's 4000 costs ~1 s a step on 2 cores, and the full-size factors overfit sooner),
 * gradient descent lr 3e-4 from α = 1, the ratings minus ridge user and item biases (the rating biases are
 * not smooth on these graphs, so the Dirichlet terms would penalise them), µ_r = 0.003, µ_c = 0.03. Validation
 * early stopping picks the iteration: the fit overfits within ~2,000 steps.
 */
export const SGMC_ML100K = { ...ML100K_GD, pMax: 10, qMax: 10, muR: 0.003, muC: 0.03 };
/** DMF on MovieLens-100K: the same optimiser and centring as SGMC_ML100K, p_max = q_max = 50 (biases: validation 0.930 against 0.936 with the mean alone). */
export const DMF_ML100K = { ...ML100K_GD, pMax: 50, qMax: 50 };
export const DMF_SYNTHETIC_NETFLIX = { optimizer: 'gd', alpha: 1, lr: 0.003, pMax: 0, qMax: 0, iterations: 80000, evalEvery: 4000, stopTol: 0 };
