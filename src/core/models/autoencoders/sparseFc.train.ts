/**
 * Sparse FC (Muller, Martel & Indiveri, "Kernelized synaptic weight matrices", ICML 2018; reference code
 * lorenzMuller/kernelNet_MovieLens): the local-kernel autoencoder of GLocal-K without the global kernel —
 * W_eff = W ⊙ max(0, 1 − ‖u_i − v_j‖²), n_users → 500 → 500 → n_users, λ2 = 60, λs = 0.013, 20 outer loops
 * of L-BFGS with at most 50 iterations. The reference reports the last epoch.
 */
import { num, type TrainFn } from '../model';
import { LocalKernelLayer } from './kernelLayers';
import { trainStackedAutoencoder } from './aeTraining';

export const train: TrainFn = async (ctx) => {
  const hp = ctx.hp;
  await trainStackedAutoencoder(ctx, 'Sparse FC', true, (tf, name, nIn, nOut, act) => new LocalKernelLayer(tf, ctx.rng, name, nIn, nOut, act, num(hp, 'lambda2'), num(hp, 'lambdaS'), num(hp, 'kernelDim')));
};
