/**
 * How much memory a model needs for a dataset, estimated before anything dense is allocated (the run refuses with a
 * clear message when it is above the limit: setting kernelRecLab.maxMemoryGiB / CLI --max-memory, default 3/4 of
 * the machine's memory). The accounting: the data (coordinate arrays), the dense matrices (the autoencoders' items ×
 * users input, mask and the full-matrix intermediates of a loss and gradient evaluation), the parameters with their
 * gradients, the optimiser's history (L-BFGS: 2m float64 vectors), the layers' activations, and the runtime itself.
 */
import * as os from 'os';
import type { Hyper } from '../../protocol/types';
import type { ModelInfo } from './model';

export interface DataShape {
  users: number;
  items: number;
  ratings: number;
}

const RUNTIME = 300 * 2 ** 20; // Node, tfjs and the worker pool, before any data

/** The default limit: three quarters of the machine's memory. */
export function defaultMemoryLimit(): number {
  return Math.floor(os.totalmem() * 0.75);
}

export function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${Math.max(1, Math.round(n / 2 ** 20))} MiB`;
}

/** Bytes a run of `model` with hyper-parameters `hp` needs on data of this shape, and what dominates it. */
export function estimateMemory(model: Pick<ModelInfo, 'id' | 'family'>, hp: Hyper, shape: DataShape): { bytes: number; what: string } {
  const { users: U, items: I, ratings: n } = shape;
  const data = n * 20 * 3; // user, item, value, timestamp per rating, for the parts and their copies
  const num = (k: string, d: number) => (typeof hp[k] === 'number' ? (hp[k] as number) : d);
  if (model.family === 'autoencoders') {
    const H = num('hidden', 500);
    const L = model.id === 'glocal-k' ? 2 : model.id === 'i-autorec' ? 1 : num('layers', 1);
    const d = model.id === 'i-autorec' ? 0 : num('kernelDim', 5);
    const dims = [U, ...Array(L).fill(H), U];
    let params = 0;
    let weights = 0;
    let activations = 0;
    for (let l = 0; l + 1 < dims.length; l++) {
      params += dims[l] * dims[l + 1] + dims[l + 1] + (dims[l] + dims[l + 1]) * d;
      weights += dims[l] * dims[l + 1] * 4 * 5; // W, W ⊙ K, their gradients, a temporary
      activations += I * dims[l + 1] * 4 * 4; // z, y and their gradients
    }
    const k = Number(hp.kernelSize ?? 3);
    if (model.id === 'glocal-k') params += I * k * k * num('convLayers', 1);
    const dense = I * U * 4 * (2 + 6 + (model.id === 'glocal-k' ? 4 : 0)); // R, M; prediction, error, gradients; conv input and output
    const history = params * 8 * (2 * num('history', 10) + 6); // L-BFGS s, y pairs and its working vectors (float64)
    return { bytes: RUNTIME + data + dense + weights + activations + history, what: `a dense ${I.toLocaleString('en')} items × ${U.toLocaleString('en')} users matrix and ${params.toLocaleString('en')} parameters` };
  }
  if (model.id === 'llorma') {
    // the ratings in CSR order (shared with the workers), per pair the ensemble's weighted sums (fit, validation,
    // test), the kept local models (float32 factors and float64 kernel rows), and each worker's factors in flight
    const r = num('rank', 20);
    const q = num('anchors', 50);
    const threads = Math.max(1, os.cpus().length);
    const kept = q * ((U + I) * r * 4 + (U + I) * 8 * 2);
    const inFlight = (2 * threads + 2) * (U + I) * Math.max(r, num('distanceRank', 10)) * 8;
    return { bytes: RUNTIME + data + n * (8 + 16) + kept + inFlight, what: `${n.toLocaleString('en')} ratings and ${q} local models of ${(U + I).toLocaleString('en')} factor rows` };
  }
  if (model.family === 'spectral') {
    // float64: the eigenbases (m², n²), about eight dense m×n matrices (targets, mask, C_new, X, residual, gradients),
    // P, C, Q with their gradients (and Adam's two moments)
    const p = num('pMax', 0) || U;
    const q = num('qMax', 0) || I;
    const params = model.id === 'fm' ? U * I : U * p + p * q + I * q;
    const bytes = 8 * (U * U + I * I + 8 * U * I + params * 4);
    return { bytes: RUNTIME + data + bytes, what: `dense ${U.toLocaleString('en')} × ${U.toLocaleString('en')} and ${I.toLocaleString('en')} × ${I.toLocaleString('en')} eigenbases, ${U.toLocaleString('en')} × ${I.toLocaleString('en')} matrices and ${params.toLocaleString('en')} parameters` };
  }
  if (model.family === 'factorization') {
    const k = num('factors', num('rank', 40));
    return { bytes: RUNTIME + data + (U + I) * (k + 1) * 8 * 2 + I * 256 * 4, what: `${n.toLocaleString('en')} ratings and ${(U + I).toLocaleString('en')} factor rows` };
  }
  return { bytes: RUNTIME + data + (U + I) * 64 + I * 256 * 4, what: `${n.toLocaleString('en')} ratings` };
}
