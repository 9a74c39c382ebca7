import type { TrainFn } from '../model';
import { meanTables } from './baselineMeans';

/** Predicts the mean training rating for everything: the floor any model must beat. */
export const train: TrainFn = async (ctx) => {
  ctx.setTotalEpochs(1);
  const { global } = meanTables(ctx.data.fit);
  await ctx.epochEnd({
    phase: 'train', epoch: 1, epochs: 1,
    predict: (u) => new Float32Array(u.length).fill(global),
  });
};
