/**
 * I-AutoRec (Sedhain, Menon, Sanner & Xie, WWW 2015): dense item autoencoder n_users → 500 (sigmoid) → n_users
 * (identity), ½Σ(M ⊙ (R − AE(R)))² + λ·½Σ‖W‖², trained with L-BFGS — the baseline row of every kernel paper.
 */
import { num, type TrainFn } from '../model';
import { DenseLayer } from './kernelLayers';
import { trainStackedAutoencoder } from './aeTraining';

export const train: TrainFn = async (ctx) => {
  const hp = ctx.hp;
  // one hidden layer ('layers' is not a parameter here: trainStackedAutoencoder defaults it to 1)
  await trainStackedAutoencoder(ctx, 'I-AutoRec', false, (tf, name, nIn, nOut, act) => new DenseLayer(tf, ctx.rng, name, nIn, nOut, act, num(hp, 'lambda')));
};
