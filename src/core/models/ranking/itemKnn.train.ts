/**
 * ItemKNN (Deshpande & Karypis): cosine similarity of the items' user sets in the fitted part, each item keeping
 * its k most similar items; a user's score for item j is Σ_{i ∈ history(u)} S_k[i, j] — the scores are
 * history × S_k, one sgemm per batch of users. One evaluation per neighbourhood size.
 */
import type { TrainFn } from '../model';
import { gemm } from '../../linalg/dense';
import { binaryMatrix, cosine, neighbourhoodSizes, pruneRows, rowOrders, takeRows } from './neighbourhood';

export const train: TrainFn = async (ctx) => {
  const { fit, val, nUsers, nItems } = ctx.data;
  const fitX = binaryMatrix(nUsers, nItems, [fit]);
  const testX = ctx.hp.history === 'fit' ? fitX : binaryMatrix(nUsers, nItems, [fit, val]);
  const S = cosine(fitX, true);
  const orders = rowOrders(S);
  // test: the neighbourhoods are rebuilt from fitted ∪ validation (everything before the test period), k as chosen
  const refit = testX !== fitX;
  const St = refit ? cosine(testX, true) : S;
  const ordersT = refit ? rowOrders(St) : orders;
  const ks = neighbourhoodSizes(ctx.hp.k as number, nItems);
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
        for (let h = 0; h < nItems; h++) if (fitX.data[x * nItems + h]) s += Sk.data[h * nItems + i[t]];
        return s;
      }),
      scoreUsers: (users, part) => gemm(false, false, takeRows(part === 'test' ? testX : fitX, users), part === 'test' ? Skt : Sk).data as Float32Array,
    });
  }
};
