/**
 * I-AutoRec (Sedhain, Menon, Sanner & Xie, WWW 2015): dense item autoencoder n_users → 500 (sigmoid) → n_users
 * (identity), ½Σ(M ⊙ (R − AE(R)))² + λ·½Σ‖W‖², trained with L-BFGS — the baseline row of every kernel paper.
 */
import { ModelDefinition, num } from './model';
import { Autoencoder, DenseLayer } from './kernelLayers';
import { trainItemAutoencoder } from './aeTraining';

export const iAutoRec: ModelDefinition = {
  id: 'i-autorec',
  name: 'I-AutoRec',
  description: 'Dense item-based autoencoder with L2 weight decay, L-BFGS (baseline)',
  paper: { title: 'AutoRec: Autoencoders Meet Collaborative Filtering', authors: 'Sedhain, Menon, Sanner, Xie', venue: 'WWW', year: 2015 },
  params: [
    { key: 'hidden', type: 'integer', default: 500, min: 1, max: 10000, description: 'Hidden units' },
    { key: 'lambda', type: 'number', default: 200, min: 0, max: 1e6, description: 'λ: L2 penalty on the weights (200: chosen on the ML-100K u1 validation split)' },
    { key: 'epochs', type: 'integer', default: 20, min: 1, max: 10000, description: 'Outer loops (each a fresh L-BFGS run)' },
    { key: 'maxiter', type: 'integer', default: 50, min: 1, max: 10000, description: 'L-BFGS iterations per outer loop' },
    { key: 'trainFraction', type: 'number', default: 1, min: 0.01, max: 1, description: 'Fraction of the training ratings used' },
    { key: 'history', type: 'integer', default: 10, min: 1, max: 100, description: 'L-BFGS history size' },
  ],
  presets: {
    'ml-100k': { description: 'MovieLens-100K', dataset: 'ml-100k', values: { lambda: 200, epochs: 20, maxiter: 50 } },
    'ml-1m': { description: 'MovieLens-1M', dataset: 'ml-1m', values: { lambda: 200, epochs: 20, maxiter: 50 } },
  },
  paperResults: [{ dataset: 'ml-1m', rmse: 0.831, note: 'AutoRec paper, 90/10' }],
  usesTf: true,
  async train(ctx) {
    const hp = ctx.hp;
    await trainItemAutoencoder(ctx, (tf) => {
      const { nUsers } = ctx.data;
      const h = num(hp, 'hidden');
      return new Autoencoder(tf, [new DenseLayer(tf, ctx.rng, 'layer 1', nUsers, h, 'sigmoid', num(hp, 'lambda')), new DenseLayer(tf, ctx.rng, 'layer 2', h, nUsers, 'identity', num(hp, 'lambda'))]);
    }, { epochs: num(hp, 'epochs'), maxiter: num(hp, 'maxiter'), history: num(hp, 'history'), trainFraction: num(hp, 'trainFraction'), snapshots: false, label: 'I-AutoRec' });
  },
};
