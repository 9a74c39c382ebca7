/**
 * kernelNet with a dot-product kernel (Muller, Martel & Indiveri, ICML 2018) — implemented from the paper;
 * there is no released reference code for this variant. Weights V_ij = α_i · tanh(u_i · v_j) with u, v ∈ R^d
 * (d = 50), an item autoencoder n_users → 500 (→ 500) → n_users, L2 λ2·½ΣV² on the effective weights, L-BFGS.
 */
import { num, type TrainFn } from '../model';
import { DotKernelLayer } from './kernelLayers';
import { trainStackedAutoencoder } from './aeTraining';

export const train: TrainFn = async (ctx) => {
  const hp = ctx.hp;
  await trainStackedAutoencoder(ctx, 'kernelNet', true, (tf, name, nIn, nOut, act) => new DotKernelLayer(tf, ctx.rng, name, nIn, nOut, act, num(hp, 'lambda2'), num(hp, 'kernelDim')));
};
