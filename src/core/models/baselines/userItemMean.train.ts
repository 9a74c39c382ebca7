import type { TrainFn } from '../model';
import { meanTables } from './baselineMeans';

/** (user mean + item mean) / 2 — the sanity baseline of MODELS.md (ML-100K u1: 0.9985). */
export const train: TrainFn = async (ctx) => {
  ctx.setTotalEpochs(1);
  const { userMean, itemMean } = meanTables(ctx.data.fit);
  await ctx.epochEnd({
    phase: 'train', epoch: 1, epochs: 1,
    predict: (u, i) => {
      const out = new Float32Array(u.length);
      for (let k = 0; k < u.length; k++) out[k] = (userMean[u[k]] + itemMean[i[k]]) / 2;
      return out;
    },
  });
};
