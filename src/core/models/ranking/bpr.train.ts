/**
 * BPR-MF: x_uij = b_i − b_j + p_u·(q_i − q_j), ascend ln σ(x_uij) − λ‖θ‖² by SGD over triples (u, i, j): (u, i) a
 * fitted interaction drawn uniformly, j an item u has not interacted with in the fitted part, drawn uniformly. The
 * factors start from the embeddings step (./embeddings.ts) times initScale. Scores: P Qᵀ + b (one sgemm).
 */
import type { TrainFn } from '../model';
import { gemm, mat } from '../../linalg/dense';
import { adjacencyLists } from '../../data/interactionGraph';
import { runEmbeddings } from './params';
import { takeRows } from './neighbourhood';

export const train: TrainFn = async (ctx) => {
  const { fit, nUsers, nItems } = ctx.data;
  const hp = ctx.hp;
  const epochs = hp.epochs as number;
  const every = hp.evalEvery as number;
  const lr = hp.lr as number;
  const reg = hp.reg as number;
  const emb = runEmbeddings(ctx);
  const d = emb.dims;
  const scale = hp.initScale as number;
  const P = mat(nUsers, d, Float32Array.from(emb.users.vectors, (x) => x * (hp.init === 'random' ? 100 : 1) * scale));
  const Q = mat(nItems, d, Float32Array.from(emb.items.vectors, (x) => x * (hp.init === 'random' ? 100 : 1) * scale));
  const b = new Float32Array(nItems);
  const seen = adjacencyLists(nUsers, fit.users, fit.items).map((l) => new Set(l));
  const rng = ctx.rng;
  const evals = Math.ceil(epochs / every);
  ctx.setTotalEpochs(evals);
  const diff = new Float32Array(d);
  let e = 0;
  for (let ep = 1; ep <= epochs; ep++) {
    ctx.checkCancelled();
    let loss = 0;
    for (let s = 0; s < fit.length; s++) {
      const k = rng.int(fit.length);
      const u = fit.users[k];
      const i = fit.items[k];
      let j = rng.int(nItems);
      for (let tries = 0; seen[u].has(j) && tries < 100; tries++) j = rng.int(nItems);
      if (seen[u].has(j)) continue;
      const pu = u * d, qi = i * d, qj = j * d;
      let x = b[i] - b[j];
      for (let f = 0; f < d; f++) {
        diff[f] = Q.data[qi + f] - Q.data[qj + f];
        x += P.data[pu + f] * diff[f];
      }
      const g = 1 / (1 + Math.exp(x)); // σ(−x) = ∂ ln σ(x) / ∂x
      loss += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
      for (let f = 0; f < d; f++) {
        const p = P.data[pu + f];
        P.data[pu + f] += lr * (g * diff[f] - reg * p);
        Q.data[qi + f] += lr * (g * p - reg * Q.data[qi + f]);
        Q.data[qj + f] += lr * (-g * p - reg * Q.data[qj + f]);
      }
      b[i] += lr * (g - reg * b[i]);
      b[j] += lr * (-g - reg * b[j]);
    }
    if (ep % every === 0 || ep === epochs) {
      e++;
      const scoreUsers = (users: Int32Array) => {
        const s = gemm(false, true, takeRows(P, users), Q).data as Float32Array;
        for (let a = 0; a < users.length; a++) for (let t = 0; t < nItems; t++) s[a * nItems + t] += b[t];
        return s;
      };
      await ctx.epochEnd({
        phase: 'train', epoch: e, epochs: evals, trainLoss: loss / fit.length, iterations: ep,
        predict: (us, is) => Float32Array.from(us, (u, t) => {
          let s = b[is[t]];
          for (let f = 0; f < d; f++) s += P.data[u * d + f] * Q.data[is[t] * d + f];
          return s;
        }),
        scoreUsers,
      });
    }
  }
};
