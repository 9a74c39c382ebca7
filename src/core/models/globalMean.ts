import { ModelDefinition } from './model';
import { meanTables } from './baselineMeans';

/** Predicts the mean training rating for everything: the floor any model must beat. */
export const globalMean: ModelDefinition = {
  id: 'global-mean',
  name: 'Global mean',
  description: 'Baseline: predicts the mean training rating everywhere',
  paper: { title: 'Sanity baseline', authors: '—', venue: '—', year: 0 },
  params: [],
  presets: {},
  paperResults: [],
  usesTf: false,
  async train(ctx) {
    ctx.setTotalEpochs(1);
    const { global } = meanTables(ctx.data.fit);
    await ctx.epochEnd({
      phase: 'train', epoch: 1, epochs: 1,
      predict: (u) => new Float32Array(u.length).fill(global),
    });
  },
};
