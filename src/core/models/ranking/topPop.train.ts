/**
 * TopPop: every user gets the same list — items ordered by how many users interacted with them in the fitted
 * part — minus the items the user has already seen (the evaluator removes those). Ties go to the lower item index.
 */
import type { TrainFn } from '../model';

export const train: TrainFn = async (ctx) => {
  ctx.setTotalEpochs(1);
  const { fit, nItems } = ctx.data;
  const count = new Float32Array(nItems);
  for (let k = 0; k < fit.length; k++) count[fit.items[k]]++;
  await ctx.epochEnd({
    phase: 'train', epoch: 1, epochs: 1,
    predict: (_u, i) => Float32Array.from(i, (x) => count[x]),
    scoreUsers: (users) => {
      const out = new Float32Array(users.length * nItems);
      for (let a = 0; a < users.length; a++) out.set(count, a * nItems);
      return out;
    },
  });
};
