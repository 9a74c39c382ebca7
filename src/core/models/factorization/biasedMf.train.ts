import { num, type TrainFn } from '../model';

/**
 * Biased matrix factorisation r̂ = μ + b_u + b_i + p_u·q_i trained by SGD (Koren, Bell & Volinsky 2009),
 * in plain TypeScript (no tfjs). A fast, well-understood reference model for the demo and for tests of the
 * run pipeline. Loss per epoch: mean over ratings of ½(r − r̂)² + ½λ(b_u² + b_i² + ‖p_u‖² + ‖q_i‖²).
 */
export const train: TrainFn = async (ctx) => {
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
};
