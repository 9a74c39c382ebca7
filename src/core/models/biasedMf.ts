import { ModelDefinition, num } from './model';

/**
 * Biased matrix factorisation r̂ = μ + b_u + b_i + p_u·q_i trained by SGD (Koren, Bell & Volinsky 2009),
 * in plain TypeScript (no tfjs). A fast, well-understood reference model for the demo and for tests of the
 * run pipeline. Loss per epoch: mean over ratings of ½(r − r̂)² + ½λ(b_u² + b_i² + ‖p_u‖² + ‖q_i‖²).
 */
export const biasedMf: ModelDefinition = {
  id: 'biased-mf',
  name: 'Biased MF (SGD)',
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
  async train(ctx) {
    const { fit, nUsers, nItems } = ctx.data;
    const k = num(ctx.hp, 'factors');
    const epochs = num(ctx.hp, 'epochs');
    const lr = num(ctx.hp, 'lr');
    const reg = num(ctx.hp, 'reg');
    const std = num(ctx.hp, 'initStd');
    ctx.setTotalEpochs(epochs);
    const rng = ctx.rng;
    const P = new Float64Array(nUsers * k).map(() => rng.normal() * std);
    const Q = new Float64Array(nItems * k).map(() => rng.normal() * std);
    const bu = new Float64Array(nUsers);
    const bi = new Float64Array(nItems);
    let mu = 0;
    for (let t = 0; t < fit.length; t++) mu += fit.values[t];
    mu /= Math.max(1, fit.length);
    const order = rng.permutation(fit.length);
    const predictOne = (u: number, i: number) => {
      let s = mu + bu[u] + bi[i];
      const pu = u * k;
      const qi = i * k;
      for (let f = 0; f < k; f++) s += P[pu + f] * Q[qi + f];
      return s;
    };
    const predict = (us: Int32Array, is: Int32Array) => {
      const out = new Float32Array(us.length);
      for (let t = 0; t < us.length; t++) out[t] = predictOne(us[t], is[t]);
      return out;
    };
    for (let ep = 1; ep <= epochs; ep++) {
      rng.shuffle(order);
      let loss = 0;
      for (let n = 0; n < order.length; n++) {
        if ((n & 0xffff) === 0) ctx.checkCancelled();
        const t = order[n];
        const u = fit.users[t];
        const i = fit.items[t];
        const e = fit.values[t] - predictOne(u, i);
        loss += 0.5 * e * e;
        bu[u] += lr * (e - reg * bu[u]);
        bi[i] += lr * (e - reg * bi[i]);
        const pu = u * k;
        const qi = i * k;
        let norm = bu[u] * bu[u] + bi[i] * bi[i];
        for (let f = 0; f < k; f++) {
          const p = P[pu + f];
          const q = Q[qi + f];
          P[pu + f] += lr * (e * q - reg * p);
          Q[qi + f] += lr * (e * p - reg * q);
          norm += p * p + q * q;
        }
        loss += 0.5 * reg * norm;
      }
      await ctx.epochEnd({ phase: 'train', epoch: ep, epochs, trainLoss: loss / Math.max(1, order.length), predict });
    }
  },
};
