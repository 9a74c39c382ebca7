/**
 * I-AutoRec (Sedhain, Menon, Sanner & Xie, WWW 2015): dense item autoencoder n_users → 500 (sigmoid) → n_users
 * (identity), ½Σ(M ⊙ (R − AE(R)))² + λ·½Σ‖W‖², trained with L-BFGS — the baseline row of every kernel paper.
 */
import { ModelDefinition, num } from './model';
import { DenseLayer } from './kernelLayers';
import { lbfgsScheduleParams, trainStackedAutoencoder } from './aeTraining';

export const iAutoRec: ModelDefinition = {
  id: 'i-autorec',
  name: 'I-AutoRec',
  description: 'Dense item-based autoencoder with L2 weight decay, L-BFGS (baseline)',
  paper: { title: 'AutoRec: Autoencoders Meet Collaborative Filtering', authors: 'Sedhain, Menon, Sanner, Xie', venue: 'WWW', year: 2015 },
  params: [
    { key: 'hidden', type: 'integer', default: 500, min: 1, max: 10000, description: 'Hidden units' },
    { key: 'lambda', type: 'number', default: 200, min: 0, max: 1e6, description: 'λ: L2 penalty on the weights (200: chosen on the ML-100K u1 validation split)' },
    ...lbfgsScheduleParams(20, 50),
  ],
  presets: {
    'ml-100k': { description: 'MovieLens-100K', dataset: 'ml-100k', values: { lambda: 200, epochs: 20, maxiter: 50 } },
    'ml-1m': { description: 'MovieLens-1M', dataset: 'ml-1m', values: { lambda: 200, epochs: 20, maxiter: 50 } },
  },
  paperResults: [{ dataset: 'ml-1m', rmse: 0.831, note: 'AutoRec paper, 90/10' }],
  usesTf: true,
  async train(ctx) {
    const hp = ctx.hp;
    // one hidden layer ('layers' is not a parameter here: trainStackedAutoencoder defaults it to 1)
    await trainStackedAutoencoder(ctx, 'I-AutoRec', false, (tf, name, nIn, nOut, act) => new DenseLayer(tf, ctx.rng, name, nIn, nOut, act, num(hp, 'lambda')));
  },
};
