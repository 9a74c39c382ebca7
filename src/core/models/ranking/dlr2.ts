/** DLR²'s catalogue entry (training code: ./dlr2.train.ts, networks: ./dlr2Net.ts). */
import type { ModelInfo } from '../model';
import { EMBEDDING_PARAMS, RANKING_ARTIFACTS } from './params';

export const dlr2: ModelInfo = {
  id: 'dlr2',
  name: 'DLR² (LEPORID-initialised)',
  family: 'ranking',
  tasks: ['ranking'],
  source: { kind: 'reference-code', note: 'zhangynnancy/Leporid_DLR2 (codes/DLR2, codes/le_leporid.py); differences from the paper are options' },
  description: 'Dual-loss residual recommender: a residual conv net over the user and their last 5 items, a discriminative net S (square-square loss) that ranks and a generative net G (hinge loss); LEPORID embeddings',
  epochAxis: 'evaluation (every evalEvery iterations)',
  paper: { title: 'Initialization matters: regularizing manifold-informed initialization for neural recommendation systems', authors: 'Zhang, Li, Liu, Wang, Miao', venue: 'KDD', year: 2021 },
  params: [
    ...EMBEDDING_PARAMS,
    { key: 'embeddings', type: 'enum', default: 'auto', options: ['auto', 'frozen', 'trained'], description: 'Whether the user and item embeddings train: auto = as the authors’ code (pre-computed embeddings frozen, random ones trained), or always frozen / always trained (the paper)' },
    { key: 'iterations', type: 'integer', default: 5000, min: 1, max: 1000000, description: 'Training iterations (batches)' },
    { key: 'evalEvery', type: 'integer', default: 100, min: 1, max: 1000000, description: 'Iterations between validation (and test) evaluations' },
    { key: 'lr', type: 'number', default: 0.001, min: 1e-7, max: 1, description: 'Adam learning rate (all three networks)' },
    { key: 'schedule', type: 'enum', default: 'cosine', options: ['cosine', 'constant'], description: 'Learning-rate schedule: cosine annealing to 0 over the iterations (the code’s CosineAnnealingLR), or constant' },
    { key: 'batch', type: 'integer', default: 32, min: 1, max: 4096, description: 'Positive windows per batch (each with one sampled negative: 2 × batch examples)' },
    { key: 'state', type: 'integer', default: 5, min: 1, max: 50, description: 'Items in a user’s state (the last interactions before the target)' },
    { key: 'margin', type: 'number', default: 0.5, min: 0, max: 10, description: 'Margin m of both losses (0.5 in the code, 0 in the paper)' },
    { key: 'negPool', type: 'integer', default: 100, min: 1, max: 100000, description: 'Negative items pre-sampled per user (uniformly from the items the user has not interacted with in the fitted part); each window draws its negative from the pool' },
    { key: 'storeSize', type: 'integer', default: 2000, min: 1, max: 10000000, description: 'Windows shuffled into the replay memory at a time (the code’s mul_store_size)' },
  ],
  presets: {
    paper: { description: 'The paper’s text: margins 0, embeddings trained', values: { margin: 0, embeddings: 'trained' } },
  },
  paperResults: [
    { dataset: 'ml-1m', metrics: { 'hr@10': 0.7026 }, note: 'LEPORID paper Table 4: DLR² + LEPORID on ML-1M (≥ 20 interactions, chronological 70/10/20), checkpoint by test P@1' },
  ],
  artifacts: RANKING_ARTIFACTS,
  usesTf: true,
};
