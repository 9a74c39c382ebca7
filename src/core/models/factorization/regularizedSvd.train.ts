/**
 * Regularised SVD as the PREA toolkit trains it (RegularizedSVD, the LLORMA authors' code): R ≈ U·Vᵀ with no biases,
 * U, V initialised Uniform[0, 1)/rank; each pass visits the users in id order and each user's items in id order and,
 * for every rating, updates both factor rows from their values before the update:
 *   e = r − u·v;  u_s ← u_s + lr·(e·v_s − reg·u_s);  v_s ← v_s + lr·(e·u_s − reg·v_s)
 * The pass's MAE is the mean |e| seen during it (before each update); training stops when it changes by at most
 * `tolerance` between passes, or after `epochs` passes. Predictions are clipped to the scale at evaluation only.
 */
import { num, type TrainFn } from '../model';

export const train: TrainFn = async (ctx) => {
  const { fit, nUsers, nItems } = ctx.data;
  const k = num(ctx.hp, 'rank');
  const lr = num(ctx.hp, 'lr');
  const reg = num(ctx.hp, 'reg');
  const epochs = num(ctx.hp, 'epochs');
  const tol = num(ctx.hp, 'tolerance');
  ctx.setTotalEpochs(epochs);
  const rng = ctx.rng;
  const U = Float64Array.from({ length: nUsers * k }, () => rng.next() / k);
  const V = Float64Array.from({ length: nItems * k }, () => rng.next() / k);
  // users in id order, each user's items in id order (the index order is the ascending id order)
  const order = Array.from({ length: fit.length }, (_, t) => t).sort((a, b) => fit.users[a] - fit.users[b] || fit.items[a] - fit.items[b]);
  const users = Int32Array.from(order, (t) => fit.users[t]);
  const items = Int32Array.from(order, (t) => fit.items[t]);
  const values = Float64Array.from(order, (t) => fit.values[t]);
  const predict = (us: Int32Array, is: Int32Array) => {
    const out = new Float32Array(us.length);
    for (let t = 0; t < us.length; t++) {
      let s = 0;
      const pu = us[t] * k;
      const qi = is[t] * k;
      for (let f = 0; f < k; f++) s += U[pu + f] * V[qi + f];
      out[t] = s;
    }
    return out;
  };
  let prev = Infinity;
  for (let ep = 1; ep <= epochs; ep++) {
    let sumAbs = 0;
    for (let n = 0; n < values.length; n++) {
      if ((n & 0xffff) === 0) ctx.checkCancelled();
      const pu = users[n] * k;
      const qi = items[n] * k;
      let est = 0;
      for (let f = 0; f < k; f++) est += U[pu + f] * V[qi + f];
      const e = values[n] - est;
      sumAbs += Math.abs(e);
      for (let f = 0; f < k; f++) {
        const a = U[pu + f];
        const b = V[qi + f];
        U[pu + f] = a + lr * (e * b - reg * a);
        V[qi + f] = b + lr * (e * a - reg * b);
      }
    }
    const mae = sumAbs / Math.max(1, values.length);
    const settled = Math.abs(prev - mae) <= tol;
    await ctx.epochEnd({ phase: 'train', epoch: ep, epochs: settled ? ep : epochs, trainLoss: mae, predict });
    if (settled) {
      ctx.log(`regularized SVD: the training MAE settled after ${ep} passes (|ΔMAE| = ${Math.abs(prev - mae).toExponential(2)} ≤ ${tol})`);
      break;
    }
    prev = mae;
  }
};
