/** BPR's catalogue entry (training code: ./bpr.train.ts). */
import type { ModelInfo } from '../model';
import { EMBEDDING_PARAMS } from './params';

export const bpr: ModelInfo = {
  id: 'bpr',
  name: 'BPR-MF',
  family: 'ranking',
  tasks: ['ranking'],
  source: { kind: 'baseline', note: 'the BPR rows of the LEPORID paper’s Table 4 (random and LEPORID initialisation)' },
  description: 'Matrix factorisation trained on the BPR pairwise loss by SGD; random or LEPORID / LE / SVD initial factors',
  paper: { title: 'BPR: Bayesian personalized ranking from implicit feedback', authors: 'Rendle, Freudenthaler, Gantner, Schmidt-Thieme', venue: 'UAI', year: 2009 },
  params: [
    ...EMBEDDING_PARAMS.map((p) => (p.key === 'init' ? { ...p, default: 'random' } : p)),
    { key: 'initScale', type: 'number', default: 0.1, min: 0, max: 10, description: 'Scale of the initial factors: the z-scored embeddings (or standard normals for random) times this, so every initialisation starts at the same size' },
    { key: 'epochs', type: 'integer', default: 60, min: 1, max: 10000, description: 'SGD passes (each draws as many (user, positive, negative) triples as there are fitted interactions)' },
    { key: 'evalEvery', type: 'integer', default: 5, min: 1, max: 10000, description: 'Epochs between evaluations' },
    { key: 'lr', type: 'number', default: 0.05, min: 1e-6, max: 10, description: 'SGD learning rate' },
    { key: 'reg', type: 'number', default: 0.001, min: 0, max: 10, description: 'L2 regularisation λ on the factors and item biases' },
  ],
  presets: {},
  paperResults: [],
  usesTf: false,
};
