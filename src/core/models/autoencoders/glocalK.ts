/** GLocal-K's catalogue entry (training code: ./glocalK.train.ts). See the training file for the model. */
import type { ModelInfo } from '../model';
import { KERNEL_ARTIFACTS } from '../../artifacts';

export const glocalK: ModelInfo = {
  id: 'glocal-k',
  name: 'GLocal-K',
  family: 'autoencoders',
  tasks: ['rating'],
  source: { kind: 'reference-code', note: 'usydnlp/Glocal_K notebook' },
  artifacts: KERNEL_ARTIFACTS,
  description: 'Global and local kernels: local-kernel autoencoder + global convolution kernel fine-tuning',
  paper: { title: 'GLocal-K: Global and Local Kernels for Recommender Systems', authors: 'Han, Long, Poon, Chung, Wei', venue: 'CIKM', year: 2021 },
  params: [
    { key: 'hidden', type: 'integer', default: 500, min: 1, max: 10000, description: 'Hidden units of each of the two hidden layers' },
    { key: 'kernelDim', type: 'integer', default: 5, min: 1, max: 100, description: 'Dimension of the kernel embeddings u, v' },
    { key: 'lambda2', type: 'number', default: 20, min: 0, max: 1e6, description: 'λ2: L2 penalty on the raw weights W' },
    { key: 'lambdaS', type: 'number', default: 0.006, min: 0, max: 1e6, description: 'λs: penalty on the kernel values K (sparsity)' },
    { key: 'preEpochs', type: 'integer', default: 30, min: 0, max: 10000, description: 'Pre-training epochs (each a fresh L-BFGS run)' },
    { key: 'preMaxiter', type: 'integer', default: 5, min: 1, max: 10000, description: 'L-BFGS iterations per pre-training epoch' },
    { key: 'fineEpochs', type: 'integer', default: 60, min: 0, max: 10000, description: 'Fine-tuning epochs with the global kernel' },
    { key: 'fineMaxiter', type: 'integer', default: 5, min: 1, max: 10000, description: 'L-BFGS iterations per fine-tuning epoch' },
    { key: 'dotScale', type: 'number', default: 1, min: 0, max: 1e6, description: 'Scale of the aggregated global kernel' },
    { key: 'kernelSize', type: 'enum', default: '3', options: ['3', '5', '7'], description: 'Global kernel size k (k×k)' },
    { key: 'convLayers', type: 'integer', default: 1, min: 1, max: 3, description: 'Global convolution layers (each with its own G)' },
    { key: 'convImpl', type: 'enum', default: 'conv2d', options: ['conv2d', 'shift'], description: 'conv2d, or k² shifted copies (for backends without the conv gradient)' },
    { key: 'trainFraction', type: 'number', default: 1, min: 0.01, max: 1, description: 'Fraction of the training ratings used (paper Fig. 2)' },
    { key: 'history', type: 'integer', default: 10, min: 1, max: 100, description: 'L-BFGS history size' },
  ],
  presets: {
    'ml-100k': { description: 'MovieLens-100K (reference schedule)', dataset: 'ml-100k', values: { lambda2: 20, lambdaS: 0.006, preMaxiter: 5, fineMaxiter: 5, preEpochs: 30, fineEpochs: 60, dotScale: 1 } },
    'ml-1m': { description: 'MovieLens-1M (reference schedule)', dataset: 'ml-1m', values: { lambda2: 70, lambdaS: 0.018, preMaxiter: 50, fineMaxiter: 10, preEpochs: 20, fineEpochs: 30, dotScale: 0.5 } },
    demo: { description: 'Short schedule for the generated demo data (npm run demo)', values: { preEpochs: 20, fineEpochs: 15 } },
    douban: { description: 'Douban (reference schedule)', dataset: 'douban', values: { lambda2: 10, lambdaS: 0.022, preMaxiter: 5, fineMaxiter: 5, preEpochs: 20, fineEpochs: 60, dotScale: 2 } },
  },
  paperResults: [
    { dataset: 'ml-100k', metrics: { rmse: 0.89 }, note: 'paper, test-selected; code README 0.8889' },
    { dataset: 'ml-1m', metrics: { rmse: 0.822 }, note: 'paper, test-selected; code README 0.8227' },
    { dataset: 'douban', metrics: { rmse: 0.721 }, note: 'paper, test-selected; code README 0.7208' },
  ],
  usesTf: true,
  lossKind: 'sum',
};
