/**
 * UserKNN: cosine similarity of the users' item sets in the fitted part, each user keeping its k most similar
 * users; the score of item j for user u is Σ_{v ∈ N_k(u)} sim(u, v)·[v interacted with j] — S_k × history, one
 * sgemm per batch of users. One evaluation per neighbourhood size.
 */
import type { TrainFn } from '../model';
import { gemm } from '../../linalg/dense';
import { binaryMatrix, cosine, neighbourhoodSizes, pruneRows, rowOrders, takeRows } from './neighbourhood';

export const train: TrainFn = async (ctx) => {
  const { fit, val, nUsers, nItems } = ctx.data;
  const fitX = binaryMatrix(nUsers, nItems, [fit]);
  const testX = ctx.hp.history === 'fit' ? fitX : binaryMatrix(nUsers, nItems, [fit, val]);
  const S = cosine(fitX, false);
  const orders = rowOrders(S);
  // test: the neighbourhoods are rebuilt from fitted ∪ validation (everything before the test period), k as chosen
  const refit = testX !== fitX;
  const St = refit ? cosine(testX, false) : S;
  const ordersT = refit ? rowOrders(St) : orders;
  const ks = neighbourhoodSizes(ctx.hp.k as number, nUsers);
  ctx.setTotalEpochs(ks.length);
  for (let e = 0; e < ks.length; e++) {
    ctx.checkCancelled();
    const Sk = pruneRows(S, orders, ks[e]);
    const Skt = refit ? pruneRows(St, ordersT, ks[e]) : Sk;
    ctx.log(`k = ${ks[e]}`);
    await ctx.epochEnd({
      phase: 'train', epoch: e + 1, epochs: ks.length,
      predict: (u, i) => Float32Array.from(u, (x, t) => {
        let s = 0;
        for (let v = 0; v < nUsers; v++) s += Sk.data[x * nUsers + v] * fitX.data[v * nItems + i[t]];
        return s;
      }),
      scoreUsers: (users, part) => gemm(false, false, takeRows(part === 'test' ? Skt : Sk, users), part === 'test' ? testX : fitX).data as Float32Array,
    });
  }
};
