/** Biased MF's catalogue entry (training code: ./biasedMf.train.ts). */
import type { ModelInfo } from '../model';

export const biasedMf: ModelInfo = {
  id: 'biased-mf',
  name: 'Biased MF (SGD)',
  family: 'factorization',
  // ranking: the predicted ratings of unseen items order the list (a weak but honest top-N baseline)
  tasks: ['rating', 'ranking'],
  source: { kind: 'baseline' },
  description: 'Matrix factorisation with user/item biases, trained by SGD — a fast reference model',
  paper: { title: 'Matrix factorization techniques for recommender systems', authors: 'Koren, Bell, Volinsky', venue: 'IEEE Computer', year: 2009 },
  params: [
    { key: 'factors', type: 'integer', default: 40, min: 1, max: 1000, description: 'Latent dimension' },
    { key: 'epochs', type: 'integer', default: 40, min: 1, max: 10000, description: 'Passes over the training ratings' },
    { key: 'lr', type: 'number', default: 0.007, min: 1e-6, max: 1, description: 'SGD learning rate' },
    { key: 'reg', type: 'number', default: 0.05, min: 0, max: 10, description: 'L2 regularisation λ' },
    { key: 'initStd', type: 'number', default: 0.1, min: 0, max: 10, description: 'Std of the normal initialisation of the factors' },
  ],
  presets: {
    'ml-100k': { description: 'MovieLens-100K', values: { factors: 40, epochs: 40, lr: 0.007, reg: 0.05 }, dataset: 'ml-100k' },
  },
  paperResults: [],
  usesTf: false,
};
