/** kernelNet's catalogue entry (training code: ./kernelNet.train.ts). */
import type { ModelInfo } from '../model';
import { KERNEL_ARTIFACTS } from '../../artifacts';
import { lbfgsScheduleParams } from './params';

export const kernelNet: ModelInfo = {
  id: 'kernelnet',
  name: 'kernelNet (tanh dot-product kernel)',
  family: 'autoencoders',
  tasks: ['rating'],
  source: { kind: 'paper', note: 'implemented from the paper, no reference code' },
  artifacts: KERNEL_ARTIFACTS.filter((a) => a.name !== 'global kernel'),
  description: 'Autoencoder with weights α_i·tanh(u_i·v_j) — from the paper, no reference code',
  paper: { title: 'Kernelized Synaptic Weight Matrices', authors: 'Muller, Martel, Indiveri', venue: 'ICML', year: 2018, note: 'implemented from the paper, no reference code' },
  params: [
    { key: 'hidden', type: 'integer', default: 500, min: 1, max: 10000, description: 'Hidden units of each hidden layer' },
    { key: 'layers', type: 'integer', default: 1, min: 1, max: 2, description: 'Hidden layers (the paper reports 1 and 2)' },
    { key: 'kernelDim', type: 'integer', default: 50, min: 1, max: 500, description: 'Dimension d of u, v' },
    { key: 'lambda2', type: 'number', default: 100, min: 0, max: 1e6, description: 'λ2: L2 penalty on the effective weights (100: chosen on the ML-100K u1 validation split)' },
    ...lbfgsScheduleParams(20, 50),
  ],
  presets: {
    'ml-100k': { description: 'MovieLens-100K, 1 hidden layer', dataset: 'ml-100k', values: { layers: 1, lambda2: 100, epochs: 20, maxiter: 50 } },
    'ml-100k-2': { description: 'MovieLens-100K, 2 hidden layers', dataset: 'ml-100k', values: { layers: 2, lambda2: 100, epochs: 20, maxiter: 50 } },
  },
  paperResults: [
    { dataset: 'ml-100k', metrics: { rmse: 0.901 }, note: 'paper, 1 layer (0.890 with 2)' },
    { dataset: 'ml-1m', metrics: { rmse: 0.838 }, note: 'paper, 1 layer (0.836 with 2)' },
  ],
  usesTf: true,
  lossKind: 'sum',
};
