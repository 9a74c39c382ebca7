import { ModelDefinition } from './model';
import { meanTables } from './baselineMeans';

/** (user mean + item mean) / 2 — the sanity baseline of MODELS.md (ML-100K u1: 0.9985). */
export const userItemMean: ModelDefinition = {
  id: 'user-item-mean',
  name: '(User mean + item mean) / 2',
  description: 'Baseline: average of the user’s and the item’s mean rating',
  paper: { title: 'Sanity baseline', authors: '—', venue: '—', year: 0 },
  params: [],
  presets: {},
  paperResults: [
    { dataset: 'ml-100k', rmse: 0.9985, note: 'MODELS.md sanity baseline, u1 split' },
    { dataset: 'douban', rmse: 0.771, note: 'MODELS.md sanity baseline' },
    { dataset: 'flixster', rmse: 0.936, note: 'MODELS.md sanity baseline' },
  ],
  usesTf: false,
  async train(ctx) {
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
  },
};
